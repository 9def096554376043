import { ZeroAddress } from "ethers";
import { z } from "zod";

import { AgencyDirectory__factory, type AgencyDirectory } from "../../../typechain-types";
import { ContractRevertError, decodeChainError } from "../errors/chain";
import { AgencyStatus } from "../utils/capabilities";
import {
  addressSchema,
  agencyNameSchema,
  capabilitiesSchema,
  idSchema,
  jurisdictionSchema,
  timestampSchema,
  validate,
} from "../utils/validation";
import { ContractClient, type ClientContext } from "./base";

/** An agency as the directory describes it (plain data). */
export interface Agency {
  id: number;
  parentId: number;
  successorId: number;
  status: AgencyStatus;
  depth: number;
  liveChildren: number;
  capabilities: number;
  effectiveCapabilities: number;
  admin: string;
  onboardedAt: number;
  name: string;
  jurisdiction: string;
}

/** An operator key as the directory's events tell it. */
export interface OperatorKeyInfo {
  keyId: number;
  agencyId: number;
  account: string;
  active: boolean;
  compromisedSince: number;
}

const newAgencySchema = z.object({
  name: agencyNameSchema,
  jurisdiction: jurisdictionSchema,
  admin: addressSchema,
  capabilities: capabilitiesSchema,
});

/** The agency directory: agencies, their hierarchy, capabilities and operator keys. */
export class DirectoryClient extends ContractClient<AgencyDirectory> {
  constructor(context: ClientContext, address: string, deploymentBlock: number) {
    super(context, AgencyDirectory__factory.connect(address, context.provider), address, deploymentBlock);
  }

  /** Onboards a top-level agency (governance). */
  async onboardAgency(input: z.input<typeof newAgencySchema>): Promise<{ agencyId: number; transactionHash: string }> {
    const { name, jurisdiction, admin, capabilities } = validate(newAgencySchema, input, "agency");
    const receipt = await this.write("onboardAgency", [name, jurisdiction, admin, capabilities]);
    return { agencyId: Number(this.eventIn(receipt, "AgencyOnboarded").agencyId), transactionHash: receipt.hash };
  }

  /** Accredits a child agency below `parentId` (the parent's admin, or governance). */
  async accreditAgency(
    parentId: number,
    input: z.input<typeof newAgencySchema>,
  ): Promise<{ agencyId: number; transactionHash: string }> {
    const parent = validate(idSchema, parentId, "parentId");
    const { name, jurisdiction, admin, capabilities } = validate(newAgencySchema, input, "agency");
    const receipt = await this.write("accreditAgency", [parent, name, jurisdiction, admin, capabilities]);
    return { agencyId: Number(this.eventIn(receipt, "AgencyOnboarded").agencyId), transactionHash: receipt.hash };
  }

  async setCapabilities(agencyId: number, capabilities: number): Promise<string> {
    const receipt = await this.write("setCapabilities", [
      validate(idSchema, agencyId, "agencyId"),
      validate(capabilitiesSchema, capabilities, "capabilities"),
    ]);
    return receipt.hash;
  }

  async setAgencyAdmin(agencyId: number, admin: string): Promise<string> {
    const receipt = await this.write("setAgencyAdmin", [
      validate(idSchema, agencyId, "agencyId"),
      validate(addressSchema, admin, "admin"),
    ]);
    return receipt.hash;
  }

  /** Lets `account` act for the agency; returns its key id. */
  async addOperator(agencyId: number, account: string): Promise<{ keyId: number; transactionHash: string }> {
    const receipt = await this.write("addOperator", [
      validate(idSchema, agencyId, "agencyId"),
      validate(addressSchema, account, "account"),
    ]);
    return { keyId: Number(this.eventIn(receipt, "OperatorAdded").keyId), transactionHash: receipt.hash };
  }

  async removeOperator(agencyId: number, account: string): Promise<string> {
    const receipt = await this.write("removeOperator", [
      validate(idSchema, agencyId, "agencyId"),
      validate(addressSchema, account, "account"),
    ]);
    return receipt.hash;
  }

  async reportKeyCompromised(agencyId: number, account: string, since: number): Promise<string> {
    const receipt = await this.write("reportKeyCompromised", [
      validate(idSchema, agencyId, "agencyId"),
      validate(addressSchema, account, "account"),
      validate(timestampSchema, since, "since"),
    ]);
    return receipt.hash;
  }

