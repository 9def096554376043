import { z } from "zod";

import { CertificateRegistry__factory, type CertificateRegistry } from "../../../typechain-types";
import { ContractRevertError, decodeChainError } from "../errors/chain";
import { revocationReasonText } from "../utils/certificates";
import { issueArguments } from "../utils/documents/certificates";
import type { WrappedCertificate } from "../utils/documents/format";
import type { Hex } from "../utils/documents/hashing";
import {
  CertificateStatus,
  type BatchAnchor,
  type CertificateRecord,
  type CertificateTypeRecord,
} from "../utils/documents/reader";
import { bytes32Schema, idSchema, timestampSchema, validate } from "../utils/validation";
import { ContractClient, type ClientContext } from "./base";

const typeSchema = z.object({
  agencyId: idSchema,
  name: z.string().min(1, "must not be empty").max(128, "must be at most 128 characters"),
  schemaHash: bytes32Schema,
  revocable: z.boolean(),
  defaultValidity: timestampSchema,
});

const issueSchema = z
  .object({
    certificateId: bytes32Schema,
    typeId: idSchema,
    holderCommitment: bytes32Schema,
    validFrom: timestampSchema,
    validUntil: timestampSchema,
  })
  .refine((i) => i.validUntil === 0 || i.validUntil > i.validFrom, {
    message: "validUntil must be after validFrom",
    path: ["validUntil"],
  });

/** A verifier's view of one certificate: the registry's combined answer (plain data). */
export interface CertificateVerification extends CertificateRecord {
  agencyId: number;
  statusListIndex: number;
  issuerAuthorized: boolean;
  /** The registry's own verdict: issued, inside its validity window, issuer authorised. */
  valid: boolean;
}

/** One event in a certificate's life, for timelines. */
export interface CertificateEvent {
  kind: "issued" | "revoked" | "suspended" | "reinstated" | "superseded" | "detached";
  blockNumber: number;
  transactionHash: string;
  detail?: string;
}

/** The certificate registry: types, issuance (single, batch, anchored), lifecycle and verifier views. */
export class CertificatesClient extends ContractClient<CertificateRegistry> {
  constructor(context: ClientContext, address: string, deploymentBlock: number) {
    super(context, CertificateRegistry__factory.connect(address, context.provider), address, deploymentBlock);
  }

  async registerType(input: z.input<typeof typeSchema>): Promise<{ typeId: number; transactionHash: string }> {
    const t = validate(typeSchema, input, "certificate type");
    const receipt = await this.write("registerType", [
      t.agencyId,
      t.name,
      t.schemaHash,
      t.revocable,
      t.defaultValidity,
    ]);
    return { typeId: Number(this.eventIn(receipt, "CertificateTypeRegistered").typeId), transactionHash: receipt.hash };
  }

  async retireType(typeId: number): Promise<string> {
    return (await this.write("retireType", [validate(idSchema, typeId, "typeId")])).hash;
  }

  /** Issues one certificate from its raw fields. */
  async issue(input: z.input<typeof issueSchema>): Promise<string> {
    const i = validate(issueSchema, input, "certificate");
    return (await this.write("issue", [i.certificateId, i.typeId, i.holderCommitment, i.validFrom, i.validUntil])).hash;
  }

  /** Issues a wrapped certificate: its id, type, holder commitment and validity come from the document. */
  async issueWrapped(certificate: WrappedCertificate): Promise<string> {
    const a = issueArguments(certificate);
    return this.issue({
      certificateId: a.certificateId,
      typeId: Number(a.typeId),
      holderCommitment: a.holderCommitment,
      validFrom: Number(a.validFrom),
      validUntil: Number(a.validUntil),
    });
  }

  /** Issues many certificates of one type and validity window in one transaction. */
  async issueBatch(input: {
    typeId: number;
    certificateIds: readonly string[];
    holderCommitments: readonly string[];
    validFrom: number;
    validUntil: number;
  }): Promise<string> {
    const typeId = validate(idSchema, input.typeId, "typeId");
    const ids = validate(z.array(bytes32Schema).min(1), input.certificateIds, "certificateIds");
    const holders = validate(z.array(bytes32Schema).length(ids.length), input.holderCommitments, "holderCommitments");
    const receipt = await this.write("issueBatch", [
      typeId,
      ids,
      holders,
      validate(timestampSchema, input.validFrom, "validFrom"),
      validate(timestampSchema, input.validUntil, "validUntil"),
    ]);
    return receipt.hash;
  }

  /** Anchors a batch of certificates as one Merkle root. */
  async anchorBatch(input: {
    root: string;
    typeId: number;
    size: number;
    validFrom: number;
    validUntil: number;
  }): Promise<string> {
    const receipt = await this.write("anchorBatch", [
      validate(bytes32Schema, input.root, "root"),
      validate(idSchema, input.typeId, "typeId"),
      validate(idSchema, input.size, "size"),
      validate(timestampSchema, input.validFrom, "validFrom"),
      validate(timestampSchema, input.validUntil, "validUntil"),
    ]);
    return receipt.hash;
  }

  async revoke(certificateId: string, reason: number, anchor?: BatchAnchor): Promise<string> {
    const id = validate(bytes32Schema, certificateId, "certificateId");
    const code = validate(z.number().int().min(0).max(255), reason, "reason");
    const receipt = anchor
      ? await this.write("revokeAnchored", [id, anchor.root, anchor.proof, code])
      : await this.write("revoke", [id, code]);
    return receipt.hash;
  }

