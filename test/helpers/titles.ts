import { ethers, upgrades } from "hardhat";
import type { ContractTransactionResponse, Signer, TypedDataDomain } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";

import { Capability, capabilityMask } from "../../sdk/src/utils/capabilities";
import type {
  AgencyDirectory,
  CertificateRegistry,
  ILienRegistry,
  ITitleRegistry,
  LienRegistry,
  ParcelLineage,
  RestrictionRegistry,
  TitleRegistry,
} from "../../typechain-types";
import { LienKind, UnitKind } from "../../sdk/src/utils/titles";
import type { ITitleRegistryTypes } from "../../typechain-types/contracts/interfaces/ITitleRegistry";
import { deployRegistry, registerType } from "./certificates";
import { deployDirectory, onboard } from "./directory";

export const JURISDICTION = "CN/310000";
export const BASIS_POINTS = 10_000n;
export const DAY = 24n * 60n * 60n;

export {
  LienKind,
  LienStatus,
  RegistrationBasis,
  SeizureStatus,
  TitleStatus,
  UnitKind,
} from "../../sdk/src/utils/titles";
export { NoticeStatus } from "../../sdk/src/utils/titles";

export type Owner = ITitleRegistryTypes.OwnerStruct;
export type ParcelData = ITitleRegistryTypes.ParcelDataStruct;
export type Certificate = ITitleRegistryTypes.CertificateStruct;
/** Lien terms as the tests build them (hashes as hex strings). */
export type LienTerms = ILienRegistry.LienTermsStruct & { loanContractHash: string };

/** The title registry's contracts: the proxy seen through the full interface, and its companions. */
export interface TitleContracts {
  /** The proxy, typed with the whole {ITitleRegistry} (core and extension selectors, ERC-721). */
  titles: ITitleRegistry;
  /** The same proxy typed as the core implementation (VERSION, extension(), ERC-721 errors). */
  titleCore: TitleRegistry;
  liens: LienRegistry;
  restrictions: RestrictionRegistry;
  lineage: ParcelLineage;
}

/** Everything a title test needs: the three registries, the agencies and the people acting for them. */
export interface TitleFixture extends TitleContracts {
  directory: AgencyDirectory;
  certificates: CertificateRegistry;
  landAgencyId: bigint;
  bankAgencyId: bigint;
  courtAgencyId: bigint;
  secondCourtAgencyId: bigint;
  certificateTypeId: bigint;
  governance: HardhatEthersSigner;
  registrar: HardhatEthersSigner;
  lender: HardhatEthersSigner;
  judge: HardhatEthersSigner;
  secondJudge: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  carol: HardhatEthersSigner;
  dave: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
}

/** A deterministic hash standing for an off-chain document in tests. */
export function documentHash(label: string): string {
  return ethers.id(`document:${label}`);
}

/** A deterministic certificate for tests (in production the id is the Merkle root of the salted document). */
export function certificate(label: string): Certificate {
  return { certificateId: ethers.id(`certificate:${label}`), holderCommitment: ethers.id(`holder:${label}`) };
}

/** A deterministic salted identity commitment for tests. */
export function commitment(label: string): string {
  return ethers.id(`identity:${label}`);
}

/** An owner entry; the identity commitment defaults to none. */
export function owner(account: { address: string }, shares: bigint = BASIS_POINTS, identity = ethers.ZeroHash): Owner {
  return { account: account.address, shares, identityCommitment: identity };
}

/** Typical parcel data for tests. */
export function parcelData(label = "deed", overrides: Partial<ParcelData> = {}): ParcelData {
  return {
    kind: UnitKind.Apartment,
    landUse: 701,
    area: 8_950n,
    documentsHash: documentHash(label),
    ...overrides,
  };
}

/** A parcel number in the 28-character Chinese real-estate unit format. */
export function parcelNumber(serial: number): string {
  return `310104001001GB${String(serial).padStart(5, "0")}F00010001`;
}

/** The title id the registry derives: keccak256(abi.encode(jurisdiction, parcelNumber)). */
export function titleIdOf(parcel: string, jurisdiction = JURISDICTION): bigint {
  return BigInt(
    ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["string", "string"], [jurisdiction, parcel])),
  );
}

