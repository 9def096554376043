import { ZeroHash, type BaseContract } from "ethers";
import { z } from "zod";

import {
  ILienRegistry__factory,
  IParcelLineage__factory,
  IRestrictionRegistry__factory,
  ITitleRegistry__factory,
  type ILienRegistry,
  type IParcelLineage,
  type IRestrictionRegistry,
  type ITitleRegistry,
} from "../../../typechain-types";
import {
  LienKind,
  LienStatus,
  RegistrationBasis,
  SeizureStatus,
  sharesAreComplete,
  TitleStatus,
  titleIdOf,
  UnitKind,
  type TitleOwner,
} from "../utils/titles";
import { addressSchema, bytes32Schema, idSchema, InputError, timestampSchema, validate } from "../utils/validation";
import { ContractClient, type ClientContext } from "./base";

const ownerSchema = z.object({
  account: addressSchema,
  shares: z.number().int().min(1).max(10_000),
  identityCommitment: bytes32Schema.default(ZeroHash),
});
const ownersSchema = z
  .array(ownerSchema)
  .min(1, "must name at least one owner")
  .refine((owners) => sharesAreComplete(owners), "shares must sum to 10,000 basis points");
const parcelSchema = z.object({
  kind: z.enum(UnitKind),
  landUse: z.number().int().min(0).max(65_535),
  area: z
    .number()
    .int()
    .min(1, "must be positive")
    .max(2 ** 48 - 1),
  documentsHash: bytes32Schema,
});
const certificateSchema = z.object({ certificateId: bytes32Schema, holderCommitment: bytes32Schema });
const uint256Schema = z
  .bigint()
  .min(0n)
  .max(2n ** 256n - 1n);

/** A title as the registry holds it, with its encumbrances (plain data). */
export interface Title {
  titleId: bigint;
  parcelNumber?: string;
  agencyId: number;
  kind: UnitKind;
  status: TitleStatus;
  landUse: number;
  area: number;
  documentsHash: string;
  registeredAt: number;
  revision: number;
  activeLiens: number;
  owners: TitleOwner[];
}

export interface TitleLien {
  loanContractHash: string;
  lenderAgencyId: number;
  kind: LienKind;
  status: LienStatus;
  rank: number;
  amount: bigint;
  periodEnd: number;
}

export interface TitleSeizure {
  seizureId: number;
  courtAgencyId: number;
  status: SeizureStatus;
  filedAt: number;
  effectiveAt: number;
  endedAt: number;
  caseReference: string;
}

/** One entry of a parcel's history timeline. */
export interface TitleHistoryEntry {
  event: string;
  blockNumber: number;
  transactionHash: string;
  args: Record<string, unknown>;
}

class Companion<C extends BaseContract> extends ContractClient<C> {
  constructor(context: ClientContext, contract: C, address: string, deploymentBlock: number) {
    super(context, contract, address, deploymentBlock);
  }
  send(method: string, args: readonly unknown[]) {
    return this.write(method, args);
  }
  call<T>(read: (contract: C) => Promise<T>): Promise<T> {
    return this.read(() => read(this.contract));
  }
  logs(eventName: string, topics: readonly (string | null)[] = []) {
    return this.events(eventName, topics);
  }
}

type Deployment = { address: string; deploymentBlock: number };

/**
 * The property title registry and its companions (liens, restrictions, parcel lineage): registration, the sale
 * workflow, mortgages, court freezes, and the history of a parcel.
 */
export class TitlesClient extends ContractClient<ITitleRegistry> {
  private readonly liens: Companion<ILienRegistry>;
  private readonly restrictions: Companion<IRestrictionRegistry>;
  private readonly lineage: Companion<IParcelLineage>;
  private jurisdictionCache: string | undefined;

  constructor(
    context: ClientContext,
    titles: Deployment,
    companions: { liens: Deployment; restrictions: Deployment; lineage: Deployment },
  ) {
    super(
      context,
      ITitleRegistry__factory.connect(titles.address, context.provider),
      titles.address,
      titles.deploymentBlock,
    );
    const { liens, restrictions, lineage } = companions;
    this.liens = new Companion(
      context,
      ILienRegistry__factory.connect(liens.address, context.provider),
      liens.address,
      liens.deploymentBlock,
    );
    this.restrictions = new Companion(
      context,
      IRestrictionRegistry__factory.connect(restrictions.address, context.provider),
      restrictions.address,
      restrictions.deploymentBlock,
    );
    this.lineage = new Companion(
      context,
      IParcelLineage__factory.connect(lineage.address, context.provider),
      lineage.address,
      lineage.deploymentBlock,
    );
  }