  async suspend(certificateId: string, anchor?: BatchAnchor): Promise<string> {
    const id = validate(bytes32Schema, certificateId, "certificateId");
    const receipt = anchor
      ? await this.write("suspendAnchored", [id, anchor.root, anchor.proof])
      : await this.write("suspend", [id]);
    return receipt.hash;
  }

  async reinstate(certificateId: string): Promise<string> {
    return (await this.write("reinstate", [validate(bytes32Schema, certificateId, "certificateId")])).hash;
  }

  /** Replaces `oldId` by a newly issued certificate. */
  async supersede(oldId: string, replacement: z.input<typeof issueSchema>, anchor?: BatchAnchor): Promise<string> {
    const old = validate(bytes32Schema, oldId, "oldId");
    const r = validate(issueSchema, replacement, "replacement");
    const tail = [r.certificateId, r.typeId, r.holderCommitment, r.validFrom, r.validUntil];
    const receipt = anchor
      ? await this.write("supersedeAnchored", [old, anchor.root, anchor.proof, ...tail])
      : await this.write("supersede", [old, ...tail]);
    return receipt.hash;
  }

  async statusOf(certificateId: string): Promise<CertificateStatus> {
    return Number(
      await this.read(() => this.contract.statusOf(validate(bytes32Schema, certificateId, "certificateId"))),
    );
  }

  async statusOfMany(certificateIds: readonly string[]): Promise<CertificateStatus[]> {
    const ids = validate(z.array(bytes32Schema), certificateIds, "certificateIds");
    return (await this.read(() => this.contract.statusOfMany(ids))).map((s) => Number(s));
  }

  /** The registry's combined answer for a certificate (or one inside an anchored batch). */
  async verification(certificateId: string, anchor?: BatchAnchor): Promise<CertificateVerification> {
    const id = validate(bytes32Schema, certificateId, "certificateId");
    const v = await this.read(() =>
      anchor ? this.contract.verifyAnchoredStatus(id, anchor.root, [...anchor.proof]) : this.contract.verifyStatus(id),
    );
    const superseded = v.supersededBy === "0x" + "0".repeat(64) ? undefined : (v.supersededBy as Hex);
    return {
      status: Number(v.status),
      typeId: Number(v.typeId),
      agencyId: Number(v.agencyId),
      issuerKeyId: Number(v.issuerKeyId),
      issuedAt: Number(v.issuedAt),
      validFrom: Number(v.validFrom),
      validUntil: Number(v.validUntil),
      revocationReason:
        Number(v.status) === CertificateStatus.Revoked ? revocationReasonText(Number(v.revocationReason)) : "",
      supersededBy: superseded,
      statusListIndex: Number(v.statusListIndex),
      issuerAuthorized: v.issuerAuthorized,
      valid: v.valid,
    };
  }

  /** A certificate type, or undefined for an unknown id. */
  async certificateType(typeId: number): Promise<CertificateTypeRecord | undefined> {
    try {
      const t = await this.contract.certificateType(typeId);
      return {
        agencyId: Number(t.agencyId),
        name: t.name,
        revocable: t.revocable,
        retired: t.retired,
        defaultValidity: Number(t.defaultValidity),
        schemaHash: t.schemaHash as Hex,
      };
    } catch (error) {
      const decoded = decodeChainError(error, this.context.interfaces);
      if (decoded instanceof ContractRevertError && decoded.errorName === "CertificateTypeUnknown") return undefined;
      throw decoded;
    }
  }

  /** Every certificate type, in id order. */
  async certificateTypes(): Promise<(CertificateTypeRecord & { typeId: number })[]> {
    const count = Number(await this.read(() => this.contract.typeCount()));
    const types = await Promise.all(Array.from({ length: count }, (_, i) => this.certificateType(i + 1)));
    return types.flatMap((t, i) => (t ? [{ ...t, typeId: i + 1 }] : []));
  }

  /** The holder commitment a certificate was issued to, from its issuance event (not stored on chain). */
  async holderCommitmentOf(certificateId: string): Promise<Hex | undefined> {
    const [issued] = await this.events("CertificateIssued", [validate(bytes32Schema, certificateId, "certificateId")]);
    return issued ? (String(issued.args.holderCommitment) as Hex) : undefined;
  }

  /** Ids issued to a holder commitment (how a holder finds their certificates without the chain storing them). */
  async certificatesOfHolder(holderCommitment: string): Promise<Hex[]> {
    const topic = validate(bytes32Schema, holderCommitment, "holderCommitment");
    return (await this.events("CertificateIssued", [null, null, topic])).map(
      (e) => String(e.args.certificateId) as Hex,
    );
  }

  /** A certificate's life, from events, in chain order. */
  async history(certificateId: string): Promise<CertificateEvent[]> {
    const id = validate(bytes32Schema, certificateId, "certificateId");
    const kinds: [string, CertificateEvent["kind"]][] = [
      ["CertificateIssued", "issued"],
      ["CertificateRevoked", "revoked"],
      ["CertificateSuspended", "suspended"],
      ["CertificateReinstated", "reinstated"],
      ["CertificateSuperseded", "superseded"],
      ["AnchoredCertificateDetached", "detached"],
    ];
    const all = await Promise.all(
      kinds.map(async ([event, kind]) =>
        (await this.events(event, [id])).map((e) => ({
          kind,
          blockNumber: e.blockNumber,
          transactionHash: e.transactionHash,
          logIndex: e.logIndex,
          detail:
            kind === "revoked"
              ? revocationReasonText(Number(e.args.reason))
              : kind === "superseded"
                ? String(e.args.replacementId)
                : undefined,
        })),
      ),
    );
    return all
      .flat()
      .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
      .map(({ logIndex: _logIndex, ...event }) => event);
  }
}