/** The owners digest pre-registrations use: keccak256(abi.encode(address[] accounts, uint16[] shares)). */
export function ownersDigest(owners: Owner[]): string {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["address[]", "uint16[]"],
      [owners.map((o) => o.account), owners.map((o) => o.shares)],
    ),
  );
}

/** The gas a transaction used, from its receipt. */
export async function gasUsed(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  return receipt!.gasUsed;
}

/** Seconds since the epoch of the latest block. */
export async function now(): Promise<bigint> {
  const block = await ethers.provider.getBlock("latest");
  return BigInt(block!.timestamp);
}

/**
 * Deploys the title registry (core + extension behind one UUPS proxy) and its three companions, each behind its own
 * UUPS proxy, and wires them together.
 */
export async function deployTitleRegistries(
  directory: AgencyDirectory,
  certificateRegistry: string,
  governance: Signer,
): Promise<TitleContracts> {
  const directoryAddress = await directory.getAddress();
  const extension = await (
    await ethers.getContractFactory("TitleRegistryExtension")
  ).deploy(directoryAddress, certificateRegistry, JURISDICTION);
  await extension.waitForDeployment();
  const titleFactory = await ethers.getContractFactory("TitleRegistry");
  const proxy = await upgrades.deployProxy(titleFactory, ["https://titles.govchain.example/"], {
    kind: "uups",
    constructorArgs: [directoryAddress, certificateRegistry, JURISDICTION, await extension.getAddress()],
    // The core's fallback delegates to its own extension (OpenZeppelin Proxy); see TitleRegistry's NatSpec.
    unsafeAllow: ["delegatecall"],
  });
  await proxy.waitForDeployment();
  const titleAddress = await proxy.getAddress();
  const titles = (await ethers.getContractAt("ITitleRegistry", titleAddress)) as unknown as ITitleRegistry;
  const titleCore = proxy as unknown as TitleRegistry;

  const companion = async (name: string, initializer: string | false) => {
    const contract = await upgrades.deployProxy(await ethers.getContractFactory(name), [], {
      kind: "uups",
      initializer,
      constructorArgs: [directoryAddress, titleAddress],
    });
    await contract.waitForDeployment();
    return contract;
  };
  const liens = (await companion("LienRegistry", "initialize")) as unknown as LienRegistry;
  const restrictions = (await companion("RestrictionRegistry", false)) as unknown as RestrictionRegistry;
  const lineage = (await companion("ParcelLineage", false)) as unknown as ParcelLineage;
  await titles
    .connect(governance)
    .setCompanions(await liens.getAddress(), await restrictions.getAddress(), await lineage.getAddress());
  return { titles, titleCore, liens, restrictions, lineage };
}

/**
 * The standard world: a land registry (which the title registry acts for, so it can issue certificates), a bank,
 * two courts, their operators, and four citizens.
 */
export async function deployTitleFixture(): Promise<TitleFixture> {
  const [governance, registrar, lender, judge, secondJudge, alice, bob, carol, dave, stranger] =
    await ethers.getSigners();
  const directory = await deployDirectory();
  const landAgencyId = await onboard(
    directory,
    "Shanghai Real Estate Registration Centre",
    JURISDICTION,
    governance.address,
    capabilityMask("RegisterTitles", "IssueCertificates"),
  );
  const bankAgencyId = await onboard(directory, "City Bank", JURISDICTION, governance.address, Capability.HoldLiens);
  const courtAgencyId = await onboard(
    directory,
    "Xuhui District People's Court",
    JURISDICTION,
    governance.address,
    Capability.FreezeTitles,
  );
  const secondCourtAgencyId = await onboard(
    directory,
    "Huangpu District People's Court",
    JURISDICTION,
    governance.address,
    Capability.FreezeTitles,
  );
  await directory.addOperator(landAgencyId, registrar.address);
  await directory.addOperator(bankAgencyId, lender.address);
  await directory.addOperator(courtAgencyId, judge.address);
  await directory.addOperator(secondCourtAgencyId, secondJudge.address);

  const certificates = await deployRegistry(directory);

  const contracts = await deployTitleRegistries(directory, await certificates.getAddress(), governance);
  const { titles } = contracts;
  // The title registry issues real-estate certificates as an operator of the land registry.
  await directory.addOperator(landAgencyId, await titles.getAddress());
  const certificateTypeId = await registerType(
    certificates,
    registrar,
    landAgencyId,
    "Real estate title certificate",
    true,
    0n,
  );
  await titles.connect(registrar).setCertificateType(landAgencyId, certificateTypeId);

  return {
    ...contracts,
    directory,
    certificates,
    landAgencyId,
    bankAgencyId,
    courtAgencyId,
    secondCourtAgencyId,
    certificateTypeId,
    governance,
    registrar,
    lender,
    judge,
    secondJudge,
    alice,
    bob,
    carol,
    dave,
    stranger,
  };
}

