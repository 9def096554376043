import { getAddress, isAddress } from "ethers";
import { z } from "zod";

import { DocumentError } from "../../errors/document";
import type { Hex } from "./hashing";
import { canonicalJson, hasLoneSurrogate, isJsonObject, type JsonObject, type JsonValue } from "./json";
import { isWithin, keyProblem, PATH_SEPARATOR, pathProblem, splitPath, type FieldPath } from "./paths";

/** The format tag of a wrapped certificate. A new tag means a new leaf or id construction. */
export const CERTIFICATE_FORMAT_VERSION = "govchain.certificate.v1";

/** The fields every certificate has, by path. The first six must stay disclosed; the holder's may be hidden. */
export const HEADER_FIELDS = {
  typeId: "type.typeId",
  chainId: "type.chainId",
  registry: "type.registry",
  agencyId: "issuer.agencyId",
  validFrom: "validity.validFrom",
  validUntil: "validity.validUntil",
  holderId: "holder.id",
  holderCommitment: "holder.commitment",
} as const satisfies Record<string, FieldPath>;

/** Sections a holder may not hide: without them nobody can tell where the certificate lives or when it is valid. */
export const UNHIDEABLE_SECTIONS: readonly FieldPath[] = ["type", "issuer", "validity"];
/** The section holding the certificate's own content. */
export const FIELDS_SECTION = "fields";

/** A certificate before it is wrapped: what the issuing agency fills in. */
export interface CertificateDocument {
  /** Where the certificate lives: its type in the certificate registry at `registry` on chain `chainId`. */
  type: { typeId: number; chainId: number; registry: string };
  /** The issuing agency (its id in the agency directory). */
  issuer: { agencyId: number };
  /** The holder's identifier, such as a national id number. It appears on chain only as a salted commitment. */
  holder: { id: string };
  /** Unix seconds. `validFrom` 0 means "from issuance"; `validUntil` 0 means "the type's default, or never". */
  validity: { validFrom: number; validUntil: number };
  /** The certificate's content: any JSON object. Keys may not be empty or contain `.`. */
  fields: JsonObject;
}

/** A disclosed field: its value and the salt that blinds it. */
export interface SaltedField {
  value: JsonValue;
  salt: Hex;
}

/** What ties a wrapped certificate's fields to its id, and its id to an anchored batch. */
export interface CertificateProof {
  /** The Merkle root over the leaves of all fields, disclosed and hidden. */
  certificateId: Hex;
  /** The hidden fields: path → salted value hash (the salt and value are gone). */
  hidden: Record<FieldPath, Hex>;
  /** The root of the batch the certificate was anchored in, when it was issued in a batch. */
  batchRoot?: Hex;
  /** The certificate id's proof in that batch (OpenZeppelin `MerkleProof`, sorted pairs). */
  batchProof?: Hex[];
}

/** A certificate as held and shown: the disclosed fields with their salts, and the proof. Plain JSON. */
export interface WrappedCertificate {
  version: typeof CERTIFICATE_FORMAT_VERSION;
  /** The disclosed fields, by path. */
  data: Record<FieldPath, SaltedField>;
  proof: CertificateProof;
}

/** The header of a wrapped certificate, typed: what verification reads. */
export interface CertificateHeader {
  certificateId: Hex;
  typeId: number;
  chainId: number;
  /** Checksummed. */
  registry: string;
  agencyId: number;
  validFrom: number;
  validUntil: number;
  /** Undefined when the holder hid it. */
  holderId: string | undefined;
  /** Undefined when the holder hid it. */
  holderCommitment: Hex | undefined;
}

const MAX_UINT32 = 2 ** 32 - 1;
const MAX_UINT40 = 2 ** 40 - 1;
/** Deepest nesting accepted in a value, so that hostile input cannot exhaust the stack. */
const MAX_DEPTH = 32;

const uint32 = z.number().int().min(0).max(MAX_UINT32);
const agencyId = z.number().int().min(1, "agency ids start at 1").max(MAX_UINT32);
const chainId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const timestamp = z.number().int().min(0).max(MAX_UINT40);
const address = z.string().refine((value) => isAddress(value), "must be a 20-byte hex address");
const hex32 = z
  .string()
  .regex(/^0x[0-9a-f]{64}$/, "must be 0x followed by 64 lowercase hex digits")
  .transform((value) => value as Hex);
