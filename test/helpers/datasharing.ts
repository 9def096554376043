import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { concat, Signature, toBeHex, type ContractTransactionResponse, type Signer } from "ethers";
import { ethers, upgrades } from "hardhat";

import { capabilityMask } from "../../sdk/src/utils/capabilities";
import {
  agencyRequester,
  CONSENT_GRANT_TYPES,
  CONSENT_REVOCATION_TYPES,
  type ConsentGrantMessage,
  type ConsentRevocationMessage,
  dataSharingDomain,
  purposeCode,
  Sensitivity,
  SharingCategory,
} from "../../sdk/src/utils/datasharing";
import type { AgencyDirectory, DataSharingRegistry, GasProbe } from "../../typechain-types";
import type { IDataSharingRegistry } from "../../typechain-types/contracts/datasharing/DataSharingRegistry";
import { deployDirectory, onboard } from "./directory";

export const PURPOSE = {
  benefits: purposeCode("social-benefits-eligibility"),
  housing: purposeCode("housing-subsidy"),
  statistics: purposeCode("official-statistics"),
  marketing: purposeCode("marketing"),
};

export const DAY = 24 * 60 * 60;

/** The order of the secp256k1 group: s and n - s are both valid ECDSA, only the low one is accepted. */
export const SECP256K1_N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

export interface DataSharingFixture {
  directory: AgencyDirectory;
  registry: DataSharingRegistry;
  probe: GasProbe;
  governance: HardhatEthersSigner;
  /** Operator of the Civil Affairs Bureau, which publishes the datasets. */
  publisher: HardhatEthersSigner;
  /** Operator of the Health Commission, which requests data. */
  requester: HardhatEthersSigner;
  /** Operator of the Tax Bureau, a second requesting agency. */
  taxOperator: HardhatEthersSigner;
  citizen: HardhatEthersSigner;
  otherCitizen: HardhatEthersSigner;
  enterprise: HardhatEthersSigner;
  relayer: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  agencies: { civilAffairs: bigint; health: bigint; tax: bigint; successor: bigint };
  /** Dataset ids, by what they hold. */
  datasets: {
    /** Personal, conditional: residents' household records. */
    households: bigint;
    /** Sensitive personal, not shared: disability assessments. */
    disability: bigint;
    /** Public, unconditional: the list of community service centres. */
    centres: bigint;
    /** Internal, conditional: the bureau's budget execution figures. */
    budget: bigint;
    /** Internal, not shared. */
    internalNotes: bigint;
    /** Personal, unconditional: registered residence (hukou) addresses. */
    residence: bigint;
  };
}

/** A catalogue entry with sensible defaults. */
export function entry(overrides: Partial<IDataSharingRegistry.DatasetEntryStruct> = {}) {
  return {
    title: "Household registration records",
    schemaHash: ethers.id("schema:households:v1"),
    sensitivity: Sensitivity.Personal,
    sharing: SharingCategory.Conditional,
    purposes: [PURPOSE.benefits, PURPOSE.housing],
    ...overrides,
  };
}

/** Publishes a dataset and returns its id, read from the event. */
export async function publish(
  registry: DataSharingRegistry,
  publisher: Signer,
  agencyId: bigint,
  overrides: Partial<IDataSharingRegistry.DatasetEntryStruct> = {},
): Promise<bigint> {
  const tx = await registry.connect(publisher).publishDataset(agencyId, entry(overrides));
  const event = await eventArgs(registry, tx, "DatasetPublished");
  return event.datasetId as bigint;
}

/** The arguments of the first `name` event a transaction emitted. */
export async function eventArgs(registry: DataSharingRegistry, tx: ContractTransactionResponse, name: string) {
  const receipt = await tx.wait();
  const parsed = receipt!.logs
    .map((log) => registry.interface.parseLog(log))
    .find((candidate) => candidate?.name === name);
  if (!parsed) throw new Error(`no ${name} event`);
  return parsed.args;
}

/** The gas a transaction used, from its receipt. */
export async function gasOf(tx: ContractTransactionResponse): Promise<bigint> {
  return (await tx.wait())!.gasUsed;
}