/** Registers a title as the fixture's registrar and returns its id. */
export async function registerTitle(
  f: TitleFixture,
  owners: Owner[],
  serial = 1,
  data: ParcelData = parcelData(),
  certificates: Certificate[] = [],
): Promise<bigint> {
  const parcel = parcelNumber(serial);
  await f.titles.connect(f.registrar).registerTitle(f.landAgencyId, parcel, data, owners, certificates);
  return titleIdOf(parcel);
}

/** A fixture with alice's single-owner apartment (serial 1) already registered. */
export async function titleFixture(): Promise<TitleFixture & { titleId: bigint }> {
  const f = await deployTitleFixture();
  const titleId = await registerTitle(f, [owner(f.alice)]);
  return { ...f, titleId };
}

/** Proposes a sale of `titleId` from `seller` to `buyers`, valid for 30 days, and returns the proposal id. */
export async function proposeSale(
  f: TitleFixture,
  titleId: bigint,
  seller: HardhatEthersSigner,
  buyers: Owner[],
  discharges: string[] = [],
): Promise<bigint> {
  const expiresAt = (await now()) + 30n * DAY;
  const tx = await f.titles
    .connect(seller)
    .proposeTransfer(titleId, buyers, documentHash("sale"), discharges, expiresAt);
  const receipt = await tx.wait();
  const event = receipt!.logs
    .map((log) => f.titles.interface.parseLog(log))
    .find((parsed) => parsed?.name === "TransferProposed");
  return event!.args.proposalId as bigint;
}

/** Ordinary lien terms from the fixture's bank, valid for a day. */
export async function lienTerms(
  f: TitleFixture,
  titleId: bigint,
  overrides: Partial<LienTerms> = {},
): Promise<LienTerms> {
  return {
    titleId,
    lenderAgencyId: f.bankAgencyId,
    kind: LienKind.Ordinary,
    amount: 2_000_000_00n,
    periodEnd: 0n,
    loanContractHash: documentHash("loan"),
    deadline: (await now()) + DAY,
    ...overrides,
  };
}

/** Every owner consents on chain, then the lender registers the lien. */
export async function registerLienOnChain(
  f: TitleFixture,
  terms: LienTerms,
  owners: HardhatEthersSigner[],
): Promise<ContractTransactionResponse> {
  for (const account of owners) {
    await f.liens.connect(account).consentToLien(terms);
  }
  return f.liens.connect(f.lender).registerLien(terms, []);
}

/** The EIP-712 domain of the lien registry. */
export async function lienDomain(f: TitleFixture): Promise<TypedDataDomain> {
  const { chainId } = await ethers.provider.getNetwork();
  return {
    name: "GovChain LienRegistry",
    version: "1",
    chainId,
    verifyingContract: await f.liens.getAddress(),
  };
}

export const LIEN_CONSENT_TYPES = {
  LienConsent: [
    { name: "titleId", type: "uint256" },
    { name: "lenderAgencyId", type: "uint32" },
    { name: "kind", type: "uint8" },
    { name: "amount", type: "uint80" },
    { name: "periodEnd", type: "uint40" },
    { name: "loanContractHash", type: "bytes32" },
    { name: "revision", type: "uint32" },
    { name: "deadline", type: "uint40" },
  ],
};

/** An owner's EIP-712 signature over lien terms at the title's current revision. */
export async function signLienConsent(
  f: TitleFixture,
  signer: HardhatEthersSigner,
  terms: LienTerms,
  revision?: bigint,
): Promise<string> {
  const currentRevision = revision ?? (await f.titles.title(terms.titleId)).revision;
  return signer.signTypedData(await lienDomain(f), LIEN_CONSENT_TYPES, { ...terms, revision: currentRevision });
}
