import { getAddress } from "ethers";

import { GovChainError } from "../../errors/base";
import { AgencyStatus } from "../capabilities";
import { checkIntegrity, readHeader, type IntegrityCode } from "./certificates";
import type { CertificateHeader } from "./format";
import type { Hex } from "./hashing";
import {
  CertificateStatus,
  type AgencyRecord,
  type BatchAnchor,
  type CertificateChainReader,
  type CertificateRecord,
  type CertificateTypeRecord,
  type IssuerKeyRecord,
} from "./reader";

/** The checks of {@link verify}, in the order they run. */
export const VERIFICATION_CHECKS = ["integrity", "issuance", "status", "validity", "issuer"] as const;
/** The name of one check. */
export type CheckName = (typeof VERIFICATION_CHECKS)[number];

/** Why a check failed. */
export type VerificationCode =
  | IntegrityCode
  // issuance
  | "WRONG_CHAIN"
  | "WRONG_REGISTRY"
  | "CERTIFICATE_NOT_ISSUED"
  | "TYPE_MISMATCH"
  | "UNKNOWN_TYPE"
  | "AGENCY_MISMATCH"
  | "HOLDER_COMMITMENT_NOT_ON_CHAIN"
  // status
  | "CERTIFICATE_REVOKED"
  | "CERTIFICATE_SUSPENDED"
  | "CERTIFICATE_SUPERSEDED"
  // validity
  | "CERTIFICATE_NOT_YET_VALID"
  | "CERTIFICATE_EXPIRED"
  | "VALIDITY_MISMATCH"
  // issuer
  | "UNKNOWN_AGENCY"
  | "AGENCY_SUSPENDED"
  | "UNKNOWN_ISSUER_KEY"
  | "ISSUER_KEY_WRONG_AGENCY"
  | "ISSUER_KEY_COMPROMISED"
  | "ISSUER_KEY_NOT_AUTHORIZED";

/** One reason a check failed: a code for programs, a sentence for people. */
export interface VerificationIssue {
  code: VerificationCode;
  message: string;
}

/** The outcome of one check. `skipped` when an earlier check failed and this one would be meaningless. */
export interface VerificationCheck {
  name: CheckName;
  outcome: "passed" | "failed" | "skipped";
  /** A sentence saying what was found (for a failure, the first issue's message). */
  message: string;
  issues: VerificationIssue[];
}

/** The result of {@link verify}. */
export interface VerificationResult {
  /** True when every check passed. */
  valid: boolean;
  /** The certificate id the document claims, when it is well-formed. */
  certificateId: Hex | undefined;
  checks: Record<CheckName, VerificationCheck>;
  /** The replacement, when the certificate was superseded. */
  supersededBy: Hex | undefined;
  /** What the chain said, for display. */
  chain: {
    record?: CertificateRecord;
    type?: CertificateTypeRecord;
    agency?: AgencyRecord;
    issuerKey?: IssuerKeyRecord;
    /** The chain time the validity window was checked against. */
    now?: number;
  };
}

function passed(name: CheckName, message: string): VerificationCheck {
  return { name, outcome: "passed", message, issues: [] };
}

function outcome(name: CheckName, issues: VerificationIssue[], ok: string): VerificationCheck {
  return issues.length === 0 ? passed(name, ok) : { name, outcome: "failed", message: issues[0].message, issues };
}

function skipped(name: CheckName, because: CheckName): VerificationCheck {
  return { name, outcome: "skipped", message: `Not checked: the ${because} check failed`, issues: [] };
}

async function read<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw new GovChainError(`Could not read ${what} from the chain`, { code: "CHAIN_READ_FAILED", cause });
  }
}