  /** The jurisdiction whose parcels this registry records. */
  async jurisdiction(): Promise<string> {
    this.jurisdictionCache ??= await this.read(() => this.contract.jurisdiction());
    return this.jurisdictionCache;
  }

  /** The title id of a parcel number in this registry's jurisdiction (computed locally, no call). */
  async titleIdOf(parcelNumber: string): Promise<bigint> {
    return titleIdOf(await this.jurisdiction(), validate(z.string().min(1), parcelNumber, "parcelNumber"));
  }

  /** Names the certificate type the registry issues for an agency's registrations (that agency's registrar). */
  async setCertificateType(agencyId: number, typeId: number): Promise<string> {
    const receipt = await this.write("setCertificateType", [
      validate(idSchema, agencyId, "agencyId"),
      validate(idSchema, typeId, "typeId"),
    ]);
    return receipt.hash;
  }

  /** Registers a title (the land registry's registrar). */
  async registerTitle(input: {
    agencyId: number;
    parcelNumber: string;
    parcel: z.input<typeof parcelSchema>;
    owners: z.input<typeof ownerSchema>[];
    certificates?: z.input<typeof certificateSchema>[];
  }): Promise<{ titleId: bigint; transactionHash: string }> {
    const receipt = await this.write("registerTitle", [
      validate(idSchema, input.agencyId, "agencyId"),
      validate(z.string().min(1).max(64), input.parcelNumber, "parcelNumber"),
      validate(parcelSchema, input.parcel, "parcel"),
      validate(ownersSchema, input.owners, "owners"),
      validate(z.array(certificateSchema), input.certificates ?? [], "certificates"),
    ]);
    return {
      titleId: BigInt(this.eventIn(receipt, "TitleRegistered").titleId as bigint),
      transactionHash: receipt.hash,
    };
  }

  /** An owner proposes a sale to `buyers`. */
  async proposeTransfer(input: {
    titleId: bigint;
    buyers: z.input<typeof ownerSchema>[];
    saleContractHash: string;
    discharges?: string[];
    expiresAt: number;
  }): Promise<{ proposalId: bigint; transactionHash: string }> {
    const receipt = await this.write("proposeTransfer", [
      validate(uint256Schema, input.titleId, "titleId"),
      validate(ownersSchema, input.buyers, "buyers"),
      validate(bytes32Schema, input.saleContractHash, "saleContractHash"),
      validate(z.array(bytes32Schema), input.discharges ?? [], "discharges"),
      validate(timestampSchema, input.expiresAt, "expiresAt"),
    ]);
    return {
      proposalId: BigInt(this.eventIn(receipt, "TransferProposed").proposalId as bigint),
      transactionHash: receipt.hash,
    };
  }

  /** A co-owner consents to, or a buyer accepts, the open proposal. */
  async acceptTransfer(titleId: bigint, proposalId: bigint): Promise<string> {
    return (await this.write("acceptTransfer", [validate(uint256Schema, titleId, "titleId"), proposalId])).hash;
  }

  async cancelTransfer(titleId: bigint, proposalId: bigint): Promise<string> {
    return (await this.write("cancelTransfer", [validate(uint256Schema, titleId, "titleId"), proposalId])).hash;
  }

  /** The registrar approves the sale; ownership changes and the real-estate certificates are issued. */
  async approveTransfer(
    titleId: bigint,
    proposalId: bigint,
    certificates: z.input<typeof certificateSchema>[] = [],
  ): Promise<string> {
    const receipt = await this.write("approveTransfer", [
      validate(uint256Schema, titleId, "titleId"),
      proposalId,
      validate(z.array(certificateSchema), certificates, "certificates"),
    ]);
    return receipt.hash;
  }