const holderId = z
  .string()
  .min(1, "must not be empty")
  .refine((value) => value.trim() === value, "must not start or end with white space")
  .refine((value) => !hasLoneSurrogate(value), "must be valid Unicode (no lone surrogates)");

type Segment = string | number;
type Report = (path: Segment[], message: string) => void;

/** Reports every reason `value` is not a JSON value that certificate hashing accepts. */
function checkJson(value: unknown, path: Segment[], report: Report): void {
  if (path.length > MAX_DEPTH) return report(path, `nested more than ${MAX_DEPTH} levels deep`);
  if (value === null || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) report(path, "numbers must be finite");
    return;
  }
  if (typeof value === "string") {
    if (hasLoneSurrogate(value)) report(path, "strings must be valid Unicode (no lone surrogates)");
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkJson(item, [...path, index], report));
    return;
  }
  if (typeof value === "object") {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return report(path, "must be a plain JSON object");
    for (const [key, item] of Object.entries(value)) {
      const problem = keyProblem(key) ?? (hasLoneSurrogate(key) ? "keys must be valid Unicode" : undefined);
      if (problem !== undefined) report([...path, key], problem);
      else checkJson(item, [...path, key], report);
    }
    return;
  }
  report(path, `a ${typeof value} is not a JSON value`);
}

const jsonValue = z
  .custom<JsonValue>()
  .superRefine((value, ctx) =>
    checkJson(value, [], (path, message) => ctx.addIssue({ code: "custom", message, path })),
  );
const jsonObject = z.custom<JsonObject>().superRefine((value, ctx) => {
  if (!isJsonObject(value)) ctx.addIssue({ code: "custom", message: "must be a JSON object" });
  else checkJson(value, [], (path, message) => ctx.addIssue({ code: "custom", message, path }));
});

const documentSchema = z.strictObject({
  type: z.strictObject({ typeId: uint32, chainId, registry: address.transform((value) => getAddress(value)) }),
  issuer: z.strictObject({ agencyId }),
  holder: z.strictObject({ id: holderId }),
  validity: z
    .strictObject({ validFrom: timestamp, validUntil: timestamp })
    .refine((v) => v.validUntil === 0 || v.validUntil > v.validFrom, {
      message: "must be after validFrom (or 0 for no end)",
      path: ["validUntil"],
    }),
  fields: jsonObject,
});

/** How each header field's value must look inside a wrapped certificate. */
const headerValue: Record<FieldPath, z.ZodType> = {
  [HEADER_FIELDS.typeId]: uint32,
  [HEADER_FIELDS.chainId]: chainId,
  [HEADER_FIELDS.registry]: address,
  [HEADER_FIELDS.agencyId]: agencyId,
  [HEADER_FIELDS.validFrom]: timestamp,
  [HEADER_FIELDS.validUntil]: timestamp,
  [HEADER_FIELDS.holderId]: holderId,
  [HEADER_FIELDS.holderCommitment]: hex32,
};
const DISCLOSED_HEADER = Object.keys(headerValue).filter((path) => !isWithin(path, "holder"));

