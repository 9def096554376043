import type { Interface, Log, Provider } from "ethers";

import { getLogsPaged } from "../chain/logs";
import type { GovChainClient } from "../client";
import { GovChainError } from "../errors/base";
import { checkIntegrity, readHeader } from "../utils/documents/certificates";
import type { WrappedCertificate } from "../utils/documents/format";
import type { Hex } from "../utils/documents/hashing";
import { CertificateStatus, type BatchAnchor } from "../utils/documents/reader";
import { agencyDid, agencyFolderUrl } from "../utils/vc/did";
import {
  batchPathIndex,
  batchSlotWidth,
  statusListIndexOfSlot,
  statusListLength,
  type StatusListScope,
} from "../utils/vc/indexes";
import { encodeStatusList, StatusBitstring, webGzip, type Gzip, type StatusPurpose } from "../utils/vc/statusList";
import {
  statusListCredential,
  type StatusListCredential,
  type StatusListSnapshot,
} from "../utils/vc/statusListCredential";

/**
 * Status lists from chain state: the registry's events, replayed up to a block, give every certificate of an agency
 * its slot (docs/decisions/0009-status-list-indexes.md) and its status at that block.
 */

/** A status-list index could not be worked out from the chain. */
export class StatusListIndexError extends GovChainError {
  override name = "StatusListIndexError";
}

interface Batch {
  agencyId: number;
  base: number;
  size: number;
}

/** The registry's history for status lists, replayed up to one block. */
export interface RegistryHistory {
  toBlock: number;
  /** Slots used so far, per agency. */
  slots: Map<number, number>;
  /** Certificates issued on their own: id → agency and slot. */
  issued: Map<Hex, { agencyId: number; slot: number }>;
  batches: Map<Hex, Batch>;
  /** Certificates detached from a batch: id → root, and the transaction that detached it. */
  detached: Map<Hex, { root: Hex; transactionHash: string }>;
  /** Every id whose status changed: its status at `toBlock`. */
  statuses: Map<Hex, CertificateStatus>;
}

const STATUS_EVENTS: Record<string, CertificateStatus> = {
  CertificateRevoked: CertificateStatus.Revoked,
  CertificateSuspended: CertificateStatus.Suspended,
  CertificateReinstated: CertificateStatus.Issued,
  CertificateSuperseded: CertificateStatus.Superseded,
};

/** Replays the registry's events (paged) up to `toBlock`. */
export async function readRegistryHistory(client: GovChainClient, toBlock?: number): Promise<RegistryHistory> {
  const registry = client.certificates;
  const iface = registry.contract.interface;
  const head = toBlock ?? (await client.provider.getBlockNumber());
  const logs: Log[] = await getLogsPaged(
    client.provider,
    { address: registry.address },
    { fromBlock: registry.deploymentBlock, toBlock: head },
  );
  logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const typeAgency = new Map<number, number>();
  const history: RegistryHistory = {
    toBlock: head,
    slots: new Map(),
    issued: new Map(),
    batches: new Map(),
    detached: new Map(),
    statuses: new Map(),
  };
  const take = (agencyId: number, count: number): number => {
    const base = history.slots.get(agencyId) ?? 0;
    history.slots.set(agencyId, base + count);
    return base;
  };
  for (const log of logs) {
    const event = iface.parseLog(log);
    if (!event) continue;
    const args = event.args;
    switch (event.name) {
      case "CertificateTypeRegistered":
        typeAgency.set(Number(args.typeId), Number(args.agencyId));
        break;
      case "CertificateIssued": {
        const agencyId = typeAgency.get(Number(args.typeId)) ?? 0;
        history.issued.set(String(args.certificateId) as Hex, { agencyId, slot: take(agencyId, 1) });
        break;
      }
      case "BatchAnchored": {
        const agencyId = typeAgency.get(Number(args.typeId)) ?? 0;
        const size = Number(args.size);
        history.batches.set(String(args.root) as Hex, { agencyId, size, base: take(agencyId, batchSlotWidth(size)) });
        break;
      }
      case "AnchoredCertificateDetached":
        history.detached.set(String(args.certificateId) as Hex, {
          root: String(args.root) as Hex,
          transactionHash: log.transactionHash,
        });
        break;
      default: {
        const status = STATUS_EVENTS[event.name];
        if (status !== undefined) history.statuses.set(String(args.certificateId) as Hex, status);
      }
    }
  }
  return history;
}

