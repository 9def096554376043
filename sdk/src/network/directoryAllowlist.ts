import { type Provider, getAddress } from "ethers";

import { IAgencyDirectory__factory } from "../../../typechain-types/factories/contracts/interfaces/IAgencyDirectory__factory";
import { AgencyStatus } from "../utils/capabilities";
import type { Manifest } from "../utils/manifest";
import { RPC_MAX_LOGS_RANGE } from "./besuConfig";
import { NetworkKitError } from "./errors";

/**
 * Reads from the agency directory on chain which accounts may send transactions: the operator keys, and the admins,
 * of agencies that are active with all their ancestors. Network I/O only (JSON-RPC reads); no files.
 *
 * The directory cannot enumerate an agency's operators, so the candidates come from its events (scanned from the
 * deployment block in ranges of at most 5,000 blocks, Besu's default `--rpc-max-logs-range`), and each candidate is
 * then confirmed against the directory's current state at the scanned block: `operatorStatus` and
 * `canAct(account, agency, 0)`, which is false for a removed or compromised key, a suspended or dissolved agency and
 * an agency below a suspended one. Events only find candidates; state decides.
 */

export type AllowlistRole = "operator" | "admin";
export type ExclusionReason =
  "key removed" | "key compromised" | "agency suspended" | "agency dissolved" | "parent agency not active";

export interface AllowlistEntry {
  account: string;
  agencyId: number;
  role: AllowlistRole;
}

export interface ExcludedEntry extends AllowlistEntry {
  reason: ExclusionReason;
}

export interface DirectoryAllowlist {
  /** Every account allowed now (checksummed, sorted, unique). */
  accounts: string[];
  /** Why each account is allowed (an account may appear for several agencies). */
  entries: AllowlistEntry[];
  /** Accounts that appear in the directory but may not act now, and why. */
  excluded: ExcludedEntry[];
  /** The inclusive block range scanned; state was read at `toBlock`. */
  fromBlock: number;
  toBlock: number;
}

export interface ReadDirectoryAllowlistOptions {
  provider: Provider;
  /** The directory's (proxy) address. */
  directory: string;
  /** First block to scan: the directory's deployment block from the manifest. */
  fromBlock: number;
  /** Last block to scan and the block state is read at (default: the latest). */
  toBlock?: number;
  /** Largest `eth_getLogs` range, at most Besu's limit (default 5,000). */
  maxBlockRange?: number;
  /** Also allow the admins of live agencies, who send the directory's key-management transactions (default true). */
  includeAdmins?: boolean;
  /** Progress lines for a person. */
  log?: (line: string) => void;
}

