import { z } from "zod";

import { DocumentError } from "../../errors/document";
import {
  CERTIFICATE_FORMAT_VERSION,
  HEADER_FIELDS,
  parseWrappedCertificate,
  type WrappedCertificate,
} from "../documents/format";
import { readHeader } from "../documents/certificates";
import type { Hex } from "../documents/hashing";
import { canonicalJson, isJsonObject, type JsonObject, type JsonValue } from "../documents/json";
import { splitPath, unflatten, type FieldPath } from "../documents/paths";
import type { StatusPurpose } from "./statusList";

/**
 * A GovChain certificate as a W3C Verifiable Credential (VC Data Model 2.0), and back. Pure.
 *
 * The credential carries everything the wrapped certificate does: the disclosed values in `credentialSubject`
 * (mirroring the document's `holder` and `fields` sections), and the salts, hidden hashes, batch proof and header
 * in `govchainProof`, so that {@link certificateFromCredential} gives back the exact wrapped certificate and the
 * chain checks run unchanged. Terms outside the base context resolve through its `@vocab` (issuer-dependent terms).
 */

export const VC_CONTEXT_V2 = "https://www.w3.org/ns/credentials/v2";
export const CERTIFICATE_CREDENTIAL_TYPE = "GovChainCertificate";
export const STATUS_LIST_ENTRY_TYPE = "BitstringStatusListEntry";
export const STATUS_LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential";

/** A `credentialStatus` entry of the Bitstring Status List recommendation. */
export interface BitstringStatusListEntry {
  id: string;
  type: typeof STATUS_LIST_ENTRY_TYPE;
  statusPurpose: StatusPurpose;
  /** A decimal string, as the recommendation requires. */
  statusListIndex: string;
  statusListCredential: string;
}

/** What ties the credential to the chain: the wrapped certificate minus the disclosed values. */
export interface GovChainCredentialProof {
  format: typeof CERTIFICATE_FORMAT_VERSION;
  certificateId: Hex;
  chainId: number;
  registry: string;
  typeId: number;
  agencyId: number;
  /** The document's values (0 = "the registry decides"); the credential's `validFrom`/`validUntil` are the chain's. */
  validFrom: number;
  validUntil: number;
  /** The salt of every disclosed field, by path. */
  salts: Record<FieldPath, Hex>;
  /** Hidden fields: path → salted value hash. */
  hidden: Record<FieldPath, Hex>;
  batchRoot?: Hex;
  batchProof?: Hex[];
}

/** A certificate as a VC Data Model 2.0 credential. */
export interface CertificateCredential {
  "@context": string[];
  id: string;
  type: string[];
  name: string;
  issuer: { id: string; name: string };
  validFrom: string;
  validUntil?: string;
  credentialSubject: JsonObject;
  credentialSchema: { id: string; type: "JsonSchema" };
  credentialStatus: BitstringStatusListEntry[];
  govchainProof: GovChainCredentialProof;
}

/** What the chain and the publisher add to a certificate to make it a credential. */
export interface CredentialContext {
  /** The issuing agency's DID. */
  issuerDid: string;
  issuerName: string;
  typeName: string;
  schemaHash: Hex;
  /** The registry's validity window, unix seconds (`validUntil` 0: no end). */
  validFrom: number;
  validUntil: number;
  statusListIndex: number;
  /** The URL of the agency's status list credential for a purpose. */
  statusListUrl: (purpose: StatusPurpose) => string;
}

/** The header paths, which live in `govchainProof` rather than `credentialSubject`. */
const HEADER_KEYS = {
  [HEADER_FIELDS.typeId]: "typeId",
  [HEADER_FIELDS.chainId]: "chainId",
  [HEADER_FIELDS.registry]: "registry",
  [HEADER_FIELDS.agencyId]: "agencyId",
  [HEADER_FIELDS.validFrom]: "validFrom",
  [HEADER_FIELDS.validUntil]: "validUntil",
} as const satisfies Record<FieldPath, keyof GovChainCredentialProof>;

const isoTime = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");

/** The credential's `id`: a URN naming the certificate where it lives. */
export function certificateCredentialId(chainId: number, registry: string, certificateId: Hex): string {
  return `urn:govchain:certificate:${chainId}:${registry.toLowerCase()}:${certificateId}`;
}

/** The credential's `credentialSchema.id`: the type's schema hash as a URN. */
export function schemaUrn(schemaHash: Hex): string {
  return `urn:govchain:schema:${schemaHash}`;
}

/**
 * Turns a wrapped certificate into an (unsecured) VC 2.0 credential. Structure only: verify the certificate first.
 * @throws {DocumentError} `INVALID_DOCUMENT` when `wrapped` is not a wrapped certificate.
 */
