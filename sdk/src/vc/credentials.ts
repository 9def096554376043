import { computeAddress } from "ethers";

import type { GovChainClient } from "../client";
import { GovChainError } from "../errors/base";
import { Capability } from "../utils/capabilities";
import { checkIntegrity, readHeader } from "../utils/documents/certificates";
import type { WrappedCertificate } from "../utils/documents/format";
import { CertificateStatus } from "../utils/documents/reader";
import { verify, type VerificationResult } from "../utils/documents/verify";
import {
  certificateFromCredential,
  credentialFromCertificate,
  parseCertificateCredential,
  type CertificateCredential,
} from "../utils/vc/credential";
import { agencyDid, agencyIdOfDid, keyFragment } from "../utils/vc/did";
import { signCredential, verifyCredentialJws } from "./jose";
import { statusListIndexOf, statusListUrl } from "./statusLists";

/** Options of {@link exportVerifiableCredential}. */
export interface ExportOptions {
  /** The private key of an operator of the issuing agency (hex); it signs the JWS. */
  privateKey: string;
  /** Where the agency's status lists and DID document are published: `<baseUrl>/<agencyId>/…`. */
  baseUrl: string;
}

/** A certificate as a credential, unsecured and secured. */
export interface ExportedCredential {
  credential: CertificateCredential;
  /** The credential as a `vc+jwt` compact JWS (VC-JOSE-COSE). */
  jwt: string;
  statusListIndex: number;
}

/**
 * Exports a wrapped certificate as a W3C Verifiable Credential 2.0 (the function behind
 * `govchain cert export-vc <wrapped.json>`): the disclosed fields, the GovChain proof, the agency as issuer (its
 * did:web), the registry's validity window, the type's schema hash and a revocation and a suspension
 * `BitstringStatusListEntry`, secured as a JWS by an operator key of the issuing agency.
 * @throws {GovChainError} `CERTIFICATE_NOT_EXPORTABLE` when the certificate is not intact or not issued;
 * `SIGNER_NOT_OPERATOR` when the key may not issue for the agency now.
 */
export async function exportVerifiableCredential(
  client: GovChainClient,
  wrapped: WrappedCertificate,
  options: ExportOptions,
): Promise<ExportedCredential> {
  const integrity = checkIntegrity(wrapped);
  if (!integrity.valid || !integrity.certificate) {
    throw new GovChainError("the certificate is not intact, so it cannot be exported", {
      code: "CERTIFICATE_NOT_EXPORTABLE",
      details: integrity.issues.map((i) => i.message).join("\n"),
    });
  }
  const certificate = integrity.certificate;
  const header = readHeader(certificate);
  const { batchRoot, batchProof } = certificate.proof;
  const anchor = batchRoot && batchProof ? { root: batchRoot, proof: batchProof } : undefined;
  const record = await client.certificates.verification(header.certificateId, anchor);
  if (record.status === CertificateStatus.None) {
    throw new GovChainError(`the registry never issued ${header.certificateId}`, {
      code: "CERTIFICATE_NOT_EXPORTABLE",
    });
  }
  const [type, agency, now] = await Promise.all([
    client.certificates.certificateType(record.typeId),
    client.directory.agency(header.agencyId),
    client.directory.latestTimestamp(),
  ]);
  if (!type || !agency) {
    throw new GovChainError("the certificate's type or agency is unknown", { code: "CERTIFICATE_NOT_EXPORTABLE" });
  }
  const signer = computeAddress(options.privateKey);
  const key = await client.directory.operatorStatus(header.agencyId, signer);
  if (!key.active || !(await client.directory.couldKeyActAt(key.keyId, Capability.IssueCertificates, now))) {
    throw new GovChainError(`${signer} is not an operator that may issue for agency ${header.agencyId}`, {
      code: "SIGNER_NOT_OPERATOR",
    });
  }
  const { index } = await statusListIndexOf(client, certificate);
  const did = agencyDid(options.baseUrl, header.agencyId);
  const credential = credentialFromCertificate(certificate, {
    issuerDid: did,
    issuerName: agency.name,
    typeName: type.name,
    schemaHash: type.schemaHash,
    validFrom: record.validFrom,
    validUntil: record.validUntil,
    statusListIndex: index,
    statusListUrl: (purpose) => statusListUrl(options.baseUrl, header.agencyId, purpose),
  });
  const jwt = await signCredential(credential, {
    privateKey: options.privateKey,
    kid: `${did}#${keyFragment(key.keyId)}`,
    issuedAt: now,
  });
  return { credential, jwt, statusListIndex: index };
}

/** A check of the credential itself, beside the certificate's five. */
export interface CredentialCheck {
  outcome: "passed" | "failed" | "skipped";
  message: string;
  issues: { code: string; message: string }[];
}

/** The result of {@link verifyVerifiableCredential}: the certificate's named checks, and the credential's own. */
export interface CredentialVerificationResult extends VerificationResult {
  credentialChecks: {
    /** The JWS: signature, and the signing key an operator of the issuing agency at signing time. */
    signature: CredentialCheck;
    /** The credential's claims outside the proof agree with the chain (issuer, validity, status-list index). */
    claims: CredentialCheck;
  };
  credential: CertificateCredential | undefined;
}

const check = (issues: CredentialCheck["issues"], ok: string): CredentialCheck =>
  issues.length === 0
    ? { outcome: "passed", message: ok, issues }
    : { outcome: "failed", message: issues[0].message, issues };

/**
 * Verifies a certificate credential — a `vc+jwt` JWS, or the credential JSON (then `signature` fails with
 * `NOT_SECURED` unless `requireSignature` is false) — with the same named checks as a wrapped certificate, plus
 * the credential's `signature` and `claims`. Never throws for bad input.
 */
