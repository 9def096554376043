import { getAddress, isAddress } from "ethers";
import { z } from "zod";

import { NODE_FILES, besuNodeConfigToml } from "./besuConfig";
import { NetworkKitError } from "./errors";
import { type QbftGenesisOptions, buildQbftGenesis, genesisJson } from "./genesis";
import { type NodeKey, assertPort, enodeUrl } from "./keys";
import { normalizeAccounts, permissionsConfigToml } from "./permissions";

/**
 * The whole network folder as a list of files: genesis, per-node configuration and keys, permissions, a
 * docker-compose file, start scripts and a README for operators. Pure: `initNetwork` (init.ts) writes the list.
 */

/** The official image. Pinned: every node of a network should run the same Besu. */
export const DEFAULT_BESU_IMAGE = "hyperledger/besu:25.8.0";
/** Docker bridge subnet used when no hosts are given (all nodes on one machine, fixed addresses). */
export const DEFAULT_DOCKER_SUBNET = "172.16.239.0/24";
export const DEFAULT_P2P_PORT = 30_303;
export const DEFAULT_RPC_PORT = 8_545;
/** Where a node's folder is mounted inside its container (never /opt/besu, which the image owns). */
const CONTAINER_DIR = "/var/lib/besu";

/** Where and how one node runs. */
export interface NetworkNodeSpec {
  /** Folder and service name, e.g. `node-1`. */
  name: string;
  /** The address other nodes reach it at: an IPv4 address (host names need Besu's early-access DNS support). */
  host: string;
  p2pPort: number;
  rpcPort: number;
  /** Whether it is a QBFT validator (in the genesis extraData). */
  validator: boolean;
  /** The agency that runs the server, for the README. */
  operator?: string;
}

export interface NetworkNode extends NetworkNodeSpec {
  key: NodeKey;
}

export interface NetworkPlan {
  chainId: number;
  nodes: readonly NetworkNode[];
  /** Genesis settings other than the chain id and validators. */
  genesis?: Omit<QbftGenesisOptions, "chainId" | "validators">;
  /** Accounts allowed to send transactions: governance, the deployer, agency operators. */
  allowlist: readonly string[];
  /** Accounts `sync-permissions` must never remove (governance, the deployer). Also allowed. */
  protectedAccounts?: readonly string[];
  /** Extra names accepted in the JSON-RPC `Host` header (always: localhost, 127.0.0.1, the node's host). */
  hostAllowlist?: readonly string[];
  besuImage?: string;
  dockerSubnet?: string;
}

export interface NetworkFile {
  /** Path relative to the network folder, `/`-separated. */
  path: string;
  contents: string;
  /** File mode: 0o600 for private keys, 0o755 for scripts, 0o644 otherwise. */
  mode: number;
}

/** `network.json`: what the SDK and CLI need later (no secrets). */
export const networkDescriptionSchema = z.object({
  format: z.literal(1),
  chainId: z.number().int().positive(),
  dockerMode: z.enum(["bridge", "host"]),
  protectedAccounts: z.array(z.string()),
  nodes: z.array(
    z.object({
      name: z.string().min(1),
      operator: z.string().optional(),
      host: z.string().min(1),
      p2pPort: z.number().int(),
      rpcPort: z.number().int(),
      validator: z.boolean(),
      address: z.string(),
      enode: z.string(),
      /** Where the operator's machine reaches this node's JSON-RPC. */
      rpcUrl: z.string(),
    }),
  ),
});
export type NetworkDescription = z.infer<typeof networkDescriptionSchema>;

/** Parses `network.json`. */
export function parseNetworkDescription(json: string): NetworkDescription {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new NetworkKitError("network.json is not valid JSON", { cause: error });
  }
  const parsed = networkDescriptionSchema.safeParse(raw);
  if (!parsed.success) throw new NetworkKitError("network.json is invalid", { details: parsed.error.message });
  return parsed.data;
}

/**
 * `count` nodes named node-1..node-N. Without `hosts`, they get fixed addresses on a Docker bridge network
 * (172.16.239.11, .12, ...) and consecutive ports (30303, 30304, ... and 8545, 8546, ...), so they can share one
 * machine; with one distinct host each, every node uses the base ports.
 */