/** Directory, three agencies with operators, the registry behind its proxy, a gas probe and six datasets. */
export async function deployDataSharingFixture(): Promise<DataSharingFixture> {
  const [governance, publisher, requester, taxOperator, citizen, otherCitizen, enterprise, relayer, outsider] =
    await ethers.getSigners();
  const directory = await deployDirectory();
  const civilAffairs = await onboard(
    directory,
    "Civil Affairs Bureau",
    "CN/310000",
    governance.address,
    capabilityMask("PublishDatasets", "RequestData"),
  );
  const health = await onboard(
    directory,
    "Health Commission",
    "CN/310000",
    governance.address,
    capabilityMask("RequestData"),
  );
  const tax = await onboard(directory, "Tax Bureau", "CN/310000", governance.address, capabilityMask("RequestData"));
  const successor = await onboard(
    directory,
    "Civil Affairs and Social Security Bureau",
    "CN/310000",
    governance.address,
    capabilityMask("PublishDatasets", "RequestData"),
  );
  await directory.addOperator(civilAffairs, publisher.address);
  await directory.addOperator(health, requester.address);
  await directory.addOperator(tax, taxOperator.address);

  const factory = await ethers.getContractFactory("DataSharingRegistry");
  const proxy = await upgrades.deployProxy(factory, [await directory.getAddress()], { kind: "uups" });
  await proxy.waitForDeployment();
  const registry = proxy as unknown as DataSharingRegistry;
  await registry.syncAgency(health);
  await registry.syncAgency(tax);

  const households = await publish(registry, publisher, civilAffairs);
  const disability = await publish(registry, publisher, civilAffairs, {
    title: "Disability assessments",
    sensitivity: Sensitivity.SensitivePersonal,
    sharing: SharingCategory.NotShared,
    purposes: [PURPOSE.benefits],
  });
  const centres = await publish(registry, publisher, civilAffairs, {
    title: "Community service centres",
    sensitivity: Sensitivity.Public,
    sharing: SharingCategory.Unconditional,
    purposes: [PURPOSE.statistics, PURPOSE.housing],
  });
  const budget = await publish(registry, publisher, civilAffairs, {
    title: "Budget execution",
    sensitivity: Sensitivity.Internal,
    sharing: SharingCategory.Conditional,
    purposes: [PURPOSE.statistics],
  });
  const internalNotes = await publish(registry, publisher, civilAffairs, {
    title: "Internal case notes",
    sensitivity: Sensitivity.Internal,
    sharing: SharingCategory.NotShared,
    purposes: [PURPOSE.statistics],
  });
  const residence = await publish(registry, publisher, civilAffairs, {
    title: "Registered residence addresses",
    sensitivity: Sensitivity.Personal,
    sharing: SharingCategory.Unconditional,
    purposes: [PURPOSE.housing],
  });

  const probe = (await (await ethers.getContractFactory("GasProbe")).deploy()) as unknown as GasProbe;
  return {
    directory,
    registry,
    probe,
    governance,
    publisher,
    requester,
    taxOperator,
    citizen,
    otherCitizen,
    enterprise,
    relayer,
    outsider,
    agencies: { civilAffairs, health, tax, successor },
    datasets: { households, disability, centres, budget, internalNotes, residence },
  };
}

/** The EIP-712 domain of a registry on the current chain. */
export async function domainOf(registry: DataSharingRegistry) {
  const { chainId } = await ethers.provider.getNetwork();
  return dataSharingDomain(chainId, await registry.getAddress());
}

/** A consent message for `subject`, defaulting to the Health Commission, households, benefits, 30 days. */
export async function consentMessage(
  fixture: DataSharingFixture,
  subject: string,
  overrides: Partial<ConsentGrantMessage> = {},
): Promise<ConsentGrantMessage> {
  const now = await time.latest();
  return {
    subject,
    requester: agencyRequester(fixture.agencies.health),
    datasetId: fixture.datasets.households,
    purpose: PURPOSE.benefits,
    expiresAt: now + 30 * DAY,
    singleUse: false,
    nonce: await fixture.registry.nonces(subject),
    deadline: now + DAY,
    ...overrides,
  };
}

/** A revocation message for `subject`, defaulting to the same key as {consentMessage}. */
export async function revocationMessage(
  fixture: DataSharingFixture,
  subject: string,
  overrides: Partial<ConsentRevocationMessage> = {},
): Promise<ConsentRevocationMessage> {
  const now = await time.latest();
  return {
    subject,
    requester: agencyRequester(fixture.agencies.health),
    datasetId: fixture.datasets.households,
    purpose: PURPOSE.benefits,
    nonce: await fixture.registry.nonces(subject),
    deadline: now + DAY,
    ...overrides,
  };
}

type Domain = Awaited<ReturnType<typeof domainOf>>;

/** Signs a consent with EIP-712 under `domain`. */
export function signConsent(signer: Signer, domain: Domain, message: ConsentGrantMessage): Promise<string> {
  return signer.signTypedData(domain, CONSENT_GRANT_TYPES, message);
}

/** Signs a revocation with EIP-712 under `domain`. */
export function signRevocation(signer: Signer, domain: Domain, message: ConsentRevocationMessage): Promise<string> {
  return signer.signTypedData(domain, CONSENT_REVOCATION_TYPES, message);
}

/** The same signature with s replaced by n - s (and v flipped): valid ECDSA that a malleability check rejects. */
export function toHighS(signature: string): string {
  const { r, s, v } = Signature.from(signature);
  const highS = SECP256K1_N - BigInt(s);
  return concat([r, toBeHex(highS, 32), toBeHex(v === 27 ? 28 : 27, 1)]);
}