function time(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString()} (${seconds})`;
}

function checkIssuance(
  header: CertificateHeader,
  reader: CertificateChainReader,
  record: CertificateRecord | undefined,
  type: CertificateTypeRecord | undefined,
): VerificationCheck {
  const issues: VerificationIssue[] = [];
  if (reader.chainId !== header.chainId) {
    issues.push({
      code: "WRONG_CHAIN",
      message: `The certificate lives on chain ${header.chainId}, but the reader reads chain ${reader.chainId}`,
    });
  }
  if (getAddress(reader.registry) !== header.registry) {
    issues.push({
      code: "WRONG_REGISTRY",
      message: `The certificate lives in registry ${header.registry}, but the reader reads ${getAddress(reader.registry)}`,
    });
  }
  if (issues.length > 0) return outcome("issuance", issues, "");
  if (record === undefined || record.status === CertificateStatus.None) {
    issues.push({
      code: "CERTIFICATE_NOT_ISSUED",
      message: `The registry has no certificate ${header.certificateId}: it was never issued`,
    });
    return outcome("issuance", issues, "");
  }
  if (record.typeId !== header.typeId) {
    issues.push({
      code: "TYPE_MISMATCH",
      message: `The document says type ${header.typeId}, but the registry issued it under type ${record.typeId}`,
    });
  }
  if (type === undefined) {
    issues.push({ code: "UNKNOWN_TYPE", message: `The registry has no certificate type ${record.typeId}` });
  } else if (type.agencyId !== header.agencyId) {
    issues.push({
      code: "AGENCY_MISMATCH",
      message: `The document names agency ${header.agencyId} as issuer, but type ${record.typeId} belongs to agency ${type.agencyId}`,
    });
  }
  if (
    record.holderCommitment !== undefined &&
    header.holderCommitment !== undefined &&
    record.holderCommitment.toLowerCase() !== header.holderCommitment
  ) {
    issues.push({
      code: "HOLDER_COMMITMENT_NOT_ON_CHAIN",
      message: "The holder commitment in the document is not the one the registry recorded at issuance",
    });
  }
  return outcome(
    "issuance",
    issues,
    `Issued on ${time(record.issuedAt)} under type ${record.typeId}${type ? ` (${type.name})` : ""}`,
  );
}

function checkStatus(record: CertificateRecord): VerificationCheck {
  switch (record.status) {
    case CertificateStatus.Revoked:
      return outcome(
        "status",
        [
          {
            code: "CERTIFICATE_REVOKED",
            message: `The certificate was revoked${record.revocationReason ? `: ${record.revocationReason}` : ""}`,
          },
        ],
        "",
      );
    case CertificateStatus.Suspended:
      return outcome("status", [{ code: "CERTIFICATE_SUSPENDED", message: "The certificate is suspended" }], "");
    case CertificateStatus.Superseded:
      return outcome(
        "status",
        [
          {
            code: "CERTIFICATE_SUPERSEDED",
            message: `The certificate was superseded by ${record.supersededBy ?? "another certificate"}`,
          },
        ],
        "",
      );
    default:
      return passed("status", "The certificate is in force (not revoked, suspended or superseded)");
  }
}

function checkValidity(header: CertificateHeader, record: CertificateRecord, now: number): VerificationCheck {
  const issues: VerificationIssue[] = [];
  // 0 in the document means "let the registry decide" (now, or the type's default), as in `issue`.
  if (header.validFrom !== 0 && header.validFrom !== record.validFrom) {
    issues.push({
      code: "VALIDITY_MISMATCH",
      message: `The document says valid from ${time(header.validFrom)}, the registry from ${time(record.validFrom)}`,
    });
  }
  if (header.validUntil !== 0 && header.validUntil !== record.validUntil) {
    issues.push({
      code: "VALIDITY_MISMATCH",
      message: `The document says valid until ${time(header.validUntil)}, the registry until ${record.validUntil === 0 ? "no end" : time(record.validUntil)}`,
    });
  }
  if (now < record.validFrom) {
    issues.push({
      code: "CERTIFICATE_NOT_YET_VALID",
      message: `The certificate is not valid before ${time(record.validFrom)}`,
    });
  }
  if (record.validUntil !== 0 && now >= record.validUntil) {
    issues.push({ code: "CERTIFICATE_EXPIRED", message: `The certificate expired on ${time(record.validUntil)}` });
  }
  const until = record.validUntil === 0 ? "with no end" : `until ${time(record.validUntil)}`;
  return outcome("validity", issues, `Valid from ${time(record.validFrom)} ${until}`);
}

function checkIssuer(
  agencyId: number,
  record: CertificateRecord,
  agency: AgencyRecord | undefined,
  key: IssuerKeyRecord | undefined,
): VerificationCheck {
  const issues: VerificationIssue[] = [];
  const who = agency === undefined ? `agency ${agencyId}` : `${agency.name} (agency ${agencyId})`;
  if (agency === undefined || agency.status === AgencyStatus.None) {
    issues.push({ code: "UNKNOWN_AGENCY", message: `The agency directory has no agency ${agencyId}` });
  } else if (agency.status === AgencyStatus.Suspended) {
    issues.push({ code: "AGENCY_SUSPENDED", message: `The issuer, ${who}, is suspended` });
  }
  if (key === undefined) {
    issues.push({
      code: "UNKNOWN_ISSUER_KEY",
      message: `The agency directory has no operator key ${record.issuerKeyId}`,
    });
  } else if (key.agencyId !== agencyId) {
    issues.push({
      code: "ISSUER_KEY_WRONG_AGENCY",
      message: `The issuing key ${key.account} acts for agency ${key.agencyId}, not for ${who}`,
    });
  } else if (key.compromisedSince !== 0 && key.compromisedSince <= record.issuedAt) {
    issues.push({
      code: "ISSUER_KEY_COMPROMISED",
      message: `The issuing key ${key.account} was reported compromised from ${time(key.compromisedSince)}, before this certificate was issued`,
    });
  } else if (!key.couldIssueAt) {
    issues.push({
      code: "ISSUER_KEY_NOT_AUTHORIZED",
      message: `The issuing key ${key.account} was not authorised to issue for ${who} on ${time(record.issuedAt)}`,
    });
  }
  const note =
    agency?.status === AgencyStatus.Dissolved
      ? `; the agency has since been dissolved and agency ${agency.successorId} keeps its records`
      : "";
  return outcome("issuer", issues, `Issued by ${who} with an authorised key${note}`);
}

/**
 * Verifies a certificate: its integrity offline, then what the chain says about it through `reader`. Every check
 * is reported by name with its issues; a check that would be meaningless after an earlier failure is `skipped`.
 * Accepts anything as `input` (a malformed document fails the integrity check, it does not throw).
 * @throws {GovChainError} `CHAIN_READ_FAILED` when the reader throws (no verdict can be given then).
 */
export async function verify(input: unknown, reader: CertificateChainReader): Promise<VerificationResult> {
  const integrity = checkIntegrity(input);
  const certificate = integrity.certificate;
  const result: VerificationResult = {
    valid: false,
    certificateId: certificate?.proof.certificateId,
    checks: {
      integrity: outcome(
        "integrity",
        integrity.issues,
        `The fields match certificate id ${certificate?.proof.certificateId ?? ""}`,
      ),
      issuance: skipped("issuance", "integrity"),
      status: skipped("status", "integrity"),
      validity: skipped("validity", "integrity"),
      issuer: skipped("issuer", "integrity"),
    },
    supersededBy: undefined,
    chain: {},
  };
  if (certificate === undefined || !integrity.valid) return result;

  const header = readHeader(certificate);
  const sameHome = reader.chainId === header.chainId && getAddress(reader.registry) === header.registry;
  const { batchRoot, batchProof } = certificate.proof;
  const anchor: BatchAnchor | undefined =
    batchRoot !== undefined && batchProof !== undefined ? { root: batchRoot, proof: batchProof } : undefined;
  const record = sameHome
    ? await read("the certificate record", () => reader.certificate(header.certificateId, anchor))
    : undefined;
  const issued = record !== undefined && record.status !== CertificateStatus.None;
  const type = issued ? await read("the certificate type", () => reader.certificateType(record.typeId)) : undefined;
  result.chain = { record, type };
  result.checks.issuance = checkIssuance(header, reader, record, type);
  if (result.checks.issuance.outcome !== "passed" || record === undefined) {
    for (const name of ["status", "validity", "issuer"] as const) result.checks[name] = skipped(name, "issuance");
    return result;
  }

  const [now, agency, issuerKey] = await Promise.all([
    read("the time", () => reader.now()),
    read("the issuing agency", () => reader.agency(header.agencyId)),
    read("the issuing key", () => reader.issuerKey(record.issuerKeyId, record.issuedAt)),
  ]);
  result.chain = { record, type, agency, issuerKey, now };
  result.checks.status = checkStatus(record);
  result.checks.validity = checkValidity(header, record, now);
  result.checks.issuer = checkIssuer(header.agencyId, record, agency, issuerKey);
  result.supersededBy = record.status === CertificateStatus.Superseded ? record.supersededBy : undefined;
  result.valid = VERIFICATION_CHECKS.every((name) => result.checks[name].outcome === "passed");
  return result;
}