function scopeOf(client: GovChainClient, agencyId: number): StatusListScope {
  return { chainId: client.manifest.chainId, registry: client.certificates.address, agencyId };
}

function placeAnchored(
  client: GovChainClient,
  history: RegistryHistory,
  certificateId: Hex,
  anchor: BatchAnchor,
): { agencyId: number; index: number } {
  const batch = history.batches.get(anchor.root);
  if (!batch) {
    throw new StatusListIndexError(`no batch ${anchor.root} was anchored by block ${history.toBlock}`, {
      code: "STATUS_LIST_INDEX_UNKNOWN",
    });
  }
  const position = batchPathIndex(certificateId, anchor.proof, batch.size);
  if (position === undefined) {
    throw new StatusListIndexError(
      `the proof of ${certificateId} is deeper than batch ${anchor.root} of ${batch.size} allows`,
      { code: "STATUS_LIST_INDEX_UNKNOWN" },
    );
  }
  return {
    agencyId: batch.agencyId,
    index: statusListIndexOfSlot(scopeOf(client, batch.agencyId), batch.base + position),
  };
}

/**
 * The agency and status-list index of a certificate, from the registry's events (a certificate issued on its own)
 * or its batch proof (an anchored one).
 * @throws {StatusListIndexError} `STATUS_LIST_INDEX_UNKNOWN` when the registry never issued it.
 */
export async function statusListIndexOf(
  client: GovChainClient,
  wrapped: WrappedCertificate,
  history?: RegistryHistory,
): Promise<{ agencyId: number; index: number }> {
  const integrity = checkIntegrity(wrapped);
  if (!integrity.valid || !integrity.certificate) {
    throw new StatusListIndexError("the certificate is not intact", {
      code: "STATUS_LIST_INDEX_UNKNOWN",
      details: integrity.issues.map((i) => i.message).join("\n"),
    });
  }
  const { certificateId, batchRoot, batchProof } = integrity.certificate.proof;
  const replay = history ?? (await readRegistryHistory(client));
  const single = replay.issued.get(certificateId);
  if (single)
    return { agencyId: single.agencyId, index: statusListIndexOfSlot(scopeOf(client, single.agencyId), single.slot) };
  if (batchRoot !== undefined && batchProof !== undefined) {
    return placeAnchored(client, replay, certificateId, { root: batchRoot, proof: batchProof });
  }
  throw new StatusListIndexError(`the registry never issued ${readHeader(integrity.certificate).certificateId}`, {
    code: "STATUS_LIST_INDEX_UNKNOWN",
  });
}

const ANCHORED_CALLS = new Set(["revokeAnchored", "suspendAnchored", "supersedeAnchored"]);

/** The batch proof a detaching call carried, read from its transaction's input. */
async function proofFromTransaction(
  provider: Provider,
  iface: Interface,
  registry: string,
  transactionHash: string,
  certificateId: Hex,
): Promise<readonly Hex[] | undefined> {
  const transaction = await provider.getTransaction(transactionHash);
  if (!transaction || transaction.to?.toLowerCase() !== registry.toLowerCase()) return undefined;
  const call = iface.parseTransaction({ data: transaction.data });
  if (!call || !ANCHORED_CALLS.has(call.name)) return undefined;
  const [id, , proof] = call.args as unknown as [string, string, string[]];
  return id.toLowerCase() === certificateId ? (proof.map((p) => p.toLowerCase()) as Hex[]) : undefined;
}

/** Options of {@link buildStatusList}. */
export interface StatusListOptions {
  /** The block to read the state at; the latest when omitted. */
  blockNumber?: number;
  /** Or: the state at this unix time (the last block at or before it). */
  time?: number;
  /**
   * Batch proofs of detached certificates, for those detached through another contract (the SDK otherwise reads
   * the proof from the detaching transaction's input).
   */
  proofs?: ReadonlyMap<Hex, readonly Hex[]>;
}

/** The last block whose timestamp is at or before `time` (binary search). */
export async function blockAtTime(provider: Provider, time: number): Promise<number> {
  let low = 0;
  let high = await provider.getBlockNumber();
  const stamp = async (n: number) => (await provider.getBlock(n))!.timestamp;
  if ((await stamp(high)) <= time) return high;
  if ((await stamp(0)) > time) {
    throw new GovChainError(`the chain did not exist at ${time}`, { code: "BLOCK_NOT_FOUND" });
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if ((await stamp(middle)) <= time) low = middle;
    else high = middle;
  }
  return low;
}

