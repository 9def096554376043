import fs from "node:fs";
import path from "node:path";

import type { Provider } from "ethers";

import type { Manifest } from "../utils/manifest";
import { type DirectoryAllowlist, readManifestAllowlist } from "./directoryAllowlist";
import { NetworkKitError } from "./errors";
import {
  type AllowlistPlan,
  normalizeEnodes,
  parsePermissionsConfig,
  permissionsConfigToml,
  planAllowlistSync,
} from "./permissions";
import {
  type JsonRpcOptions,
  addAccountsToAllowlist,
  addNodesToAllowlist,
  getAccountsAllowlist,
  getNodesAllowlist,
  removeAccountsFromAllowlist,
  removeNodesFromAllowlist,
} from "./permRpc";

/**
 * `sync-permissions`: makes every node's account allowlist equal to what the agency directory allows now, plus the
 * protected accounts (governance, the deployer), which are never removed. A suspended agency or a removed operator
 * key thereby loses its right to send transactions at the node level too. Node-only: JSON-RPC and file writes.
 */

export interface SyncPermissionsOptions {
  /** Accounts the directory allows now (`readDirectoryAllowlist(...).accounts`). */
  allowed: readonly string[];
  /** Governance and the deployer: added when missing, never removed. */
  protectedAccounts: readonly string[];
  /** JSON-RPC URL of every node to update. */
  nodeUrls: readonly string[];
  /** When given, the nodes allowlist is brought to these enodes too (missing ones added). */
  enodes?: readonly string[];
  /** With `enodes`: also remove enodes not listed (Besu refuses to remove a node's own bootnodes). */
  pruneNodes?: boolean;
  /** `permissions_config.toml` copies on this machine to rewrite (the master copy, local node folders). */
  permissionsFiles?: readonly string[];
  /** Compute and report the changes without making them. */
  dryRun?: boolean;
  rpc?: JsonRpcOptions;
  log?: (line: string) => void;
}

export interface NodeSyncResult {
  url: string;
  accounts?: AllowlistPlan;
  nodes?: AllowlistPlan;
  /** Set when this node could not be brought in line; the others are still updated. */
  error?: NetworkKitError;
}

export interface SyncPermissionsReport {
  /** False when any node failed. */
  ok: boolean;
  nodes: NodeSyncResult[];
  /** The account allowlist every node now holds. */
  accounts: string[];
  filesWritten: string[];
}

export async function syncPermissions(options: SyncPermissionsOptions): Promise<SyncPermissionsReport> {
  const { log = () => undefined, rpc } = options;
  if (options.nodeUrls.length === 0) throw new NetworkKitError("no node URL given: nothing to synchronise");
  const results: NodeSyncResult[] = [];
  let accounts: string[] = [];
  for (const url of options.nodeUrls) {
    const result: NodeSyncResult = { url };
    results.push(result);
    try {
      const plan = planAllowlistSync({
        current: await getAccountsAllowlist(url, rpc),
        desired: options.allowed,
        protectedEntries: options.protectedAccounts,
      });
      result.accounts = plan;
      accounts = plan.result;
      log(`${url}: accounts +${plan.add.length} -${plan.remove.length}${options.dryRun ? " (dry run)" : ""}`);
      if (!options.dryRun) {
        // Add before removing, so an account that moves between agencies is never refused in between.
        if (plan.add.length > 0) await addAccountsToAllowlist(url, plan.add, rpc);
        if (plan.remove.length > 0) await removeAccountsFromAllowlist(url, plan.remove, rpc);
      }
      if (options.enodes) {
        const nodesPlan = planAllowlistSync({
          current: await getNodesAllowlist(url, rpc),
          desired: options.enodes,
          normalize: normalizeEnodes,
        });
        if (!options.pruneNodes) nodesPlan.remove = [];
        result.nodes = nodesPlan;
        log(`${url}: nodes +${nodesPlan.add.length} -${nodesPlan.remove.length}`);
        if (!options.dryRun) {
          if (nodesPlan.add.length > 0) await addNodesToAllowlist(url, nodesPlan.add, rpc);
          if (nodesPlan.remove.length > 0) await removeNodesFromAllowlist(url, nodesPlan.remove, rpc);
        }
      }
    } catch (error) {
      result.error =
        error instanceof NetworkKitError ? error : new NetworkKitError(`synchronising ${url} failed`, { cause: error });
      log(`${url}: FAILED: ${result.error.shortMessage}`);
    }
  }
  if (accounts.length === 0) {
    accounts = planAllowlistSync({
      current: [],
      desired: options.allowed,
      protectedEntries: options.protectedAccounts,
    }).result;
  }
  const filesWritten: string[] = [];
  if (!options.dryRun) {
    for (const file of options.permissionsFiles ?? []) {
      rewritePermissionsFile(file, accounts, options.enodes);
      filesWritten.push(file);
    }
  }
  return { ok: results.every((result) => !result.error), nodes: results, accounts, filesWritten };
}

/**
 * Rewrites a `permissions_config.toml` with `accounts`; the nodes allowlist is kept, or replaced by `enodes` when
 * given. Atomic (temporary file, then rename).
 */
export function rewritePermissionsFile(file: string, accounts: readonly string[], enodes?: readonly string[]): void {
  const existing = fs.existsSync(file)
    ? parsePermissionsConfig(fs.readFileSync(file, "utf8"))
    : { accountsAllowlist: [], nodesAllowlist: [] };
  const text = permissionsConfigToml({
    accountsAllowlist: [...accounts],
    nodesAllowlist: enodes ? [...enodes] : existing.nodesAllowlist,
  });
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text, { mode: 0o644 });
  fs.renameSync(temporary, file);
}

export interface SyncFromDirectoryOptions extends Omit<SyncPermissionsOptions, "allowed" | "protectedAccounts"> {
  /** A provider on any node of the network. */
  provider: Provider;
  manifest: Manifest;
  /** Accounts never removed besides the manifest's governance (the deployer, relayers). */
  protectedAccounts?: readonly string[];
  maxBlockRange?: number;
}

/** Reads the directory named in the manifest, then {@link syncPermissions}. Governance is always protected. */
export async function syncPermissionsFromDirectory(
  options: SyncFromDirectoryOptions,
): Promise<SyncPermissionsReport & { directory: DirectoryAllowlist }> {
  const directory = await readManifestAllowlist(options.provider, options.manifest, {
    maxBlockRange: options.maxBlockRange,
    log: options.log,
  });
  const report = await syncPermissions({
    ...options,
    allowed: directory.accounts,
    protectedAccounts: [options.manifest.governance, ...(options.protectedAccounts ?? [])],
  });
  return { ...report, directory };
}