export async function verifyVerifiableCredential(
  client: GovChainClient,
  input: unknown,
  options: { requireSignature?: boolean } = {},
): Promise<CredentialVerificationResult> {
  let payload: unknown = input;
  let signature: CredentialCheck;
  let jws: Awaited<ReturnType<typeof verifyCredentialJws>> | undefined;
  if (typeof input === "string") {
    try {
      jws = await verifyCredentialJws(input.trim());
      payload = jws.payload;
      signature = check([], "");
    } catch (error) {
      const message = error instanceof GovChainError ? error.shortMessage : String(error);
      signature = check([{ code: "INVALID_JWS", message }], "");
      payload = undefined;
    }
  } else {
    signature =
      options.requireSignature === false
        ? { outcome: "skipped", message: "An unsecured credential: only the chain proof is checked", issues: [] }
        : check([{ code: "NOT_SECURED", message: "The credential is not secured (give its JWS)" }], "");
  }

  let credential: CertificateCredential | undefined;
  let wrapped: WrappedCertificate | unknown = payload;
  let malformed: string | undefined;
  try {
    credential = parseCertificateCredential(payload);
    wrapped = certificateFromCredential(credential);
  } catch (error) {
    malformed = error instanceof GovChainError ? error.shortMessage : String(error);
  }
  const base = await verify(credential ? wrapped : { malformed }, client.certificateReader());
  if (malformed !== undefined) {
    base.checks.integrity = {
      name: "integrity",
      outcome: "failed",
      message: malformed,
      issues: [{ code: "MALFORMED_CERTIFICATE", message: malformed }],
    };
  }
  const skippedClaims: CredentialCheck = { outcome: "skipped", message: "Not checked: malformed", issues: [] };
  if (!credential || base.checks.issuance.outcome !== "passed" || !base.chain.record) {
    if (signature.outcome === "passed") {
      signature = { ...signature, message: "The JWS verifies; its key was not checked, as the certificate failed" };
    }
    return { ...base, valid: false, credentialChecks: { signature, claims: skippedClaims }, credential };
  }

  const proof = credential.govchainProof;
  if (jws && signature.outcome === "passed") {
    const issues: CredentialCheck["issues"] = [];
    const did = credential.issuer.id;
    const keyId = Number(/#key-([0-9]+)$/.exec(jws.kid)?.[1] ?? 0);
    const key = keyId ? await client.directory.operatorKey(keyId) : undefined;
    if (!jws.kid.startsWith(`${did}#`)) {
      issues.push({ code: "KID_NOT_ISSUER", message: `The signing key ${jws.kid} is not one of ${did}` });
    } else if (!key || key.account.toLowerCase() !== jws.signer.toLowerCase() || key.agencyId !== proof.agencyId) {
      issues.push({
        code: "SIGNER_NOT_OPERATOR",
        message: `The JWS was signed by ${jws.signer}, which is not operator key ${keyId} of agency ${proof.agencyId}`,
      });
    } else if (jws.issuedAt > (base.chain.now ?? Infinity)) {
      issues.push({ code: "SIGNED_IN_FUTURE", message: `The JWS claims to be signed after the chain's time` });
    } else if ((await client.directory.operatorStatus(proof.agencyId, jws.signer)).compromisedSince !== 0) {
      // `iat` is the signer's own claim: once a key is reported compromised, a backdated signature cannot be told
      // from an honest old one, so none is trusted.
      issues.push({
        code: "SIGNER_KEY_COMPROMISED",
        message: `Operator key ${keyId} (${jws.signer}) was reported compromised: its signatures are not trusted`,
      });
    } else if (!(await client.directory.couldKeyActAt(keyId, Capability.IssueCertificates, jws.issuedAt))) {
      issues.push({
        code: "SIGNER_NOT_AUTHORIZED",
        message: `Operator key ${keyId} (${jws.signer}) could not issue for agency ${proof.agencyId} when it signed`,
      });
    }
    signature = check(issues, `Signed by operator key ${keyId} (${jws.signer}) of agency ${proof.agencyId}`);
  }

  const claims: CredentialCheck["issues"] = [];
  const record = base.chain.record;
  if (agencyIdOfDid(credential.issuer.id) !== proof.agencyId) {
    claims.push({
      code: "ISSUER_MISMATCH",
      message: `The issuer ${credential.issuer.id} is not agency ${proof.agencyId}`,
    });
  }
  const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.000Z$/, "Z");
  if (
    credential.validFrom !== iso(record.validFrom) ||
    (credential.validUntil ?? "") !== (record.validUntil ? iso(record.validUntil) : "")
  ) {
    claims.push({ code: "VALIDITY_MISMATCH", message: "The credential's validity window is not the registry's" });
  }
  try {
    const { index } = await statusListIndexOf(client, wrapped as WrappedCertificate);
    const wrong = credential.credentialStatus.find((entry) => entry.statusListIndex !== String(index));
    if (wrong) {
      claims.push({
        code: "STATUS_INDEX_MISMATCH",
        message: `The ${wrong.statusPurpose} entry points at index ${wrong.statusListIndex}; the certificate's is ${index}`,
      });
    }
  } catch (error) {
    claims.push({
      code: "STATUS_INDEX_UNKNOWN",
      message: error instanceof GovChainError ? error.shortMessage : String(error),
    });
  }
  const claimsCheck = check(claims, "The issuer, validity window and status entries agree with the chain");
  const signed = signature.outcome === "passed" || signature.outcome === "skipped";
  return {
    ...base,
    valid: base.valid && signed && claimsCheck.outcome === "passed",
    credentialChecks: { signature, claims: claimsCheck },
    credential,
  };
}
