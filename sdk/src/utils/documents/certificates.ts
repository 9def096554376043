import { SimpleMerkleTree, StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, randomBytes, type BytesLike } from "ethers";

import { DocumentError } from "../../errors/document";
import {
  CERTIFICATE_FORMAT_VERSION,
  HEADER_FIELDS,
  UNHIDEABLE_SECTIONS,
  parseCertificateDocument,
  parseWrappedCertificate,
  type CertificateDocument,
  type CertificateHeader,
  type SaltedField,
  type WrappedCertificate,
} from "./format";
import {
  SALT_BYTES,
  fieldLeaf,
  holderCommitment,
  leafFromSaltedHash,
  saltedValueHash,
  toSalt,
  type Hex,
} from "./hashing";
import { canonicalJson, type JsonObject, type JsonValue } from "./json";
import { flatten, isWithin, pathProblem, unflatten, type FieldPath } from "./paths";

/** The leaf encoding of an anchored batch, agreed with the certificate registry. Never change it. */
export const BATCH_LEAF_ENCODING = ["bytes32"] as const;

/** Options of {@link wrapDocument} and {@link wrapDocuments}. */
export interface WrapOptions {
  /**
   * Returns the salt of a field. Defaults to 32 fresh bytes from ethers' `randomBytes` (the platform CSPRNG,
   * `crypto.getRandomValues` in browsers). Pass your own only to reproduce a certificate, never to save entropy:
   * a guessable salt lets anyone test guesses of a hidden value.
   */
  salt?: (path: FieldPath) => BytesLike;
}

/** A batch of certificates anchored under one Merkle root. */
export interface WrappedBatch {
  /** The root to anchor on chain: `StandardMerkleTree.of(ids.map((id) => [id]), ["bytes32"]).root`. */
  batchRoot: Hex;
  /** The certificates, in the order given, each carrying `batchRoot` and its own `batchProof`. */
  certificates: WrappedCertificate[];
}

/** Why a wrapped certificate fails its integrity check. */
export type IntegrityCode =
  /** The input is not a wrapped certificate at all (the message names the field). */
  | "MALFORMED_CERTIFICATE"
  /** The fields (values, salts, paths, hidden hashes) do not hash to the certificate id. */
  | "CERTIFICATE_ID_MISMATCH"
  /** The disclosed holder id and its salt do not give the disclosed holder commitment. */
  | "HOLDER_COMMITMENT_MISMATCH"
  /** The certificate id is not in the batch the certificate claims (wrong proof or wrong root). */
  | "BATCH_PROOF_INVALID";

/** One reason a certificate fails its integrity check. */
export interface IntegrityIssue {
  code: IntegrityCode;
  message: string;
}

/** The result of {@link checkIntegrity}. */
export interface IntegrityResult {
  /** True when there are no issues. */
  valid: boolean;
  /** The parsed certificate, when the input was well-formed. */
  certificate: WrappedCertificate | undefined;
  issues: IntegrityIssue[];
}

/** What the holder shows to prove they are the holder: their id and the salt of the commitment. */
export interface HolderProof {
  certificateId: Hex;
  holderId: string;
  salt: Hex;
}

/** The arguments of the registry's `issue` (or of a batch issuance, with `batchRoot`). */
export interface IssueArguments {
  certificateId: Hex;
  typeId: number;
  holderCommitment: Hex;
  validFrom: number;
  validUntil: number;
  batchRoot: Hex | undefined;
}

/**
 * Validates and normalises a certificate document (see {@link CertificateDocument}).
 * @throws {DocumentError} `INVALID_DOCUMENT`, naming the offending field.
 */
export function createDocument(document: CertificateDocument): CertificateDocument {
  return parseCertificateDocument(document);
}

/** The fields of a document, flattened, with the holder commitment computed from the holder id's salt. */
function saltFields(document: CertificateDocument, options: WrapOptions): Map<FieldPath, SaltedField> {
  const source = options.salt ?? ((): BytesLike => randomBytes(SALT_BYTES));
  const { type, issuer, holder, validity, fields } = parseCertificateDocument(document);
  const values = flatten({ type, issuer, holder: { id: holder.id }, validity, fields });
  const salted = new Map<FieldPath, SaltedField>();
  for (const [path, value] of values) {
    // Stored in canonical form (keys sorted inside arrays too), so that a wrapped certificate serialises the same
    // way whatever the key order of its source.
    salted.set(path, { value: JSON.parse(canonicalJson(value)) as JsonValue, salt: toSalt(source(path)) });
  }
  const holderSalt = salted.get(HEADER_FIELDS.holderId)!.salt;
  salted.set(HEADER_FIELDS.holderCommitment, {
    value: holderCommitment(holder.id, holderSalt),
    salt: toSalt(source(HEADER_FIELDS.holderCommitment)),
  });
  return salted;
}

