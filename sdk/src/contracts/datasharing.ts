import type { Signer } from "ethers";
import { z } from "zod";

import { DataSharingRegistry__factory, type DataSharingRegistry } from "../../../typechain-types";
import {
  AccessReason,
  CONSENT_GRANT_TYPES,
  CONSENT_REVOCATION_TYPES,
  dataSharingDomain,
  decodeRequester,
  GrantState,
  RequestStatus,
  Sensitivity,
  SharingCategory,
  type ConsentGrantMessage,
  type ConsentRevocationMessage,
} from "../utils/datasharing";
import { addressSchema, bytes32Schema, idSchema, timestampSchema, validate } from "../utils/validation";
import { ContractClient, type ClientContext } from "./base";

const datasetSchema = z.object({
  title: z.string().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  schemaHash: bytes32Schema,
  sensitivity: z.enum(Sensitivity),
  sharing: z.enum(SharingCategory),
  purposes: z.array(bytes32Schema).min(1, "must list at least one purpose").max(16, "must list at most 16 purposes"),
});
export type DatasetInput = z.input<typeof datasetSchema>;

const requesterSchema = z.bigint().positive("must be an agency or enterprise requester");
const uint64Schema = z
  .bigint()
  .min(1n)
  .max(2n ** 64n - 1n);

/** A dataset in the catalogue (plain data). */
export interface Dataset {
  id: number;
  ownerAgencyId: number;
  version: number;
  sensitivity: Sensitivity;
  sharing: SharingCategory;
  withdrawn: boolean;
  updatedAt: number;
  schemaHash: string;
  title: string;
  purposes: string[];
}

/** A consent as its events tell it, with its current state. */
export interface ConsentRecord {
  grantId: bigint;
  subject: string;
  requester: bigint;
  requesterAgencyId: number;
  requesterAccount: string;
  datasetId: number;
  purpose: string;
  expiresAt: number;
  singleUse: boolean;
  state: GrantState;
  grantedInBlock: number;
}

/** One recorded access to a subject's data (the audit trail). */
export interface AccessReceipt {
  subject: string;
  datasetId: number;
  grantId: bigint;
  requester: bigint;
  requesterAgencyId: number;
  requesterAccount: string;
  purpose: string;
  recordHash: string;
  blockNumber: number;
  transactionHash: string;
}

/** The data-sharing registry: catalogue, consents (direct and signed), inter-agency requests, checks and receipts. */
export class DataSharingClient extends ContractClient<DataSharingRegistry> {
  constructor(context: ClientContext, address: string, deploymentBlock: number) {
    super(context, DataSharingRegistry__factory.connect(address, context.provider), address, deploymentBlock);
  }

  async publishDataset(
    ownerAgencyId: number,
    entry: DatasetInput,
  ): Promise<{ datasetId: number; transactionHash: string }> {
    const owner = validate(idSchema, ownerAgencyId, "ownerAgencyId");
    const e = validate(datasetSchema, entry, "dataset");
    const receipt = await this.write("publishDataset", [owner, e]);
    return { datasetId: Number(this.eventIn(receipt, "DatasetPublished").datasetId), transactionHash: receipt.hash };
  }

  async updateDataset(datasetId: number, entry: DatasetInput): Promise<string> {
    const receipt = await this.write("updateDataset", [
      validate(idSchema, datasetId, "datasetId"),
      validate(datasetSchema, entry, "dataset"),
    ]);
    return receipt.hash;
  }

  async withdrawDataset(datasetId: number): Promise<string> {
    return (await this.write("withdrawDataset", [validate(idSchema, datasetId, "datasetId")])).hash;
  }

  /** The signer (the data subject) grants a requester access. */
  async grantConsent(input: {
    requester: bigint;
    datasetId: number;
    purpose: string;
    expiresAt: number;
    singleUse?: boolean;
  }): Promise<{ grantId: bigint; transactionHash: string }> {
    const receipt = await this.write("grantConsent", [
      validate(requesterSchema, input.requester, "requester"),
      validate(idSchema, input.datasetId, "datasetId"),
      validate(bytes32Schema, input.purpose, "purpose"),
      validate(timestampSchema, input.expiresAt, "expiresAt"),
      input.singleUse ?? false,
    ]);
    return {
      grantId: BigInt(this.eventIn(receipt, "ConsentGranted").grantId as bigint),
      transactionHash: receipt.hash,
    };
  }

  async revokeConsent(requester: bigint, datasetId: number, purpose: string): Promise<string> {
    const receipt = await this.write("revokeConsent", [
      validate(requesterSchema, requester, "requester"),
      validate(idSchema, datasetId, "datasetId"),
      validate(bytes32Schema, purpose, "purpose"),
    ]);
    return receipt.hash;
  }