  async suspendAgency(agencyId: number): Promise<string> {
    return (await this.write("suspendAgency", [validate(idSchema, agencyId, "agencyId")])).hash;
  }

  async reinstateAgency(agencyId: number): Promise<string> {
    return (await this.write("reinstateAgency", [validate(idSchema, agencyId, "agencyId")])).hash;
  }

  async dissolveAgency(agencyId: number, successorId: number): Promise<string> {
    const receipt = await this.write("dissolveAgency", [
      validate(idSchema, agencyId, "agencyId"),
      validate(idSchema, successorId, "successorId"),
    ]);
    return receipt.hash;
  }

  /** One agency, or undefined when the id is unknown. */
  async agency(agencyId: number): Promise<Agency | undefined> {
    const id = validate(idSchema, agencyId, "agencyId");
    if (id > Number(await this.read(() => this.contract.agencyCount()))) return undefined;
    const a = await this.read(() => this.contract.agency(id));
    return {
      id: Number(a.id),
      parentId: Number(a.parentId),
      successorId: Number(a.successorId),
      status: Number(a.status) as AgencyStatus,
      depth: Number(a.depth),
      liveChildren: Number(a.liveChildren),
      capabilities: Number(a.capabilities),
      effectiveCapabilities: Number(a.effectiveCapabilities),
      admin: a.admin,
      onboardedAt: Number(a.onboardedAt),
      name: a.name,
      jurisdiction: a.jurisdiction,
    };
  }

  /** Every agency, in id order. */
  async agencies(): Promise<Agency[]> {
    const count = Number(await this.read(() => this.contract.agencyCount()));
    const all = await Promise.all(Array.from({ length: count }, (_, i) => this.agency(i + 1)));
    return all.filter((a): a is Agency => a !== undefined);
  }

  async canAct(account: string, agencyId: number, capability: number): Promise<boolean> {
    return this.read(() =>
      this.contract.canAct(
        validate(addressSchema, account, "account"),
        agencyId,
        validate(capabilitiesSchema, capability, "capability"),
      ),
    );
  }

  async isGovernor(account: string): Promise<boolean> {
    return this.read(() => this.contract.isGovernor(validate(addressSchema, account, "account")));
  }

  /** The account and agency behind a key id, or undefined for an unknown key (0 included). */
  async operatorKey(keyId: number): Promise<{ account: string; agencyId: number } | undefined> {
    if (keyId === 0) return undefined;
    try {
      const [account, agencyId] = await this.contract.operatorKey(keyId);
      return { account, agencyId: Number(agencyId) };
    } catch (error) {
      const decoded = decodeChainError(error, this.context.interfaces);
      if (decoded instanceof ContractRevertError && decoded.errorName === "UnknownKey") return undefined;
      throw decoded;
    }
  }

  async couldKeyActAt(keyId: number, capability: number, timepoint: number): Promise<boolean> {
    return this.read(() => this.contract.couldKeyActAt(keyId, capability, timepoint));
  }

  async operatorStatus(
    agencyId: number,
    account: string,
  ): Promise<{ active: boolean; compromisedSince: number; keyId: number }> {
    const [active, compromisedSince, keyId] = await this.read(() =>
      this.contract.operatorStatus(
        validate(idSchema, agencyId, "agencyId"),
        validate(addressSchema, account, "account"),
      ),
    );
    return { active, compromisedSince: Number(compromisedSince), keyId: Number(keyId) };
  }

  /** Every operator key ever added to an agency, with its current state (from events, paged). */
  async operators(agencyId: number): Promise<OperatorKeyInfo[]> {
    const id = validate(idSchema, agencyId, "agencyId");
    const topic = "0x" + id.toString(16).padStart(64, "0");
    const added = await this.events("OperatorAdded", [topic]);
    const seen = new Map<string, number>();
    for (const { args } of added) seen.set(String(args.account), Number(args.keyId));
    return Promise.all(
      [...seen].map(async ([account, keyId]) => {
        const status = await this.operatorStatus(id, account);
        return { keyId, agencyId: id, account, active: status.active, compromisedSince: status.compromisedSince };
      }),
    );
  }

  /** The latest block's timestamp: the chain's "now". */
  async latestTimestamp(): Promise<number> {
    const block = await this.read(() => this.context.provider.getBlock("latest"));
    return block ? block.timestamp : Math.floor(Date.now() / 1000);
  }

  /** The zero address stands for "governance" where a key id of 0 is recorded. */
  static readonly GOVERNANCE_ACCOUNT = ZeroAddress;
}