/** Sorts an object's keys by path, so that wrapped certificates always serialise the same way. */
function sortedRecord<T>(entries: Iterable<[FieldPath, T]>): Record<FieldPath, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The leaves of every field of a (structurally valid) wrapped certificate, disclosed and hidden. */
function leavesOf(certificate: WrappedCertificate): Hex[] {
  return [
    ...Object.entries(certificate.data).map(([path, field]) => fieldLeaf(path, field.salt, field.value)),
    ...Object.entries(certificate.proof.hidden).map(([path, salted]) => leafFromSaltedHash(path, salted)),
  ];
}

/** The certificate id of a set of field leaves: the root of OpenZeppelin's `SimpleMerkleTree` (sorted pairs). */
function rootOf(leaves: Hex[]): Hex {
  return SimpleMerkleTree.of(leaves).root as Hex;
}

/**
 * Salts every field of a document and computes its certificate id. Every field gets 32 fresh random bytes.
 * @throws {DocumentError} `INVALID_DOCUMENT` when the document is malformed; `INVALID_SALT` for a bad custom salt.
 */
export function wrapDocument(document: CertificateDocument, options: WrapOptions = {}): WrappedCertificate {
  const fields = saltFields(document, options);
  const data = sortedRecord(fields);
  const leaves = [...fields].map(([path, field]) => fieldLeaf(path, field.salt, field.value));
  return { version: CERTIFICATE_FORMAT_VERSION, data, proof: { certificateId: rootOf(leaves), hidden: {} } };
}

/**
 * Wraps several documents and anchors their ids under one batch root, giving each certificate its batch proof.
 * All documents must live in the same registry (same chain id and registry address).
 * @throws {DocumentError} `INVALID_BATCH` for an empty batch, mixed registries or repeated ids.
 */
export function wrapDocuments(documents: readonly CertificateDocument[], options: WrapOptions = {}): WrappedBatch {
  if (documents.length === 0) throw new DocumentError("INVALID_BATCH", "A batch needs at least one document");
  const wrapped = documents.map((document) => wrapDocument(document, options));
  const homes = new Set(documents.map((document) => `${document.type.chainId}:${getAddress(document.type.registry)}`));
  if (homes.size > 1) {
    throw new DocumentError("INVALID_BATCH", "All documents of a batch must live in the same registry", {
      details: `chain:registry pairs: ${[...homes].join(", ")}`,
    });
  }
  const ids = wrapped.map((certificate) => certificate.proof.certificateId);
  if (new Set(ids).size !== ids.length) {
    throw new DocumentError("INVALID_BATCH", "Two documents of the batch have the same certificate id");
  }
  const tree = StandardMerkleTree.of(
    ids.map((id) => [id]),
    [...BATCH_LEAF_ENCODING],
  );
  const batchRoot = tree.root as Hex;
  const certificates = wrapped.map((certificate, index) => ({
    ...certificate,
    proof: { ...certificate.proof, batchRoot, batchProof: tree.getProof(index) as Hex[] },
  }));
  return { batchRoot, certificates };
}

/** True when `batchProof` proves `certificateId` in the batch anchored under `batchRoot`. */
export function verifyBatchProof(certificateId: Hex, batchRoot: Hex, batchProof: readonly Hex[]): boolean {
  return StandardMerkleTree.verify(batchRoot, [...BATCH_LEAF_ENCODING], [certificateId], [...batchProof]);
}

/**
 * Checks that a wrapped certificate is what its issuer produced, without asking the chain: the fields (disclosed
 * values with their salts, and hidden salted hashes, each bound to its path) hash to the certificate id, a
 * disclosed holder id matches the disclosed holder commitment, and the certificate id is in the batch it claims.
 * Accepts anything (it validates the structure first) and never throws.
 */