const wrappedSchema = z
  .strictObject({
    version: z.literal(CERTIFICATE_FORMAT_VERSION),
    data: z.record(z.string(), z.strictObject({ value: jsonValue, salt: hex32 })),
    proof: z.strictObject({
      certificateId: hex32,
      hidden: z.record(z.string(), hex32),
      batchRoot: hex32.optional(),
      batchProof: z.array(hex32).optional(),
    }),
  })
  .superRefine((wrapped, ctx) => {
    const issue = (path: Segment[], message: string): void => ctx.addIssue({ code: "custom", message, path });
    const disclosed = Object.keys(wrapped.data);
    const hidden = Object.keys(wrapped.proof.hidden);
    const all = [...disclosed, ...hidden].sort();
    for (const [where, paths] of [
      ["data", disclosed],
      ["proof.hidden", hidden],
    ] as const) {
      for (const path of paths) {
        const problem = pathProblem(path);
        const at = [...where.split("."), path];
        if (problem !== undefined) issue(at, `not a field path: ${problem}`);
        else if (!(path in headerValue) && !isWithin(path, FIELDS_SECTION)) issue(at, "not a certificate field");
      }
    }
    const known = new Set(disclosed);
    for (const path of hidden) {
      if (known.has(path)) issue(["proof", "hidden", path], "the field is also disclosed");
      known.add(path);
    }
    for (const path of all) {
      const keys = splitPath(path);
      for (let length = 1; length < keys.length; length++) {
        const outer = keys.slice(0, length).join(PATH_SEPARATOR);
        if (known.has(outer)) issue(["data", path], `overlaps the field ${outer}`);
      }
    }
    for (const [path, field] of Object.entries(wrapped.data)) {
      const schema = headerValue[path];
      if (schema !== undefined) {
        for (const problem of schema.safeParse(field.value).error?.issues ?? []) {
          issue(["data", path, "value", ...(problem.path as Segment[])], problem.message);
        }
      } else if (isJsonObject(field.value) && Object.keys(field.value).length > 0) {
        issue(["data", path, "value"], "a non-empty object must be split into one field per key");
      }
    }
    for (const path of DISCLOSED_HEADER) {
      if (!(path in wrapped.data)) issue(["data", path], "required, and may not be hidden");
    }
    for (const path of [HEADER_FIELDS.holderId, HEADER_FIELDS.holderCommitment]) {
      if (!(path in wrapped.data) && !(path in wrapped.proof.hidden)) issue(["data", path], "required");
    }
    if (!all.some((path) => isWithin(path, FIELDS_SECTION))) issue(["data", FIELDS_SECTION], "required");
    if ((wrapped.proof.batchRoot === undefined) !== (wrapped.proof.batchProof === undefined)) {
      issue(["proof", "batchProof"], "batchRoot and batchProof go together");
    }
  });

/** Where an own `__proto__` key sits in `value` (as parsed by `JSON.parse`), or undefined. */
function protoKeyPath(value: unknown, path: string[]): string | undefined {
  if (typeof value !== "object" || value === null || path.length > MAX_DEPTH + 4) return undefined;
  if (!Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, "__proto__")) return path.join(".");
  for (const [key, item] of Object.entries(value)) {
    const found = protoKeyPath(item, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

function describe(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    // Segments of the *document* are joined with "." so that the name reads like a field path.
    const where = issue.path
      .map((segment, index) =>
        typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`,
      )
      .join("");
    return where === "" ? issue.message : `${where}: ${issue.message}`;
  });
}

function refuse(what: string, error: z.ZodError): never {
  const problems = describe(error.issues);
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  throw new DocumentError("INVALID_DOCUMENT", `Invalid ${what}: ${problems[0]}${more}`, {
    details: problems.join("\n"),
    cause: error,
  });
}

/**
 * Validates a certificate document from outside (a form, a file, an API) and returns it normalised (the registry
 * address checksummed).
 * @throws {DocumentError} `INVALID_DOCUMENT`, naming the first offending field in `shortMessage` and all of them in
 * `details`.
 */
export function parseCertificateDocument(input: unknown): CertificateDocument {
  const result = documentSchema.safeParse(input);
  if (!result.success) refuse("certificate document", result.error);
  return result.data;
}

/**
 * Validates the structure of a wrapped certificate from outside (it does not check hashes: see `checkIntegrity`).
 * @throws {DocumentError} `INVALID_DOCUMENT`, naming the first offending field.
 */
export function parseWrappedCertificate(input: unknown): WrappedCertificate {
  const poisoned = protoKeyPath(input, []);
  if (poisoned !== undefined) {
    // Checked before zod, which would turn the key into a prototype and silently drop it.
    throw new DocumentError(
      "INVALID_DOCUMENT",
      `Invalid wrapped certificate: ${poisoned}: the key "__proto__" is reserved`,
    );
  }
  const result = wrappedSchema.safeParse(input);
  if (!result.success) refuse("wrapped certificate", result.error);
  const certificate = result.data as WrappedCertificate;
  // Every disclosed value must hash: JSON.parse turns "1e999" into Infinity, which has no canonical form. Refusing
  // it here keeps checkIntegrity's promise to report, never throw.
  for (const [path, field] of Object.entries(certificate.data)) {
    try {
      canonicalJson(field.value);
    } catch (error) {
      const reason = error instanceof DocumentError ? error.shortMessage : String(error);
      throw new DocumentError("INVALID_DOCUMENT", `Invalid wrapped certificate: data.${path}.value: ${reason}`, {
        cause: error,
      });
    }
  }
  return certificate;
}
