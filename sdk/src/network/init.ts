import fs from "node:fs";
import path from "node:path";

import { NetworkKitError } from "./errors";
import type { QbftGenesisOptions } from "./genesis";
import { type NodeKey, generateNodeKey } from "./keys";
import {
  type NetworkDescription,
  type NetworkFile,
  type NetworkNodeSpec,
  buildNetworkFiles,
  defaultNodeSpecs,
  describeNetwork,
} from "./layout";

/**
 * Node-only: writes a ready Besu network folder (`govchain network init`). Keys are generated here, on this machine,
 * and written with mode 0600; the folder gets a .gitignore so they are never committed.
 */

export interface InitNetworkOptions {
  /** The folder to create; it must not exist or be empty (unless `force`). */
  directory: string;
  chainId: number;
  /** A node count (default 4, the smallest QBFT network that survives one faulty validator), or each node. */
  nodes?: number | readonly NetworkNodeSpec[];
  /** With a node count: one IPv4 address per node (default: fixed addresses on a Docker bridge network). */
  hosts?: readonly string[];
  /** With a node count: the agency running each node, for the README. */
  operators?: readonly string[];
  p2pBasePort?: number;
  rpcBasePort?: number;
  blockPeriodSeconds?: number;
  epochLength?: number;
  requestTimeoutSeconds?: number;
  gasLimit?: bigint;
  /** Pre-funded accounts (free gas needs none). */
  alloc?: Readonly<Record<string, bigint>>;
  /** Accounts allowed to send transactions besides the protected ones (agency operators known today). */
  allowlist?: readonly string[];
  /** Governance and the deployer: allowed, and never removed by `sync-permissions`. */
  protectedAccounts?: readonly string[];
  hostAllowlist?: readonly string[];
  besuImage?: string;
  /** Existing node keys to reuse, in node order (default: fresh keys). */
  keys?: readonly NodeKey[];
  /** Write into a non-empty folder, replacing generated files; an existing node key is never overwritten. */
  force?: boolean;
}

export interface InitNetworkResult {
  directory: string;
  description: NetworkDescription;
  /** Paths written, relative to `directory`. */
  files: string[];
}

export async function initNetwork(options: InitNetworkOptions): Promise<InitNetworkResult> {
  const directory = path.resolve(options.directory);
  if (fs.existsSync(directory) && fs.readdirSync(directory).length > 0 && !options.force) {
    throw new NetworkKitError(
      `${directory} is not empty: choose a new folder (existing node keys are never overwritten)`,
    );
  }
  const specs =
    typeof options.nodes === "object"
      ? [...options.nodes]
      : defaultNodeSpecs(options.nodes ?? 4, {
          hosts: options.hosts,
          operators: options.operators,
          p2pBasePort: options.p2pBasePort,
          rpcBasePort: options.rpcBasePort,
        });
  if (options.keys && options.keys.length !== specs.length) {
    throw new NetworkKitError(`${specs.length} nodes but ${options.keys.length} keys`);
  }
  const nodes = specs.map((spec, index) => ({ ...spec, key: options.keys?.[index] ?? generateNodeKey() }));
  const genesis: Omit<QbftGenesisOptions, "chainId" | "validators"> = {
    blockPeriodSeconds: options.blockPeriodSeconds,
    epochLength: options.epochLength,
    requestTimeoutSeconds: options.requestTimeoutSeconds,
    gasLimit: options.gasLimit,
    alloc: options.alloc,
  };
  const plan = {
    chainId: options.chainId,
    nodes,
    genesis,
    allowlist: options.allowlist ?? [],
    protectedAccounts: options.protectedAccounts ?? [],
    hostAllowlist: options.hostAllowlist,
    besuImage: options.besuImage,
  };
  const files = buildNetworkFiles(plan);
  writeNetworkFiles(directory, files);
  for (const node of nodes) fs.mkdirSync(path.join(directory, node.name, "data"), { recursive: true });
  return { directory, description: describeNetwork(plan), files: files.map((file) => file.path) };
}

/** Writes the files with their modes; a private key is created with 0600 from the start, never widened. */
export function writeNetworkFiles(directory: string, files: readonly NetworkFile[]): void {
  fs.mkdirSync(directory, { recursive: true });
  for (const file of files) {
    const target = path.join(directory, ...file.path.split("/"));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (file.mode === 0o600 && fs.existsSync(target)) {
      throw new NetworkKitError(`${target} already exists: refusing to overwrite a node key`);
    }
    fs.writeFileSync(target, file.contents, { mode: file.mode });
    fs.chmodSync(target, file.mode); // the umask may have narrowed it; a key stays 0600
  }
}