export function checkIntegrity(input: unknown): IntegrityResult {
  let certificate: WrappedCertificate;
  try {
    certificate = parseWrappedCertificate(input);
  } catch (error) {
    const message = error instanceof DocumentError ? error.shortMessage : String(error);
    return { valid: false, certificate: undefined, issues: [{ code: "MALFORMED_CERTIFICATE", message }] };
  }
  const issues: IntegrityIssue[] = [];
  const { certificateId, batchRoot, batchProof } = certificate.proof;
  const computed = rootOf(leavesOf(certificate));
  if (computed !== certificateId) {
    issues.push({
      code: "CERTIFICATE_ID_MISMATCH",
      message: `The fields hash to ${computed}, not to the certificate id ${certificateId}: the certificate was altered`,
    });
  }
  const holderId = certificate.data[HEADER_FIELDS.holderId];
  const commitment = certificate.data[HEADER_FIELDS.holderCommitment];
  if (holderId !== undefined && commitment !== undefined) {
    if (holderCommitment(holderId.value as string, holderId.salt) !== commitment.value) {
      issues.push({
        code: "HOLDER_COMMITMENT_MISMATCH",
        message: "The holder id and its salt do not give the holder commitment of the certificate",
      });
    }
  }
  if (batchRoot !== undefined && batchProof !== undefined && !verifyBatchProof(certificateId, batchRoot, batchProof)) {
    issues.push({
      code: "BATCH_PROOF_INVALID",
      message: `The batch proof does not place certificate ${certificateId} under the batch root ${batchRoot}`,
    });
  }
  return { valid: issues.length === 0, certificate, issues };
}

/** Parses a certificate and throws unless it passes its integrity check. */
function requireIntact(input: WrappedCertificate): WrappedCertificate {
  const result = checkIntegrity(input);
  if (result.certificate === undefined || !result.valid) {
    const issue = result.issues[0];
    throw new DocumentError(
      issue.code === "MALFORMED_CERTIFICATE" ? "INVALID_DOCUMENT" : "INTEGRITY_FAILED",
      issue.message,
      { details: result.issues.map((each) => `${each.code}: ${each.message}`).join("\n") },
    );
  }
  return result.certificate;
}

/**
 * Hides fields of a certificate: each is replaced by its salted value hash, and its value and salt are dropped, so
 * the result still verifies and what is hidden cannot be guessed from it. An entry hides the field of that path
 * and every field below it (`fields.address` hides `fields.address.street` and `fields.address.city`);
 * `holder` hides the holder id and commitment. Hiding an already hidden field is allowed.
 * The type, issuer and validity fields cannot be hidden.
 * @throws {DocumentError} `FIELD_NOT_FOUND` for a path matching no field (a typo must not leave data visible),
 * `FIELD_NOT_HIDEABLE`, or `INTEGRITY_FAILED` when the certificate does not verify in the first place.
 */
export function disclose(wrapped: WrappedCertificate, hide: readonly FieldPath[]): WrappedCertificate {
  const certificate = requireIntact(wrapped);
  const data = new Map(Object.entries(certificate.data));
  const hidden = new Map(Object.entries(certificate.proof.hidden));
  for (const entry of hide) {
    const problem = entry === "" ? "empty path" : pathProblem(entry);
    if (problem !== undefined) throw new DocumentError("FIELD_NOT_FOUND", `Cannot hide "${entry}": ${problem}`);
    if (UNHIDEABLE_SECTIONS.some((section) => isWithin(entry, section) || isWithin(section, entry))) {
      throw new DocumentError(
        "FIELD_NOT_HIDEABLE",
        `Cannot hide "${entry}": the ${UNHIDEABLE_SECTIONS.join(", ")} fields must stay disclosed`,
      );
    }
    const matches = [...data.keys()].filter((path) => isWithin(path, entry));
    if (matches.length === 0 && ![...hidden.keys()].some((path) => isWithin(path, entry))) {
      throw new DocumentError("FIELD_NOT_FOUND", `Cannot hide "${entry}": the certificate has no such field`);
    }
    for (const path of matches) {
      const field = data.get(path)!;
      hidden.set(path, saltedValueHash(field.salt, field.value));
      data.delete(path);
    }
  }
  return {
    version: CERTIFICATE_FORMAT_VERSION,
    data: sortedRecord(data),
    proof: { ...certificate.proof, hidden: sortedRecord(hidden) },
  };
}

/** A field's leaf and its Merkle proof in the certificate id. */
export interface FieldProof {
  leaf: Hex;
  proof: Hex[];
}

/**
 * The Merkle proof of one field (disclosed or hidden) in the certificate id, so that a contract can check a single
 * field with OpenZeppelin's `MerkleProof.verify(proof, certificateId, leaf)`.
 * @throws {DocumentError} `INTEGRITY_FAILED` for a certificate that does not verify; `FIELD_NOT_FOUND`.
 */