  /** Registrar-initiated transfer (inheritance, court order) with its legal basis. */
  async registerTransfer(input: {
    titleId: bigint;
    basis: RegistrationBasis;
    newOwners: z.input<typeof ownerSchema>[];
    legalBasisHash: string;
    discharges?: string[];
    certificates?: z.input<typeof certificateSchema>[];
  }): Promise<string> {
    const receipt = await this.write("registerTransfer", [
      validate(uint256Schema, input.titleId, "titleId"),
      validate(z.enum(RegistrationBasis), input.basis, "basis"),
      validate(ownersSchema, input.newOwners, "newOwners"),
      validate(bytes32Schema, input.legalBasisHash, "legalBasisHash"),
      validate(z.array(bytes32Schema), input.discharges ?? [], "discharges"),
      validate(z.array(certificateSchema), input.certificates ?? [], "certificates"),
    ]);
    return receipt.hash;
  }

  /** The lien terms every owner consents to and the lender registers. */
  private lienTerms(input: {
    titleId: bigint;
    lenderAgencyId: number;
    kind: LienKind;
    amount: bigint;
    periodEnd: number;
    loanContractHash: string;
    deadline: number;
  }) {
    if ((input.kind === LienKind.Ceiling) !== (input.periodEnd !== 0)) {
      throw new InputError("invalid lien.periodEnd: a ceiling mortgage needs a period end, an ordinary one none");
    }
    return {
      titleId: validate(uint256Schema, input.titleId, "titleId"),
      lenderAgencyId: validate(idSchema, input.lenderAgencyId, "lenderAgencyId"),
      kind: validate(
        z.enum(LienKind).refine((k) => k !== LienKind.None, "must be Ordinary or Ceiling"),
        input.kind,
        "kind",
      ),
      amount: validate(
        z
          .bigint()
          .min(1n)
          .max(2n ** 80n - 1n),
        input.amount,
        "amount",
      ),
      periodEnd: validate(timestampSchema, input.periodEnd, "periodEnd"),
      loanContractHash: validate(bytes32Schema, input.loanContractHash, "loanContractHash"),
      deadline: validate(timestampSchema, input.deadline, "deadline"),
    };
  }

  /** An owner consents on chain to a mortgage. */
  async consentToLien(terms: Parameters<TitlesClient["lienTerms"]>[0]): Promise<string> {
    return (await this.liens.send("consentToLien", [this.lienTerms(terms)])).hash;
  }

  /** The lender registers the mortgage (with owners' signatures for those who did not consent on chain). */
  async registerLien(terms: Parameters<TitlesClient["lienTerms"]>[0], signatures: string[] = []): Promise<string> {
    return (await this.liens.send("registerLien", [this.lienTerms(terms), signatures])).hash;
  }

  async releaseLien(titleId: bigint, loanContractHash: string): Promise<string> {
    return (
      await this.liens.send("releaseLien", [titleId, validate(bytes32Schema, loanContractHash, "loanContractHash")])
    ).hash;
  }

  /** A court freezes a title (a second court's freeze queues behind the first). */
  async freeze(titleId: bigint, courtAgencyId: number, caseReference: string): Promise<string> {
    const receipt = await this.restrictions.send("freeze", [
      validate(uint256Schema, titleId, "titleId"),
      validate(idSchema, courtAgencyId, "courtAgencyId"),
      validate(bytes32Schema, caseReference, "caseReference"),
    ]);
    return receipt.hash;
  }

  async unfreeze(titleId: bigint, seizureId: number, rulingHash: string): Promise<string> {
    const receipt = await this.restrictions.send("unfreeze", [
      validate(uint256Schema, titleId, "titleId"),
      validate(idSchema, seizureId, "seizureId"),
      validate(bytes32Schema, rulingHash, "rulingHash"),
    ]);
    return receipt.hash;
  }

  /** A title, or undefined when the id was never registered. */
  async title(titleId: bigint): Promise<Title | undefined> {
    const t = await this.read(() => this.contract.title(titleId)).catch((error: unknown) => {
      if ((error as { errorName?: string }).errorName?.startsWith("Title")) return undefined;
      throw error;
    });
    if (!t || Number(t.status) === TitleStatus.None) return undefined;
    return {
      titleId,
      agencyId: Number(t.agencyId),
      kind: Number(t.kind),
      status: Number(t.status),
      landUse: Number(t.landUse),
      area: Number(t.area),
      documentsHash: t.documentsHash,
      registeredAt: Number(t.registeredAt),
      revision: Number(t.revision),
      activeLiens: Number(t.activeLiens),
      owners: t.owners.map((o) => ({
        account: o.account,
        shares: Number(o.shares),
        identityCommitment: o.identityCommitment,
      })),
    };
  }