export function credentialFromCertificate(
  wrapped: WrappedCertificate,
  context: CredentialContext,
): CertificateCredential {
  const certificate = parseWrappedCertificate(wrapped);
  const header = readHeader(certificate);
  const subject: [FieldPath, JsonValue][] = [];
  const salts: Record<FieldPath, Hex> = {};
  for (const [path, field] of Object.entries(certificate.data)) {
    salts[path] = field.salt;
    if (!(path in HEADER_KEYS)) subject.push([path, field.value]);
  }
  const index = String(context.statusListIndex);
  const status = (purpose: StatusPurpose): BitstringStatusListEntry => ({
    id: `${context.statusListUrl(purpose)}#${index}`,
    type: STATUS_LIST_ENTRY_TYPE,
    statusPurpose: purpose,
    statusListIndex: index,
    statusListCredential: context.statusListUrl(purpose),
  });
  const { batchRoot, batchProof } = certificate.proof;
  return {
    "@context": [VC_CONTEXT_V2],
    id: certificateCredentialId(header.chainId, header.registry, header.certificateId),
    type: ["VerifiableCredential", CERTIFICATE_CREDENTIAL_TYPE],
    name: context.typeName,
    issuer: { id: context.issuerDid, name: context.issuerName },
    validFrom: isoTime(context.validFrom),
    ...(context.validUntil !== 0 ? { validUntil: isoTime(context.validUntil) } : {}),
    credentialSubject: unflatten(subject),
    credentialSchema: { id: schemaUrn(context.schemaHash), type: "JsonSchema" },
    credentialStatus: [status("revocation"), status("suspension")],
    govchainProof: {
      format: CERTIFICATE_FORMAT_VERSION,
      certificateId: header.certificateId,
      chainId: header.chainId,
      registry: header.registry,
      typeId: header.typeId,
      agencyId: header.agencyId,
      validFrom: header.validFrom,
      validUntil: header.validUntil,
      salts,
      hidden: { ...certificate.proof.hidden },
      ...(batchRoot !== undefined && batchProof !== undefined ? { batchRoot, batchProof: [...batchProof] } : {}),
    },
  };
}

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);
const statusEntrySchema = z.object({
  id: z.string(),
  type: z.literal(STATUS_LIST_ENTRY_TYPE),
  statusPurpose: z.enum(["revocation", "suspension"]),
  statusListIndex: z.string().regex(/^(0|[1-9][0-9]*)$/),
  statusListCredential: z.string().min(1),
});
const credentialSchema = z.object({
  "@context": z.array(z.string()).refine((c) => c[0] === VC_CONTEXT_V2, `must start with ${VC_CONTEXT_V2}`),
  id: z.string(),
  type: z
    .array(z.string())
    .refine((t) => t.includes("VerifiableCredential") && t.includes(CERTIFICATE_CREDENTIAL_TYPE)),
  name: z.string(),
  issuer: z.object({ id: z.string().startsWith("did:"), name: z.string() }),
  validFrom: z.string(),
  validUntil: z.string().optional(),
  credentialSubject: z.custom<JsonObject>((value) => isJsonObject(value), "must be a JSON object"),
  credentialSchema: z.object({ id: z.string(), type: z.literal("JsonSchema") }),
  credentialStatus: z.array(statusEntrySchema).min(1),
  govchainProof: z.object({
    format: z.literal(CERTIFICATE_FORMAT_VERSION),
    certificateId: hex32,
    chainId: z.number(),
    registry: z.string(),
    typeId: z.number(),
    agencyId: z.number(),
    validFrom: z.number(),
    validUntil: z.number(),
    salts: z.record(z.string(), hex32),
    hidden: z.record(z.string(), hex32),
    batchRoot: hex32.optional(),
    batchProof: z.array(hex32).optional(),
  }),
});

/**
 * Validates the structure of a certificate credential from outside.
 * @throws {DocumentError} `INVALID_DOCUMENT`, naming the first offending property.
 */
export function parseCertificateCredential(input: unknown): CertificateCredential {
  const result = credentialSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new DocumentError(
      "INVALID_DOCUMENT",
      `Invalid certificate credential: ${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`,
      { cause: result.error },
    );
  }
  return result.data as CertificateCredential;
}

function valueAt(root: JsonObject, path: FieldPath): JsonValue | undefined {
  let node: JsonValue | undefined = root;
  for (const key of splitPath(path)) {
    if (!isJsonObject(node) || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/**
 * The wrapped certificate a credential carries, exactly as it was exported (run `verify` on it). Every value
 * with a salt must be present, and nothing else may be in `credentialSubject`, so that no claim escapes the proof.
 * @throws {DocumentError} `INVALID_DOCUMENT` when the credential is malformed or its subject and proof disagree.
 */
export function certificateFromCredential(input: unknown): WrappedCertificate {
  const credential = parseCertificateCredential(input);
  const proof = credential.govchainProof;
  const data: WrappedCertificate["data"] = {};
  const subjectPaths: [FieldPath, JsonValue][] = [];
  for (const [path, salt] of Object.entries(proof.salts)) {
    const headerKey = (HEADER_KEYS as Record<FieldPath, keyof GovChainCredentialProof>)[path];
    const value =
      headerKey !== undefined ? (proof[headerKey] as JsonValue) : valueAt(credential.credentialSubject, path);
    if (value === undefined) {
      throw new DocumentError("INVALID_DOCUMENT", `Invalid certificate credential: credentialSubject lacks ${path}`);
    }
    data[path] = { value, salt };
    if (headerKey === undefined) subjectPaths.push([path, value]);
  }
  // The subject must be exactly the salted values: an unproven claim could otherwise ride along.
  if (canonicalJson(unflatten(subjectPaths)) !== canonicalJson(credential.credentialSubject)) {
    throw new DocumentError(
      "INVALID_DOCUMENT",
      "Invalid certificate credential: credentialSubject holds claims the GovChain proof does not cover",
    );
  }
  return parseWrappedCertificate({
    version: CERTIFICATE_FORMAT_VERSION,
    data,
    proof: {
      certificateId: proof.certificateId,
      hidden: proof.hidden,
      ...(proof.batchRoot !== undefined ? { batchRoot: proof.batchRoot } : {}),
      ...(proof.batchProof !== undefined ? { batchProof: proof.batchProof } : {}),
    },
  });
}
