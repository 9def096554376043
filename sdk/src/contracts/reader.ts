import { ZeroAddress } from "ethers";

import { Capability } from "../utils/capabilities";
import type { Hex } from "../utils/documents/hashing";
import type {
  AgencyRecord,
  BatchAnchor,
  CertificateChainReader,
  CertificateRecord,
  CertificateTypeRecord,
  IssuerKeyRecord,
} from "../utils/documents/reader";
import type { CertificatesClient } from "./certificates";
import type { DirectoryClient } from "./directory";

/**
 * The network implementation of `CertificateChainReader`: what `verify` needs, read from the certificate registry
 * and the agency directory over JSON-RPC.
 *
 * Key id 0 is recorded when governance issued a certificate itself (it has no operator key); the registry counts it
 * as authorised, so this reader answers key 0 for the agency of the certificate it read last.
 */
export class RegistryCertificateReader implements CertificateChainReader {
  private lastAgencyId = 0;

  constructor(
    readonly chainId: number,
    private readonly certificates: CertificatesClient,
    private readonly directory: DirectoryClient,
  ) {}

  get registry(): string {
    return this.certificates.address;
  }

  async certificate(certificateId: Hex, anchor?: BatchAnchor): Promise<CertificateRecord> {
    const [verification, holderCommitment] = await Promise.all([
      this.certificates.verification(certificateId, anchor),
      this.certificates.holderCommitmentOf(certificateId),
    ]);
    this.lastAgencyId = verification.agencyId;
    const {
      agencyId: _agencyId,
      statusListIndex: _index,
      issuerAuthorized: _authorized,
      valid: _valid,
      ...record
    } = verification;
    return holderCommitment ? { ...record, holderCommitment } : record;
  }

  certificateType(typeId: number): Promise<CertificateTypeRecord | undefined> {
    return this.certificates.certificateType(typeId);
  }

  async issuerKey(keyId: number, timepoint: number): Promise<IssuerKeyRecord | undefined> {
    if (keyId === 0) {
      return { account: ZeroAddress, agencyId: this.lastAgencyId, couldIssueAt: true, compromisedSince: 0 };
    }
    const key = await this.directory.operatorKey(keyId);
    if (!key) return undefined;
    const [couldIssueAt, status] = await Promise.all([
      this.directory.couldKeyActAt(keyId, Capability.IssueCertificates, timepoint),
      this.directory.operatorStatus(key.agencyId, key.account),
    ]);
    return { ...key, couldIssueAt, compromisedSince: status.compromisedSince };
  }

  async agency(agencyId: number): Promise<AgencyRecord | undefined> {
    const agency = await this.directory.agency(agencyId);
    return agency && { name: agency.name, status: agency.status, successorId: agency.successorId };
  }

  async now(): Promise<number> {
    return this.directory.latestTimestamp();
  }
}