/** Reads the accounts the directory allows to send transactions now. */
export async function readDirectoryAllowlist(options: ReadDirectoryAllowlistOptions): Promise<DirectoryAllowlist> {
  const { provider, log = () => undefined } = options;
  const maxRange = options.maxBlockRange ?? RPC_MAX_LOGS_RANGE;
  if (!Number.isInteger(maxRange) || maxRange < 1) throw new NetworkKitError("the block range must be >= 1");
  const toBlock = options.toBlock ?? (await provider.getBlockNumber());
  if (options.fromBlock > toBlock) {
    throw new NetworkKitError(`the scan starts at block ${options.fromBlock}, after the latest block ${toBlock}`);
  }
  const directoryAddress = getAddress(options.directory);
  if ((await provider.getCode(directoryAddress, toBlock)) === "0x") {
    throw new NetworkKitError(`no agency directory at ${directoryAddress} on this chain`);
  }
  const directory = IAgencyDirectory__factory.connect(directoryAddress, provider);
  const iface = directory.interface;
  const operatorTopics = new Set(
    (["OperatorAdded", "OperatorRemoved", "OperatorKeyCompromised"] as const).map(
      (name) => iface.getEvent(name).topicHash,
    ),
  );

  // 1. Candidates from events, in bounded ranges.
  const pairs = new Map<string, { account: string; agencyId: number }>();
  for (let start = options.fromBlock; start <= toBlock; start += maxRange) {
    const end = Math.min(start + maxRange - 1, toBlock);
    const logs = await provider.getLogs({ address: directoryAddress, fromBlock: start, toBlock: end });
    for (const entry of logs) {
      if (!operatorTopics.has(entry.topics[0])) continue;
      const parsed = iface.parseLog(entry);
      if (!parsed) continue;
      const agencyId = Number(parsed.args.agencyId);
      const account = getAddress(parsed.args.account as string);
      pairs.set(`${agencyId}:${account}`, { account, agencyId });
    }
    log(`scanned blocks ${start}-${end}: ${pairs.size} operator keys seen so far`);
  }

  // 2. Current state, read at the scanned block so events and state agree.
  const at = { blockTag: toBlock };
  const agencyCount = Number(await directory.agencyCount(at));
  const agencies = new Map<number, { status: AgencyStatus; parentId: number; admin: string }>();
  for (let id = 1; id <= agencyCount; id++) {
    const view = await directory.agency(id, at);
    agencies.set(id, { status: Number(view.status), parentId: Number(view.parentId), admin: getAddress(view.admin) });
  }
  const agencyReason = (agencyId: number): ExclusionReason | undefined => {
    const own = agencies.get(agencyId);
    if (!own) return "agency dissolved"; // cannot happen for an id from the directory's own events
    if (own.status === AgencyStatus.Suspended) return "agency suspended";
    if (own.status === AgencyStatus.Dissolved) return "agency dissolved";
    for (let id = own.parentId; id !== 0; id = agencies.get(id)?.parentId ?? 0) {
      if (agencies.get(id)?.status !== AgencyStatus.Active) return "parent agency not active";
    }
    return undefined;
  };

  const entries: AllowlistEntry[] = [];
  const excluded: ExcludedEntry[] = [];
  for (const { account, agencyId } of [...pairs.values()].sort(byAgencyThenAccount)) {
    const [active, compromisedSince] = await directory.operatorStatus(agencyId, account, at);
    const allowed = await directory.canAct(account, agencyId, 0, at);
    const entry: AllowlistEntry = { account, agencyId, role: "operator" };
    if (allowed) {
      entries.push(entry);
      continue;
    }
    const reason: ExclusionReason = !active
      ? compromisedSince !== 0n
        ? "key compromised"
        : "key removed"
      : (agencyReason(agencyId) ?? "agency suspended");
    excluded.push({ ...entry, reason });
  }
  if (options.includeAdmins ?? true) {
    for (const [agencyId, agency] of agencies) {
      const entry: AllowlistEntry = { account: agency.admin, agencyId, role: "admin" };
      const reason = agencyReason(agencyId);
      if (reason) excluded.push({ ...entry, reason });
      else entries.push(entry);
    }
  }
  const accounts = [...new Set(entries.map((entry) => entry.account))].sort(byLowercase);
  log(`${accounts.length} accounts allowed, ${excluded.length} directory entries excluded`);
  return { accounts, entries, excluded, fromBlock: options.fromBlock, toBlock };
}

/** {@link readDirectoryAllowlist} for the directory named in a deployment manifest. */
export async function readManifestAllowlist(
  provider: Provider,
  manifest: Manifest,
  options: Omit<ReadDirectoryAllowlistOptions, "provider" | "directory" | "fromBlock"> = {},
): Promise<DirectoryAllowlist> {
  const deployed = manifest.contracts.AgencyDirectory;
  if (!deployed) throw new NetworkKitError("the deployment manifest has no AgencyDirectory");
  const chainId = Number((await provider.getNetwork()).chainId);
  if (chainId !== manifest.chainId) {
    throw new NetworkKitError(`the manifest is for chain ${manifest.chainId} but the node serves chain ${chainId}`);
  }
  return readDirectoryAllowlist({
    ...options,
    provider,
    directory: deployed.address,
    fromBlock: deployed.deploymentBlock,
  });
}

function byLowercase(a: string, b: string): number {
  return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
}

function byAgencyThenAccount(a: { agencyId: number; account: string }, b: { agencyId: number; account: string }) {
  return a.agencyId - b.agencyId || byLowercase(a.account, b.account);
}
