import { ZeroHash, getBytes, hexlify, keccak256, toUtf8Bytes } from "ethers";

import { AgencyStatus } from "../../sdk/src/utils/capabilities";
import {
  CertificateStatus,
  type AgencyRecord,
  type BatchAnchor,
  type CertificateChainReader,
  type CertificateDocument,
  type CertificateRecord,
  type CertificateTypeRecord,
  type Hex,
  type IssuerKeyRecord,
  type WrappedCertificate,
  verifyBatchProof,
} from "../../sdk/src/utils/documents";

export const CHAIN_ID = 31337;
export const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
export const AGENCY_ID = 3;
export const TYPE_ID = 7;
export const KEY_ID = 11;
export const ISSUED_AT = 1_700_000_000;
export const VALID_FROM = 1_700_000_000;
export const VALID_UNTIL = 2_000_000_000;
export const HOLDER_ID = "310101199001011234";

/** A civil-registry certificate with nested and Chinese fields. */
export function sampleDocument(overrides: Partial<CertificateDocument> = {}): CertificateDocument {
  return {
    type: { typeId: TYPE_ID, chainId: CHAIN_ID, registry: REGISTRY },
    issuer: { agencyId: AGENCY_ID },
    holder: { id: HOLDER_ID },
    validity: { validFrom: VALID_FROM, validUntil: VALID_UNTIL },
    fields: {
      name: "张三",
      birthDate: "1990-01-01",
      address: { street: "南京东路 100 号", city: "上海市", postcode: "200001" },
      children: [{ name: "张小明", born: 2018 }],
      married: true,
      score: 97.5,
      note: null,
    },
    ...overrides,
  };
}

/** Deterministic salts: keccak256(seed ‖ path), so tests can reproduce a certificate. */
export function seededSalt(seed: string): (path: string) => Uint8Array {
  return (path) => getBytes(keccak256(toUtf8Bytes(`${seed}/${path}`)));
}

/** A deep copy through JSON, as a certificate travels. */
export function viaJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Any 32 bytes other than `value`. */
export function otherHash(value: string): Hex {
  const bytes = getBytes(value);
  bytes[31] ^= 1;
  return hexlify(bytes) as Hex;
}

interface Anchored {
  root: Hex;
  record: CertificateRecord;
}

/**
 * An in-memory stand-in for the certificate registry and agency directory, shaped like what they record. Tests
 * change its state directly to put a certificate in each situation.
 */
export class FakeChainReader implements CertificateChainReader {
  chainId = CHAIN_ID;
  registry = REGISTRY.toLowerCase();
  time = ISSUED_AT + 1_000;
  readonly records = new Map<string, CertificateRecord>();
  readonly batches: Anchored[] = [];
  readonly types = new Map<number, CertificateTypeRecord>([
    [
      TYPE_ID,
      {
        agencyId: AGENCY_ID,
        name: "出生医学证明",
        revocable: true,
        retired: false,
        defaultValidity: 0,
        schemaHash: ZeroHash as Hex,
      },
    ],
  ]);
  readonly agencies = new Map<number, AgencyRecord>([
    [AGENCY_ID, { name: "上海市卫生健康委员会", status: AgencyStatus.Active, successorId: 0 }],
  ]);
  readonly keys = new Map<number, IssuerKeyRecord>([
    [
      KEY_ID,
      {
        account: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        agencyId: AGENCY_ID,
        couldIssueAt: true,
        compromisedSince: 0,
      },
    ],
  ]);

  /** Records a certificate as the registry would on `issue`. */
  issue(certificate: WrappedCertificate, changes: Partial<CertificateRecord> = {}): CertificateRecord {
    const record = FakeChainReader.record(certificate, changes);
    this.records.set(certificate.proof.certificateId, record);
    return record;
  }

  /** Records an anchored batch root. */
  anchor(root: Hex, changes: Partial<CertificateRecord> = {}): void {
    this.batches.push({
      root,
      record: {
        status: CertificateStatus.Issued,
        typeId: TYPE_ID,
        issuerKeyId: KEY_ID,
        issuedAt: ISSUED_AT,
        validFrom: VALID_FROM,
        validUntil: VALID_UNTIL,
        revocationReason: "",
        supersededBy: undefined,
        ...changes,
      },
    });
  }

  static record(certificate: WrappedCertificate, changes: Partial<CertificateRecord> = {}): CertificateRecord {
    return {
      status: CertificateStatus.Issued,
      typeId: TYPE_ID,
      issuerKeyId: KEY_ID,
      issuedAt: ISSUED_AT,
      validFrom: VALID_FROM,
      validUntil: VALID_UNTIL,
      revocationReason: "",
      supersededBy: undefined,
      holderCommitment: certificate.data["holder.commitment"]?.value as Hex | undefined,
      ...changes,
    };
  }

  async certificate(certificateId: Hex, anchor?: BatchAnchor): Promise<CertificateRecord> {
    const single = this.records.get(certificateId);
    if (single !== undefined) return single;
    if (anchor !== undefined) {
      const batch = this.batches.find((each) => each.root === anchor.root);
      if (batch !== undefined && verifyBatchProof(certificateId, anchor.root, anchor.proof)) return batch.record;
    }
    return {
      status: CertificateStatus.None,
      typeId: 0,
      issuerKeyId: 0,
      issuedAt: 0,
      validFrom: 0,
      validUntil: 0,
      revocationReason: "",
      supersededBy: undefined,
    };
  }

  async certificateType(typeId: number): Promise<CertificateTypeRecord | undefined> {
    return this.types.get(typeId);
  }

  async issuerKey(keyId: number, timepoint: number): Promise<IssuerKeyRecord | undefined> {
    const key = this.keys.get(keyId);
    if (key === undefined) return undefined;
    const compromised = key.compromisedSince !== 0 && key.compromisedSince <= timepoint;
    return { ...key, couldIssueAt: key.couldIssueAt && !compromised };
  }

  async agency(agencyId: number): Promise<AgencyRecord | undefined> {
    return this.agencies.get(agencyId);
  }

  async now(): Promise<number> {
    return this.time;
  }
}