  /** The subject's next nonce for signed consents. */
  async nonceOf(subject: string): Promise<bigint> {
    return this.read(() => this.contract.nonces(validate(addressSchema, subject, "subject")));
  }

  /** Signs a consent as the subject (no gas, no transaction): give the result to any agency to relay. */
  async signConsent(
    subject: Signer,
    grant: Omit<ConsentGrantMessage, "subject" | "nonce"> & { nonce?: bigint },
  ): Promise<{ message: ConsentGrantMessage; signature: string }> {
    const address = await subject.getAddress();
    const message: ConsentGrantMessage = {
      ...grant,
      subject: address,
      nonce: grant.nonce ?? (await this.nonceOf(address)),
    };
    const chainId = (await this.context.provider.getNetwork()).chainId;
    const signature = await subject.signTypedData(
      dataSharingDomain(chainId, this.address),
      CONSENT_GRANT_TYPES,
      message,
    );
    return { message, signature };
  }

  /** Signs a revocation as the subject. */
  async signRevocation(
    subject: Signer,
    revocation: Omit<ConsentRevocationMessage, "subject" | "nonce"> & { nonce?: bigint },
  ): Promise<{ message: ConsentRevocationMessage; signature: string }> {
    const address = await subject.getAddress();
    const message: ConsentRevocationMessage = {
      ...revocation,
      subject: address,
      nonce: revocation.nonce ?? (await this.nonceOf(address)),
    };
    const chainId = (await this.context.provider.getNetwork()).chainId;
    const signature = await subject.signTypedData(
      dataSharingDomain(chainId, this.address),
      CONSENT_REVOCATION_TYPES,
      message,
    );
    return { message, signature };
  }

  /** Relays a subject's signed consent (the relayer pays, the subject never needs gas). */
  async relayConsent(
    message: ConsentGrantMessage,
    signature: string,
  ): Promise<{ grantId: bigint; transactionHash: string }> {
    const receipt = await this.write("grantConsentBySig", [message, signature]);
    return {
      grantId: BigInt(this.eventIn(receipt, "ConsentGranted").grantId as bigint),
      transactionHash: receipt.hash,
    };
  }

  async relayRevocation(message: ConsentRevocationMessage, signature: string): Promise<string> {
    return (await this.write("revokeConsentBySig", [message, signature])).hash;
  }

  async requestAccess(input: {
    requesterAgencyId: number;
    datasetId: number;
    purpose: string;
    legalBasisHash: string;
  }): Promise<{ requestId: bigint; transactionHash: string }> {
    const receipt = await this.write("requestAccess", [
      validate(idSchema, input.requesterAgencyId, "requesterAgencyId"),
      validate(idSchema, input.datasetId, "datasetId"),
      validate(bytes32Schema, input.purpose, "purpose"),
      validate(bytes32Schema, input.legalBasisHash, "legalBasisHash"),
    ]);
    return {
      requestId: BigInt(this.eventIn(receipt, "AccessRequested").requestId as bigint),
      transactionHash: receipt.hash,
    };
  }

  async approveRequest(requestId: bigint, expiresAt: number): Promise<string> {
    const receipt = await this.write("approveRequest", [
      validate(uint64Schema, requestId, "requestId"),
      validate(timestampSchema, expiresAt, "expiresAt"),
    ]);
    return receipt.hash;
  }

  async denyRequest(requestId: bigint, reasonCode: number): Promise<string> {
    const receipt = await this.write("denyRequest", [
      validate(uint64Schema, requestId, "requestId"),
      validate(z.number().int().min(0).max(65_535), reasonCode, "reasonCode"),
    ]);
    return receipt.hash;
  }

  /** Records an access (the gateway does this as it releases data). */
  async recordAccess(input: {
    subject: string;
    requester: bigint;
    datasetId: number;
    purpose: string;
    recordHash: string;
  }): Promise<{ grantId: bigint; transactionHash: string }> {
    const receipt = await this.write("recordAccess", [
      validate(addressSchema, input.subject, "subject"),
      validate(requesterSchema, input.requester, "requester"),
      validate(idSchema, input.datasetId, "datasetId"),
      validate(bytes32Schema, input.purpose, "purpose"),
      validate(bytes32Schema, input.recordHash, "recordHash"),
    ]);
    return {
      grantId: BigInt(this.eventIn(receipt, "AccessRecorded").grantId as bigint),
      transactionHash: receipt.hash,
    };
  }

  /** Copies an agency's standing from the directory (run after every directory change to the agency). */
  async syncAgency(agencyId: number): Promise<string> {
    return (await this.write("syncAgency", [validate(idSchema, agencyId, "agencyId")])).hash;
  }

