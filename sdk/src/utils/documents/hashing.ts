import { AbiCoder, getBytes, hexlify, id, keccak256, toUtf8Bytes, type BytesLike } from "ethers";

import { DocumentError } from "../../errors/document";
import { canonicalJson, type JsonValue } from "./json";
import type { FieldPath } from "./paths";

/** A 0x-prefixed hex string. Hashes, salts and certificate ids are 32 bytes, in lowercase. */
export type Hex = `0x${string}`;

const abi = AbiCoder.defaultAbiCoder();

/** Domain tag of a field's Merkle leaf: `keccak256("govchain.certificate.field-leaf.v1")`. */
export const FIELD_LEAF_DOMAIN = id("govchain.certificate.field-leaf.v1") as Hex;
/** Domain tag of a field's salted value hash: `keccak256("govchain.certificate.field-value.v1")`. */
export const FIELD_VALUE_DOMAIN = id("govchain.certificate.field-value.v1") as Hex;
/** Domain tag of the holder commitment: `keccak256("govchain.certificate.holder-commitment.v1")`. */
export const HOLDER_COMMITMENT_DOMAIN = id("govchain.certificate.holder-commitment.v1") as Hex;

/** Bytes in a salt. */
export const SALT_BYTES = 32;

/**
 * Normalises a salt to lowercase hex.
 * @throws {DocumentError} `INVALID_SALT` unless it is exactly 32 bytes.
 */
export function toSalt(salt: BytesLike): Hex {
  let bytes: Uint8Array;
  try {
    bytes = getBytes(salt);
  } catch (cause) {
    throw new DocumentError("INVALID_SALT", "A salt must be 32 bytes", { cause });
  }
  if (bytes.length !== SALT_BYTES) {
    throw new DocumentError("INVALID_SALT", `A salt must be 32 bytes, not ${bytes.length}`);
  }
  return hexlify(bytes) as Hex;
}

/** `keccak256(utf8(canonicalJson(value)))`: the hash of a field's value alone (RFC 8785 canonical JSON). */
export function valueHash(value: JsonValue): Hex {
  return keccak256(toUtf8Bytes(canonicalJson(value))) as Hex;
}

/**
 * The salted hash of a field's value: `keccak256(abi.encode(FIELD_VALUE_DOMAIN, salt, valueHash(value)))`.
 * This is what a hidden field keeps: with a fresh 32-byte salt it reveals nothing about the value.
 */
export function saltedValueHash(salt: BytesLike, value: JsonValue): Hex {
  return keccak256(
    abi.encode(["bytes32", "bytes32", "bytes32"], [FIELD_VALUE_DOMAIN, toSalt(salt), valueHash(value)]),
  ) as Hex;
}

/**
 * The Merkle leaf of a field from its path and salted value hash:
 * `keccak256(bytes.concat(keccak256(abi.encode(FIELD_LEAF_DOMAIN, string path, bytes32 saltedValueHash))))`.
 * Binding the path means a value (or a hidden field) cannot be moved to another path.
 */
export function leafFromSaltedHash(path: FieldPath, salted: BytesLike): Hex {
  const inner = keccak256(abi.encode(["bytes32", "string", "bytes32"], [FIELD_LEAF_DOMAIN, path, salted]));
  return keccak256(inner) as Hex;
}

/** The Merkle leaf of a disclosed field: `leafFromSaltedHash(path, saltedValueHash(salt, value))`. */
export function fieldLeaf(path: FieldPath, salt: BytesLike, value: JsonValue): Hex {
  return leafFromSaltedHash(path, saltedValueHash(salt, value));
}

/**
 * The salted commitment to a holder's identity that the registry emits on issuance:
 * `keccak256(abi.encode(HOLDER_COMMITMENT_DOMAIN, string holderId, bytes32 salt))`. In a certificate the salt is
 * the salt of the `holder.id` field, so the holder proves the commitment by disclosing that field, and hiding
 * the field hides the salt with it.
 */
export function holderCommitment(holderId: string, salt: BytesLike): Hex {
  return keccak256(
    abi.encode(["bytes32", "string", "bytes32"], [HOLDER_COMMITMENT_DOMAIN, holderId, toSalt(salt)]),
  ) as Hex;
}

/**
 * The leaf of a certificate id in an anchored batch, as agreed with the registry:
 * `keccak256(bytes.concat(keccak256(abi.encode(bytes32 certificateId))))`, which is exactly the leaf of
 * `StandardMerkleTree.of(ids.map((id) => [id]), ["bytes32"])`.
 */
export function batchLeaf(certificateId: BytesLike): Hex {
  return keccak256(keccak256(abi.encode(["bytes32"], [certificateId]))) as Hex;
}