export function defaultNodeSpecs(
  count: number,
  options: {
    hosts?: readonly string[];
    p2pBasePort?: number;
    rpcBasePort?: number;
    operators?: readonly string[];
  } = {},
): NetworkNodeSpec[] {
  if (!Number.isInteger(count) || count < 1) throw new NetworkKitError("a network needs at least one node");
  if (options.hosts && options.hosts.length !== count) {
    throw new NetworkKitError(`${count} nodes but ${options.hosts.length} hosts: give one host per node`);
  }
  const p2pBase = options.p2pBasePort ?? DEFAULT_P2P_PORT;
  const rpcBase = options.rpcBasePort ?? DEFAULT_RPC_PORT;
  // One server per node: the same well-known ports everywhere. Nodes sharing a machine (the Docker bridge default,
  // or a repeated host) get consecutive ports so that none collide on that machine.
  const ownServers = options.hosts !== undefined && new Set(options.hosts).size === options.hosts.length;
  const step = ownServers ? 0 : 1;
  const [subnetBase] = DEFAULT_DOCKER_SUBNET.split("/");
  const prefix = subnetBase.split(".").slice(0, 3).join(".");
  return Array.from({ length: count }, (_, index) => ({
    name: `node-${index + 1}`,
    host: options.hosts?.[index] ?? `${prefix}.${11 + index}`,
    p2pPort: p2pBase + step * index,
    rpcPort: rpcBase + step * index,
    validator: true,
    operator: options.operators?.[index],
  }));
}

/** Checks a plan: unique names, unique (host, port) pairs, unique keys, at least one validator. */
export function validatePlan(plan: NetworkPlan): void {
  if (plan.nodes.length === 0) throw new NetworkKitError("a network needs at least one node");
  const names = new Set<string>();
  const endpoints = new Set<string>();
  const keys = new Set<string>();
  for (const node of plan.nodes) {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(node.name)) {
      throw new NetworkKitError(`node name ${node.name} must be lowercase letters, digits and dashes`);
    }
    if (names.has(node.name)) throw new NetworkKitError(`two nodes are named ${node.name}`);
    names.add(node.name);
    assertPort(node.p2pPort, `p2p port of ${node.name}`);
    assertPort(node.rpcPort, `JSON-RPC port of ${node.name}`);
    for (const endpoint of [`${node.host}:${node.p2pPort}`, `${node.host}:${node.rpcPort}`]) {
      if (endpoints.has(endpoint)) throw new NetworkKitError(`two services of the network use ${endpoint}`);
      endpoints.add(endpoint);
    }
    if (keys.has(node.key.nodeId)) throw new NetworkKitError(`${node.name} reuses another node's key`);
    keys.add(node.key.nodeId);
  }
  if (!plan.nodes.some((node) => node.validator)) throw new NetworkKitError("a QBFT network needs a validator");
  for (const account of [...plan.allowlist, ...(plan.protectedAccounts ?? [])]) {
    if (!isAddress(account)) throw new NetworkKitError(`not an account address in the allowlist: ${account}`);
  }
}

/** Whether every host lies in the Docker bridge subnet (then compose gives each node that fixed address). */
export function dockerMode(plan: NetworkPlan): "bridge" | "host" {
  const subnet = plan.dockerSubnet ?? DEFAULT_DOCKER_SUBNET;
  return plan.nodes.every((node) => inIpv4Subnet(node.host, subnet)) ? "bridge" : "host";
}

export function nodeEnode(node: NetworkNode): string {
  return enodeUrl(node.key.nodeId, node.host, node.p2pPort);
}

/** The description written to `network.json`. */
export function describeNetwork(plan: NetworkPlan): NetworkDescription {
  const mode = dockerMode(plan);
  return {
    format: 1,
    chainId: plan.chainId,
    dockerMode: mode,
    protectedAccounts: normalizeAccounts(plan.protectedAccounts ?? []).map((account) => getAddress(account)),
    nodes: plan.nodes.map((node) => ({
      name: node.name,
      ...(node.operator ? { operator: node.operator } : {}),
      host: node.host,
      p2pPort: node.p2pPort,
      rpcPort: node.rpcPort,
      validator: node.validator,
      address: node.key.address,
      enode: nodeEnode(node),
      rpcUrl: `http://${mode === "bridge" ? "127.0.0.1" : node.host}:${node.rpcPort}`,
    })),
  };
}