export function fieldProof(wrapped: WrappedCertificate, path: FieldPath): FieldProof {
  const certificate = requireIntact(wrapped);
  const field = certificate.data[path];
  const salted = certificate.proof.hidden[path];
  if (field === undefined && salted === undefined) {
    throw new DocumentError("FIELD_NOT_FOUND", `The certificate has no field "${path}"`);
  }
  const leaf = field !== undefined ? fieldLeaf(path, field.salt, field.value) : leafFromSaltedHash(path, salted);
  return { leaf, proof: SimpleMerkleTree.of(leavesOf(certificate)).getProof(leaf) as Hex[] };
}

/** The disclosed fields of a certificate, flat, by path (sorted). Structure only: call `checkIntegrity` first. */
export function getDisclosedFields(wrapped: WrappedCertificate): Record<FieldPath, JsonValue> {
  const certificate = parseWrappedCertificate(wrapped);
  return sortedRecord(Object.entries(certificate.data).map(([path, field]) => [path, field.value]));
}

/** The disclosed fields of a certificate as a nested document (hidden fields are simply absent). */
export function getDisclosedDocument(wrapped: WrappedCertificate): JsonObject {
  return unflatten(Object.entries(getDisclosedFields(wrapped)));
}

/**
 * The paths of the hidden fields, sorted. Paths are authenticated (each hidden hash is bound to its path), so
 * this list is trustworthy once `checkIntegrity` passes; note that a field's name is never hidden, only its value.
 */
export function hiddenFields(wrapped: WrappedCertificate): FieldPath[] {
  return Object.keys(parseWrappedCertificate(wrapped).proof.hidden).sort();
}

/** The typed header of a structurally valid certificate. Call `checkIntegrity` first to trust it. */
export function readHeader(wrapped: WrappedCertificate): CertificateHeader {
  const { data, proof } = parseWrappedCertificate(wrapped);
  const value = (path: FieldPath): JsonValue | undefined => data[path]?.value;
  return {
    certificateId: proof.certificateId,
    typeId: value(HEADER_FIELDS.typeId) as number,
    chainId: value(HEADER_FIELDS.chainId) as number,
    registry: getAddress(value(HEADER_FIELDS.registry) as string),
    agencyId: value(HEADER_FIELDS.agencyId) as number,
    validFrom: value(HEADER_FIELDS.validFrom) as number,
    validUntil: value(HEADER_FIELDS.validUntil) as number,
    holderId: value(HEADER_FIELDS.holderId) as string | undefined,
    holderCommitment: value(HEADER_FIELDS.holderCommitment) as Hex | undefined,
  };
}

/** What the issuer passes to the registry to issue this certificate (the full, undisclosed certificate). */
export function issueArguments(wrapped: WrappedCertificate): IssueArguments {
  const certificate = requireIntact(wrapped);
  const header = readHeader(certificate);
  if (header.holderCommitment === undefined) {
    throw new DocumentError("FIELD_HIDDEN", "The holder commitment is hidden; issue from the full certificate");
  }
  return {
    certificateId: header.certificateId,
    typeId: header.typeId,
    holderCommitment: header.holderCommitment,
    validFrom: header.validFrom,
    validUntil: header.validUntil,
    batchRoot: certificate.proof.batchRoot,
  };
}

/**
 * What a holder reveals to prove they hold a certificate: their id and the salt of `holder.id`, which is also the
 * salt of the holder commitment. Give it only to a verifier who may learn the holder id.
 * @throws {DocumentError} `FIELD_HIDDEN` when the certificate has the holder id hidden.
 */
export function holderProof(wrapped: WrappedCertificate): HolderProof {
  const certificate = parseWrappedCertificate(wrapped);
  const field = certificate.data[HEADER_FIELDS.holderId];
  if (field === undefined) throw new DocumentError("FIELD_HIDDEN", "The holder id is hidden in this certificate");
  return { certificateId: certificate.proof.certificateId, holderId: field.value as string, salt: field.salt };
}

/**
 * Checks a holder proof against a holder commitment (from a certificate, or from the registry's issuance event):
 * true when `holderCommitment(proof.holderId, proof.salt)` equals it.
 */
export function verifyHolderProof(proof: HolderProof, commitment: Hex): boolean {
  try {
    return holderCommitment(proof.holderId, proof.salt) === commitment.toLowerCase();
  } catch {
    return false;
  }
}