  /** The gateway's question: may `requester` read `subject`'s record of `datasetId` for `purpose`, and why (not)? */
  async checkAccess(
    subject: string,
    requester: bigint,
    datasetId: number,
    purpose: string,
  ): Promise<{ allowed: boolean; reason: AccessReason; grantId: bigint }> {
    const [allowed, reason, grantId] = await this.read(() =>
      this.contract.checkAccess(
        validate(addressSchema, subject, "subject"),
        validate(requesterSchema, requester, "requester"),
        validate(idSchema, datasetId, "datasetId"),
        validate(bytes32Schema, purpose, "purpose"),
      ),
    );
    return { allowed, reason: Number(reason) as AccessReason, grantId };
  }

  /** The permission stored for an access key (all zero when none): whether it is single-use, until when. */
  async grantOf(
    subject: string,
    requester: bigint,
    datasetId: number,
    purpose: string,
  ): Promise<{ id: bigint; state: GrantState; singleUse: boolean; expiresAt: number }> {
    const g = await this.read(() =>
      this.contract.grantOf(
        validate(addressSchema, subject, "subject"),
        validate(requesterSchema, requester, "requester"),
        validate(idSchema, datasetId, "datasetId"),
        validate(bytes32Schema, purpose, "purpose"),
      ),
    );
    return { id: g.id, state: Number(g.state) as GrantState, singleUse: g.singleUse, expiresAt: Number(g.expiresAt) };
  }

  async dataset(datasetId: number): Promise<Dataset> {
    const d = await this.read(() => this.contract.dataset(validate(idSchema, datasetId, "datasetId")));
    return {
      id: Number(d.id),
      ownerAgencyId: Number(d.ownerAgencyId),
      version: Number(d.version),
      sensitivity: Number(d.sensitivity),
      sharing: Number(d.sharing),
      withdrawn: d.withdrawn,
      updatedAt: Number(d.updatedAt),
      schemaHash: d.schemaHash,
      title: d.title,
      purposes: [...d.purposes],
    };
  }

  /** Every dataset ever published, from the catalogue's events. */
  async datasets(): Promise<Dataset[]> {
    const published = await this.events("DatasetPublished");
    return Promise.all(published.map((e) => this.dataset(Number(e.args.datasetId))));
  }

  async accessRequest(requestId: bigint) {
    const r = await this.read(() => this.contract.accessRequest(validate(uint64Schema, requestId, "requestId")));
    return {
      requesterAgencyId: Number(r.requesterAgencyId),
      datasetId: Number(r.datasetId),
      status: Number(r.status) as RequestStatus,
      filedAt: Number(r.filedAt),
      expiresAt: Number(r.expiresAt),
      purpose: r.purpose,
    };
  }

  /** Every consent a subject ever gave, with its current state ("who may use my data"). */
  async consentsOf(subject: string): Promise<ConsentRecord[]> {
    const who = validate(addressSchema, subject, "subject");
    const topic = "0x" + who.slice(2).toLowerCase().padStart(64, "0");
    const granted = await this.events("ConsentGranted", [topic]);
    return Promise.all(
      granted.map(async ({ args, blockNumber }) => {
        const requester = BigInt(args.requester as bigint);
        const purpose = String(args.purpose);
        const datasetId = Number(args.datasetId);
        const current = await this.read(() => this.contract.grantOf(who, requester, datasetId, purpose));
        const grantId = BigInt(args.grantId as bigint);
        // A later grant for the same key replaces this one: it then counts as revoked.
        const state = current.id === grantId ? (Number(current.state) as GrantState) : GrantState.Revoked;
        const { agencyId, account } = decodeRequester(requester);
        return {
          grantId,
          subject: who,
          requester,
          requesterAgencyId: agencyId,
          requesterAccount: account,
          datasetId,
          purpose,
          expiresAt: Number(args.expiresAt),
          singleUse: Boolean(args.singleUse),
          state,
          grantedInBlock: blockNumber,
        };
      }),
    );
  }

  /** Every recorded access to a subject's data (the audit trail), in chain order. */
  async receiptsOf(subject: string): Promise<AccessReceipt[]> {
    const who = validate(addressSchema, subject, "subject");
    const topic = "0x" + who.slice(2).toLowerCase().padStart(64, "0");
    return (await this.events("AccessRecorded", [topic])).map(({ args, blockNumber, transactionHash }) => {
      const requester = BigInt(args.requester as bigint);
      const { agencyId, account } = decodeRequester(requester);
      return {
        subject: who,
        datasetId: Number(args.datasetId),
        grantId: BigInt(args.grantId as bigint),
        requester,
        requesterAgencyId: agencyId,
        requesterAccount: account,
        purpose: String(args.purpose),
        recordHash: String(args.recordHash),
        blockNumber,
        transactionHash,
      };
    });
  }
}