/** A purpose's bit: revocation covers Revoked and Superseded (both final); suspension covers Suspended. */
export function statusBit(purpose: StatusPurpose, status: CertificateStatus): boolean {
  return purpose === "revocation"
    ? status === CertificateStatus.Revoked || status === CertificateStatus.Superseded
    : status === CertificateStatus.Suspended;
}

/** One agency's status bits for both purposes, at one block. */
export interface AgencyStatusLists {
  lists: Record<StatusPurpose, StatusBitstring>;
  snapshot: StatusListSnapshot;
}

/**
 * Builds an agency's revocation and suspension bitstrings from the registry's events, as of a block or a time.
 * Nothing but status bits is in them: no id, no holder, no field.
 * @throws {StatusListIndexError} when a detached certificate's proof cannot be found (pass it in `proofs`).
 */
export async function buildStatusLists(
  client: GovChainClient,
  agencyId: number,
  options: StatusListOptions = {},
): Promise<AgencyStatusLists> {
  const blockNumber =
    options.blockNumber ??
    (options.time !== undefined
      ? await blockAtTime(client.provider, options.time)
      : await client.provider.getBlockNumber());
  const block = await client.provider.getBlock(blockNumber);
  if (!block) throw new GovChainError(`block ${blockNumber} does not exist`, { code: "BLOCK_NOT_FOUND" });
  const history = await readRegistryHistory(client, blockNumber);
  const length = statusListLength(history.slots.get(agencyId) ?? 0);
  const lists = { revocation: new StatusBitstring(length), suspension: new StatusBitstring(length) };
  const registry = client.certificates;
  for (const [certificateId, status] of history.statuses) {
    let placed: { agencyId: number; index: number } | undefined;
    const single = history.issued.get(certificateId);
    if (single) {
      if (single.agencyId !== agencyId) continue;
      placed = { agencyId, index: statusListIndexOfSlot(scopeOf(client, agencyId), single.slot) };
    } else {
      const detached = history.detached.get(certificateId);
      if (!detached || history.batches.get(detached.root)?.agencyId !== agencyId) continue;
      const proof =
        options.proofs?.get(certificateId) ??
        (await proofFromTransaction(
          client.provider,
          registry.contract.interface,
          registry.address,
          detached.transactionHash,
          certificateId,
        ));
      if (!proof) {
        throw new StatusListIndexError(
          `cannot place ${certificateId}: it was detached from batch ${detached.root} through another contract`,
          { code: "STATUS_LIST_INDEX_UNKNOWN", details: "pass its batch proof in options.proofs" },
        );
      }
      placed = placeAnchored(client, history, certificateId, { root: detached.root, proof });
    }
    for (const purpose of ["revocation", "suspension"] as const) {
      if (statusBit(purpose, status)) lists[purpose].set(placed.index);
    }
  }
  return {
    lists,
    snapshot: {
      chainId: client.manifest.chainId,
      registry: registry.address,
      agencyId,
      blockNumber,
      blockHash: block.hash!,
      blockTime: block.timestamp,
    },
  };
}

/** The URL of an agency's status list credential for a purpose. */
export function statusListUrl(baseUrl: string, agencyId: number, purpose: StatusPurpose): string {
  return `${agencyFolderUrl(baseUrl, agencyId)}/${purpose}.json`;
}

/**
 * An agency's two `BitstringStatusListCredential`s (revocation, suspension), as of a block or a time, published
 * under `baseUrl` (`<baseUrl>/<agencyId>/<purpose>.json`).
 */
export async function buildStatusListCredentials(
  client: GovChainClient,
  agencyId: number,
  options: StatusListOptions & { baseUrl: string; gzip?: Gzip },
): Promise<Record<StatusPurpose, StatusListCredential>> {
  const { lists, snapshot } = await buildStatusLists(client, agencyId, options);
  const issuerDid = agencyDid(options.baseUrl, agencyId);
  const make = async (purpose: StatusPurpose) =>
    statusListCredential({
      url: statusListUrl(options.baseUrl, agencyId, purpose),
      issuerDid,
      purpose,
      encodedList: await encodeStatusList(lists[purpose], options.gzip ?? webGzip),
      snapshot,
    });
  return { revocation: await make("revocation"), suspension: await make("suspension") };
}