/** Every file of the network folder. */
export function buildNetworkFiles(plan: NetworkPlan): NetworkFile[] {
  validatePlan(plan);
  const genesis = genesisJson(
    buildQbftGenesis({
      ...plan.genesis,
      chainId: plan.chainId,
      validators: plan.nodes.filter((node) => node.validator).map((node) => node.key.address),
    }),
  );
  const enodes = plan.nodes.map(nodeEnode);
  const permissions = permissionsConfigToml({
    accountsAllowlist: [...plan.allowlist, ...(plan.protectedAccounts ?? [])],
    nodesAllowlist: enodes,
  });
  const files: NetworkFile[] = [
    { path: ".gitignore", contents: GITIGNORE, mode: 0o644 },
    { path: "genesis.json", contents: genesis, mode: 0o644 },
    { path: NODE_FILES.permissions, contents: permissions, mode: 0o644 },
    { path: "network.json", contents: JSON.stringify(describeNetwork(plan), null, 2) + "\n", mode: 0o644 },
    { path: "docker-compose.yml", contents: dockerCompose(plan), mode: 0o644 },
    { path: "README.txt", contents: operatorReadme(plan), mode: 0o644 },
  ];
  plan.nodes.forEach((node, index) => {
    const dir = node.name;
    const config = besuNodeConfigToml({
      nodeName: node.name,
      p2pHost: node.host,
      p2pPort: node.p2pPort,
      rpcHttpPort: node.rpcPort,
      bootnodes: enodes.filter((_, other) => other !== index),
      hostAllowlist: ["localhost", "127.0.0.1", node.host, ...(plan.hostAllowlist ?? [])],
    });
    files.push(
      { path: `${dir}/${NODE_FILES.key}`, contents: node.key.privateKey, mode: 0o600 },
      { path: `${dir}/${NODE_FILES.publicKey}`, contents: node.key.publicKey, mode: 0o644 },
      { path: `${dir}/${NODE_FILES.address}`, contents: node.key.address, mode: 0o644 },
      { path: `${dir}/${NODE_FILES.enode}`, contents: enodes[index] + "\n", mode: 0o644 },
      { path: `${dir}/${NODE_FILES.config}`, contents: config, mode: 0o644 },
      { path: `${dir}/${NODE_FILES.genesis}`, contents: genesis, mode: 0o644 },
      { path: `${dir}/${NODE_FILES.permissions}`, contents: permissions, mode: 0o644 },
      { path: `${dir}/start-${dir}.sh`, contents: startScript(node), mode: 0o755 },
    );
  });
  return files;
}

const GITIGNORE = `# Node private keys and chain data never go into version control.
*/key
*/data/
`;

function startScript(node: NetworkNode): string {
  return `#!/bin/sh
# Starts ${node.name}${node.operator ? ` (${node.operator})` : ""} with a local Besu installation.
# Needs Java 21 and Besu on PATH, or BESU=/path/to/bin/besu. Extra arguments are passed to Besu.
set -eu
cd "$(dirname "$0")"
exec "\${BESU:-besu}" --config-file=${NODE_FILES.config} "$@"
`;
}

/** YAML by hand: the structure is fixed and small, and strings are JSON-quoted (valid YAML). */
export function dockerCompose(plan: NetworkPlan): string {
  const mode = dockerMode(plan);
  const image = plan.besuImage ?? DEFAULT_BESU_IMAGE;
  const q = (value: string) => JSON.stringify(value);
  const lines = [
    "# GovChain Besu network, generated by GovChain. One service per node, official image.",
    mode === "bridge"
      ? "# All nodes on this machine, fixed addresses on a bridge network; JSON-RPC published on 127.0.0.1 only."
      : "# Host networking: run each service on its own server, e.g. `docker compose up -d node-2` on node-2's host.",
    "# The container runs as GOVCHAIN_UID:GOVCHAIN_GID (default 1000:1000, the image's besu user): it must be able",
    "# to read the node's key (mode 0600), e.g. `GOVCHAIN_UID=$(id -u) GOVCHAIN_GID=$(id -g) docker compose up -d`.",
    "name: govchain",
    "services:",
  ];
  for (const node of plan.nodes) {
    lines.push(
      `  ${node.name}:`,
      `    image: ${q(image)}`,
      "    restart: unless-stopped",
      `    user: ${q("${GOVCHAIN_UID:-1000}:${GOVCHAIN_GID:-1000}")}`,
      "    command:",
      ...[
        `--config-file=${CONTAINER_DIR}/${NODE_FILES.config}`,
        `--data-path=${CONTAINER_DIR}/${NODE_FILES.data}`,
        `--genesis-file=${CONTAINER_DIR}/${NODE_FILES.genesis}`,
        `--node-private-key-file=${CONTAINER_DIR}/${NODE_FILES.key}`,
        `--permissions-nodes-config-file=${CONTAINER_DIR}/${NODE_FILES.permissions}`,
        `--permissions-accounts-config-file=${CONTAINER_DIR}/${NODE_FILES.permissions}`,
      ].map((arg) => `      - ${q(arg)}`),
      "    volumes:",
      `      - ${q(`./${node.name}:${CONTAINER_DIR}`)}`,
    );
    if (mode === "bridge") {
      lines.push(
        "    ports:",
        `      - ${q(`127.0.0.1:${node.rpcPort}:${node.rpcPort}`)}`,
        "    networks:",
        "      govchain:",
        `        ipv4_address: ${q(node.host)}`,
      );
    } else {
      lines.push(`    network_mode: ${q("host")}`);
    }
  }
  if (mode === "bridge") {
    lines.push(
      "networks:",
      "  govchain:",
      "    driver: bridge",
      "    ipam:",
      "      config:",
      `        - subnet: ${q(plan.dockerSubnet ?? DEFAULT_DOCKER_SUBNET)}`,
    );
  }
  return lines.join("\n") + "\n";
}