  /** A title looked up by parcel number, with its parcel number filled in. */
  async titleByParcel(parcelNumber: string): Promise<Title | undefined> {
    const title = await this.title(await this.titleIdOf(parcelNumber));
    return title && { ...title, parcelNumber };
  }

  /** Every lien ever registered on a title, with its current state, in rank order. */
  async liensOf(titleId: bigint): Promise<TitleLien[]> {
    const topic = "0x" + titleId.toString(16).padStart(64, "0");
    const registered = await this.liens.logs("LienRegistered", [topic]);
    const liens = await Promise.all(
      registered.map(async ({ args }) => {
        const hash = String(args.loanContractHash);
        const l = await this.liens.call((c) => c.lien(titleId, hash));
        return {
          loanContractHash: hash,
          lenderAgencyId: Number(l.lenderAgencyId),
          kind: Number(l.kind),
          status: Number(l.status),
          rank: Number(l.rank),
          amount: BigInt(l.amount),
          periodEnd: Number(l.periodEnd),
        };
      }),
    );
    return liens.sort((a, b) => a.rank - b.rank);
  }

  /** Every court seizure of a title, queued, active or ended. */
  async seizuresOf(titleId: bigint): Promise<TitleSeizure[]> {
    const count = Number(await this.restrictions.call((c) => c.seizureCount(titleId)));
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const s = await this.restrictions.call((c) => c.seizure(titleId, i + 1));
        return {
          seizureId: i + 1,
          courtAgencyId: Number(s.courtAgencyId),
          status: Number(s.status),
          filedAt: Number(s.filedAt),
          effectiveAt: Number(s.effectiveAt),
          endedAt: Number(s.endedAt),
          caseReference: s.caseReference,
        };
      }),
    );
  }

  async isRestricted(titleId: bigint): Promise<boolean> {
    return this.restrictions.call((c) => c.isRestricted(titleId));
  }

  /** Parents and children of a parcel (subdivision and merger). */
  async lineageOf(titleId: bigint): Promise<{ parents: bigint[]; children: bigint[] }> {
    const [parents, children] = await Promise.all([
      this.lineage.call((c) => c.parentsOf(titleId)),
      this.lineage.call((c) => c.childrenOf(titleId)),
    ]);
    return { parents: [...parents], children: [...children] };
  }

  /** The full history of a parcel: registration, ownership, proposals, corrections, liens, seizures, notices. */
  async history(titleId: bigint): Promise<TitleHistoryEntry[]> {
    const topic = "0x" + titleId.toString(16).padStart(64, "0");
    const sources: [Companion<BaseContract> | this, string[]][] = [
      [
        this,
        [
          "TitleRegistered",
          "OwnershipRegistered",
          "TransferProposed",
          "TransferAccepted",
          "TransferCancelled",
          "TitleCorrected",
          "TitleRetired",
          "CertificatesIssued",
        ],
      ],
      [
        this.liens as never,
        ["LienConsented", "LienRegistered", "LienDischargeAgreed", "LienReleased", "LienDischarged"],
      ],
      [
        this.restrictions as never,
        [
          "SeizureFiled",
          "SeizureTookEffect",
          "SeizureLifted",
          "SeizureWithdrawn",
          "PreRegistered",
          "PreRegistrationConverted",
          "PreRegistrationCancelled",
          "ObjectionRegistered",
          "ObjectionConfirmed",
          "ObjectionRemoved",
        ],
      ],
      [this.lineage as never, ["TitleSubdivided", "TitlesMerged"]],
    ];
    const entries = await Promise.all(
      sources.flatMap(([source, events]) =>
        events.map(async (event) => {
          const logs =
            source === this
              ? await this.events(event, [topic])
              : await (source as Companion<BaseContract>).logs(event, [topic]);
          return logs.map((l) => ({
            event,
            blockNumber: l.blockNumber,
            transactionHash: l.transactionHash,
            logIndex: l.logIndex,
            args: l.args,
          }));
        }),
      ),
    );
    return entries
      .flat()
      .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
      .map(({ logIndex: _logIndex, args, ...entry }) => ({ ...entry, args: plainArgs(args) }));
  }
}

/** An ethers Result as a plain object of named values (bigints kept). */
function plainArgs(args: Record<string, unknown> & unknown[]): Record<string, unknown> {
  const result = args as unknown as { toObject?: (deep?: boolean) => Record<string, unknown> };
  return result.toObject ? result.toObject(true) : { ...args };
}
