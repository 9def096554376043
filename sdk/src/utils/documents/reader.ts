import { AgencyStatus } from "../capabilities";
import type { Hex } from "./hashing";

/** Lifecycle of a certificate, mirroring `ICertificateRegistry.CertificateStatus`. */
export enum CertificateStatus {
  None = 0,
  Issued = 1,
  Revoked = 2,
  Suspended = 3,
  Superseded = 4,
}

/** A certificate's place in an anchored batch, as the wrapped certificate carries it. */
export interface BatchAnchor {
  root: Hex;
  proof: readonly Hex[];
}

/** What the certificate registry records about one certificate (plain data, times in unix seconds). */
export interface CertificateRecord {
  /** `None` when the registry never issued the id (nor, with an anchor, the batch). */
  status: CertificateStatus;
  typeId: number;
  /** The operator key id (agency directory) that issued it. */
  issuerKeyId: number;
  issuedAt: number;
  /** As stored: the registry resolves "0 = now" at issuance. */
  validFrom: number;
  /** As stored; 0 when it never expires. */
  validUntil: number;
  /** The reason given on revocation, decoded to text; empty otherwise. */
  revocationReason: string;
  /** The certificate that replaced this one, when `Superseded`; undefined otherwise. */
  supersededBy: Hex | undefined;
  /** The holder commitment from the issuance event, when the reader looked it up; the registry does not store it. */
  holderCommitment?: Hex;
}

/** What the registry records about a certificate type. */
export interface CertificateTypeRecord {
  agencyId: number;
  name: string;
  revocable: boolean;
  retired: boolean;
  defaultValidity: number;
  schemaHash: Hex;
}

/** What the agency directory says about an operator key, as of a certificate's issuance. */
export interface IssuerKeyRecord {
  account: string;
  agencyId: number;
  /** `couldKeyActAt(keyId, ISSUE_CERTIFICATES, issuedAt)`: false when it could not act then, or was compromised. */
  couldIssueAt: boolean;
  /** When the key was reported compromised, or 0. */
  compromisedSince: number;
}

/** What the agency directory says about an agency now. */
export interface AgencyRecord {
  name: string;
  status: AgencyStatus;
  /** The agency that keeps its records since it was dissolved, or 0. */
  successorId: number;
}

/**
 * Everything {@link verify} needs from the chain, as plain data. A network implementation wraps the certificate
 * registry and the agency directory; tests use a fake. Keeping I/O behind this interface keeps `verify` pure.
 */
export interface CertificateChainReader {
  /** The chain the reader reads. */
  readonly chainId: number;
  /** The certificate registry it reads (any letter case). */
  readonly registry: string;
  /**
   * The registry's record of a certificate id, or of an id inside an anchored batch (the registry checks the proof
   * against the anchored root and applies any status set on the single id). `status: None` when unknown.
   */
  certificate(certificateId: Hex, anchor?: BatchAnchor): Promise<CertificateRecord>;
  /** A certificate type, or undefined when there is none with this id. */
  certificateType(typeId: number): Promise<CertificateTypeRecord | undefined>;
  /** An operator key and whether it could issue certificates at `timepoint`, or undefined for an unknown key. */
  issuerKey(keyId: number, timepoint: number): Promise<IssuerKeyRecord | undefined>;
  /** An agency, or undefined when there is none with this id. */
  agency(agencyId: number): Promise<AgencyRecord | undefined>;
  /** The chain's current time (the latest block's timestamp), in unix seconds. */
  now(): Promise<number>;
}
