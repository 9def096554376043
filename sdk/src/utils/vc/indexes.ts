import { AbiCoder, concat, getAddress, keccak256 } from "ethers";

import { batchLeaf, type Hex } from "../documents/hashing";
import { MIN_STATUS_LIST_BITS } from "./statusList";

/**
 * Status-list indexes (docs/decisions/0009-status-list-indexes.md). Pure.
 *
 * Every certificate of an agency owns one **slot**, counted from 0 in the order of the registry's events: a
 * `CertificateIssued` takes the next slot; a `BatchAnchored` reserves the next 2^d slots (d = ceil(log2 size)) and
 * each anchored certificate takes `base + pathIndex`, where `pathIndex` is read from its own Merkle proof. A slot
 * is placed in the status list by a keyed permutation of each block of 131,072 slots, so that neighbouring indexes
 * are not neighbouring issuances.
 */

/** Slots per permuted block: one minimum-size list. */
export const STATUS_LIST_BLOCK = MIN_STATUS_LIST_BITS;
const HALF_BITS = 9; // the Feistel network permutes 18 bits; cycle walking keeps it inside 17
const HALF_MASK = (1 << HALF_BITS) - 1;
const ROUNDS = 4;
const PERMUTATION_DOMAIN = keccak256(new TextEncoder().encode("govchain.status-list.permutation.v1"));

/** Where a list lives: the permutation is keyed by it, so two agencies' lists never share a layout. */
export interface StatusListScope {
  chainId: number;
  registry: string;
  agencyId: number;
}

const keyCache = new Map<string, number[]>();
const KEY_CACHE_LIMIT = 256;

function roundKeys(scope: StatusListScope, block: number): number[] {
  const cacheKey = `${scope.chainId}:${scope.registry.toLowerCase()}:${scope.agencyId}:${block}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  const seed = keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "uint256", "address", "uint32", "uint256"],
      [PERMUTATION_DOMAIN, scope.chainId, getAddress(scope.registry), scope.agencyId, block],
    ),
  );
  const keys = Array.from({ length: ROUNDS }, (_, round) =>
    Number.parseInt(seed.slice(2 + round * 8, 10 + round * 8), 16),
  );
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear(); // a memo, not state: the keys are a pure function
  keyCache.set(cacheKey, keys);
  return keys;
}

function roundFunction(key: number, half: number): number {
  // A small integer mix (xorshift-multiply); the permutation needs to scatter, not to be secret.
  let x = (key ^ Math.imul(half + 1, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) & HALF_MASK;
}

function feistel(keys: readonly number[], value: number): number {
  let left = value >>> HALF_BITS;
  let right = value & HALF_MASK;
  for (const key of keys) [left, right] = [right, left ^ roundFunction(key, right)];
  return (left << HALF_BITS) | right;
}

/** The status-list index of slot `slot` of an agency: a bijection on each block of 131,072 slots. */
export function statusListIndexOfSlot(scope: StatusListScope, slot: number): number {
  if (!Number.isSafeInteger(slot) || slot < 0) throw new RangeError(`slot ${slot} is not a non-negative integer`);
  const block = Math.floor(slot / STATUS_LIST_BLOCK);
  const keys = roundKeys(scope, block);
  let position = slot % STATUS_LIST_BLOCK;
  do position = feistel(keys, position);
  while (position >= STATUS_LIST_BLOCK); // cycle walking: a permutation of 2^18 restricted to 2^17
  return block * STATUS_LIST_BLOCK + position;
}

/** Slots a batch of `size` certificates reserves: 2^ceil(log2 size), enough for every proof path. */
export function batchSlotWidth(size: number): number {
  return 2 ** batchDepth(size);
}

function batchDepth(size: number): number {
  let depth = 0;
  while (2 ** depth < size) depth += 1;
  return depth;
}

/**
 * The position of a certificate in its anchored batch, read from its proof: at each level, whether the node on the
 * path is the larger of its sorted pair, root first, padded to the batch depth. Two leaves of one tree part at
 * their lowest common ancestor, where exactly one of them is the larger, so positions never collide; a tree of
 * `size` leaves (OpenZeppelin `StandardMerkleTree`) is at most ceil(log2 size) deep, so positions stay below
 * {@link batchSlotWidth}. Undefined when the proof is deeper than the batch's declared size allows.
 */
export function batchPathIndex(certificateId: Hex, proof: readonly Hex[], size: number): number | undefined {
  const depth = batchDepth(size);
  if (proof.length > depth) return undefined;
  let node = batchLeaf(certificateId);
  const bits: number[] = [];
  for (const sibling of proof) {
    const larger = BigInt(node) > BigInt(sibling);
    bits.push(larger ? 1 : 0);
    node = keccak256(larger ? concat([sibling, node]) : concat([node, sibling])) as Hex;
  }
  let index = 0;
  bits.reverse().forEach((bit, level) => {
    index += bit * 2 ** (depth - 1 - level);
  });
  return index;
}

/** The bits a list needs to hold every index of `slots` slots: whole permuted blocks, at least one. */
export function statusListLength(slots: number): number {
  return Math.max(1, Math.ceil(slots / STATUS_LIST_BLOCK)) * STATUS_LIST_BLOCK;
}