function operatorReadme(plan: NetworkPlan): string {
  const description = describeNetwork(plan);
  const table = description.nodes
    .map(
      (node) =>
        `  ${node.name.padEnd(10)} ${(node.operator ?? "-").padEnd(28)} ${`${node.host}:${node.p2pPort}`.padEnd(22)} ` +
        `${String(node.rpcPort).padEnd(9)} ${(node.validator ? "validator" : "member").padEnd(10)} ${node.address}`,
    )
    .join("\n");
  return `GovChain Besu network (QBFT, chain id ${plan.chainId})
=========================================================

Generated by GovChain. The full guide is docs/besu.md in the GovChain repository.

Nodes
  name       operator                     p2p                    rpc       role       account
${table}

What is here
  genesis.json             The QBFT genesis: validators in extraData, every fork through Cancun at block 0,
                           free gas (zeroBaseFee, baseFeePerGas 0). Identical on every node.
  permissions_config.toml  Master copy of the allowlists: accounts (governance, deployer, agency keys)
                           and nodes (every enode above). Each node folder has its own copy, which Besu updates.
  network.json             Machine-readable summary (no secrets) for the GovChain CLI and SDK.
  docker-compose.yml       One service per node, official hyperledger/besu image.
  node-N/                  Everything one server needs:
    key                    THE NODE'S PRIVATE KEY (mode 0600). Never copy it anywhere but that server.
    key.pub, address, enode  Its public key, account address and enode URL.
    config.toml            Besu options (free gas, RPC APIs ETH,NET,QBFT,WEB3,PERM,TXPOOL, permissioning).
    genesis.json, permissions_config.toml, data/
    start-node-N.sh        Starts Besu from a local installation: besu --config-file=config.toml

Steps
  1. Copy node-N/ to server N over a secure channel (scp), keep "key" mode 0600, delete other servers' keys
     from the machine that generated them once they are in place.
  2. Open the p2p port (TCP and UDP) between the servers; expose JSON-RPC only to the operators' network.
  3. Start every node: ./node-N/start-node-N.sh, or docker compose up -d node-N. Blocks start once more than
     two thirds of the validators are up.
  4. Deploy the suite: GOVCHAIN_RPC_URL=http://<node>:<rpc> GOVCHAIN_PRIVATE_KEY=<deployer key> \\
       npx hardhat run deploy/deploy.ts --network besu
  5. After every onboarding, key removal or suspension in the agency directory, run sync-permissions
     (scripts/network-sync-permissions.ts, later "govchain network sync-permissions") against every node.

Gas is free: clients send gasPrice 0 and sign transactions locally (Besu has no eth_accounts).
`;
}

/** Whether IPv4 `address` lies in `cidr` (`a.b.c.d/n`); false for anything that is not IPv4. */
export function inIpv4Subnet(address: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  const a = ipv4ToNumber(address);
  const b = ipv4ToNumber(base);
  if (a === undefined || b === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function ipv4ToNumber(address: string): number | undefined {
  const parts = address.split(".");
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}
