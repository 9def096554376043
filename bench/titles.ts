import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Contract } from "ethers";
import { artifacts, ethers } from "hardhat";

import { capabilityMask } from "../sdk/src/utils/capabilities";
import { deployBehindProxy, onboardAgency, sent, type GovChainSuite } from "./deploy";
import type { PeerGas } from "./peers";
import type { BenchResults } from "./results-table";

/**
 * Gas of the title registry's user-facing operations beside TradeTrust (a title as an ERC-721 held by a title
 * escrow) and a plain ERC-721: first registration, a sale from proposal to the registrar's approval (which issues
 * the buyer's real-estate certificate through the certificate registry), a mortgage, a court freeze.
 *
 * Contracts are reached by artifact name, not through TypeChain types, so that this module compiles on a branch
 * where the title registry has not landed yet; there it measures nothing and the report says so.
 */

const JURISDICTION = "CN/310000";
const BASIS_POINTS = 10_000n;
const DAY = 24 * 60 * 60;
/** Real estate: apartment (`UnitKind.Apartment`), urban residential land use (GB/T 21010 0701), 89.50 m². */
const APARTMENT = { kind: 3, landUse: 701, area: 8_950n, documentsHash: ethers.id("deed:apartment") };
const LIEN_ORDINARY = 1;

const TITLES_NOTE =
  "Measured on the title registry (core and extension behind one UUPS proxy) with its lien and restriction " +
  "companions, each behind its own proxy, wired as the title tests wire them. A sale is proposed by the owner, " +
  "accepted by the buyer and approved by the registrar; the approval issues the buyer's certificate.";
const NOT_LANDED_NOTE =
  "Not measured: the title registry (branch `title`) has not been merged into this branch yet, so `title.*` rows " +
  "are missing and their targets are reported as not measured.";

/** A parcel number in the 28-character Chinese real-estate unit format. */
function parcelNumber(serial: number): string {
  return `310104001001GB${String(serial).padStart(5, "0")}F00010001`;
}

function titleIdOf(parcel: string): bigint {
  return BigInt(
    ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["string", "string"], [JURISDICTION, parcel])),
  );
}

function owner(account: { address: string }) {
  return {
    account: account.address,
    shares: BASIS_POINTS,
    identityCommitment: ethers.id(`identity:${account.address}`),
  };
}

function certificate(label: string) {
  return { certificateId: ethers.id(`title-certificate:${label}`), holderCommitment: ethers.id(`holder:${label}`) };
}

async function latest(): Promise<number> {
  return (await ethers.provider.getBlock("latest"))!.timestamp;
}

async function at(name: string, address: string, signer: HardhatEthersSigner): Promise<Contract> {
  return (await ethers.getContractAt(name, address, signer)) as unknown as Contract;
}

/** Whether this branch has the title registry (its artifacts exist after `hardhat compile`). */
export async function titlesAvailable(): Promise<boolean> {
  const names = ["TitleRegistry", "TitleRegistryExtension", "LienRegistry", "RestrictionRegistry", "ParcelLineage"];
  for (const name of names) if (!(await artifacts.artifactExists(name))) return false;
  return true;
}

/**
 * Measures the title rows; returns false (and measures nothing) when the title registry is not on this branch.
 * `signers`: registrar, lender, judge, seller, buyer, in that order.
 */
export async function measureTitles(
  results: BenchResults,
  suite: GovChainSuite,
  signers: HardhatEthersSigner[],
  peers: PeerGas,
): Promise<boolean> {
  if (!(await titlesAvailable())) {
    console.log(`  ${NOT_LANDED_NOTE}`);
    return false;
  }
  const [registrar, lender, judge, seller, buyer] = signers;
  const { directory, certificates, governance } = suite;
  const directoryAddress = await directory.getAddress();
  const certificatesAddress = await certificates.getAddress();

  const extensionFactory = await ethers.getContractFactory("TitleRegistryExtension", governance);
  const extension = await extensionFactory.deploy(directoryAddress, certificatesAddress, JURISDICTION);
  await extension.waitForDeployment();
  const coreFactory = await ethers.getContractFactory("TitleRegistry", governance);
  const titleAddress = await deployBehindProxy(
    governance,
    {
      deploy: () => coreFactory.deploy(directoryAddress, certificatesAddress, JURISDICTION, extension.getAddress()),
    },
    coreFactory.interface.encodeFunctionData("initialize", ["https://titles.govchain.example/"]),
  );
  const companion = async (name: string, initializer: boolean) => {
    const factory = await ethers.getContractFactory(name, governance);
    return deployBehindProxy(
      governance,
      { deploy: () => factory.deploy(directoryAddress, titleAddress) },
      initializer ? factory.interface.encodeFunctionData("initialize", []) : "0x",
    );
  };
  const lienAddress = await companion("LienRegistry", true);
  const restrictionAddress = await companion("RestrictionRegistry", false);
  const lineageAddress = await companion("ParcelLineage", false);
  const titles = await at("ITitleRegistry", titleAddress, governance);
  await (await titles.setCompanions(lienAddress, restrictionAddress, lineageAddress)).wait();

  const { agencyId: land } = await onboardAgency(
    directory,
    "上海市不动产登记中心",
    JURISDICTION,
    governance.address,
    capabilityMask("RegisterTitles", "IssueCertificates"),
  );
  const { agencyId: bank } = await onboardAgency(
    directory,
    "上海银行",
    JURISDICTION,
    governance.address,
    capabilityMask("HoldLiens"),
  );
  const { agencyId: court } = await onboardAgency(
    directory,
    "上海市徐汇区人民法院",
    JURISDICTION,
    governance.address,
    capabilityMask("FreezeTitles"),
  );
  await (await directory.addOperator(land, registrar.address)).wait();
  await (await directory.addOperator(bank, lender.address)).wait();
  await (await directory.addOperator(court, judge.address)).wait();
  // The title registry issues real-estate certificates as an operator of the land registry.
  await (await directory.addOperator(land, titleAddress)).wait();
  const typeReceipt = (
    await sent(
      certificates
        .connect(registrar)
        .registerType(land, "Real estate title certificate", ethers.id("schema:title"), true, 0),
    )
  ).receipt;
  const typeId = typeReceipt.logs
    .map((log) => certificates.interface.parseLog(log))
    .find((parsed) => parsed?.name === "CertificateTypeRegistered")!.args.typeId as bigint;
  const registry = titles.connect(registrar) as Contract;
  await (await registry.setCertificateType(land, typeId)).wait();

  // Warm-up registration, so the measured one is not the registry's very first.
  await (
    await registry.registerTitle(land, parcelNumber(1), APARTMENT, [owner(seller)], [certificate("warm-up")])
  ).wait();

  const parcel = parcelNumber(2);
  const titleId = titleIdOf(parcel);
  const register = (
    await sent(registry.registerTitle(land, parcel, APARTMENT, [owner(seller)], [certificate("first")]))
  ).gas;
  results.compare("title.register", register, "gas", "tradeTrust.mint", peers.tradeTrustMint);
  results.compare("title.register.vsErc721", register, "gas", "erc721.mint", peers.erc721Mint);
  results.add(
    "title.register.noCertificate",
    (await sent(registry.registerTitle(land, parcelNumber(3), APARTMENT, [owner(seller)], []))).gas,
    "gas",
  );

  // A mortgage: the owner consents on chain, the lender registers it.
  const liens = await at("LienRegistry", lienAddress, lender);
  const terms = {
    titleId: titleIdOf(parcelNumber(3)),
    lenderAgencyId: bank,
    kind: LIEN_ORDINARY,
    amount: 2_000_000_00n,
    periodEnd: 0,
    loanContractHash: ethers.id("loan:2026-0001"),
    deadline: (await latest()) + DAY,
  };
  results.add("title.lien.consent", (await sent(liens.connect(seller).getFunction("consentToLien")(terms))).gas, "gas");
  results.add("title.lien", (await sent(liens.registerLien(terms, []))).gas, "gas");

  // A court freeze.
  const restrictions = await at("RestrictionRegistry", restrictionAddress, judge);
  results.add(
    "title.freeze",
    (await sent(restrictions.freeze(titleIdOf(parcelNumber(1)), court, ethers.id("case:(2026)沪0104执123号")))).gas,
    "gas",
  );

  // A sale: the seller proposes, the buyer accepts, the registrar approves and the buyer's certificate is issued.
  const proposed = await sent(
    (titles.connect(seller) as Contract).proposeTransfer(
      titleId,
      [owner(buyer)],
      ethers.id("sale-contract"),
      [],
      (await latest()) + 30 * DAY,
    ),
  );
  const proposalId = proposed.receipt.logs
    .map((log) => titles.interface.parseLog(log))
    .find((parsed) => parsed?.name === "TransferProposed")!.args.proposalId as bigint;
  const accepted = await sent((titles.connect(buyer) as Contract).acceptTransfer(titleId, proposalId));
  const approved = await sent(registry.approveTransfer(titleId, proposalId, [certificate("sale")]));
  results.add("title.proposeSale", proposed.gas, "gas");
  results.add("title.acceptSale", accepted.gas, "gas");
  results.compare(
    "title.approveSale",
    approved.gas,
    "gas",
    "tradeTrust.transferHolder",
    peers.tradeTrustTransferHolder,
  );
  results.compare("title.approveSale.vsErc721", approved.gas, "gas", "erc721.transferFrom", peers.erc721TransferFrom);
  results.add("title.transferBySale", proposed.gas + accepted.gas + approved.gas, "gas");
  return true;
}

/** The report's line about titles. */
export function titlesNote(measured: boolean): string {
  return measured ? TITLES_NOTE : NOT_LANDED_NOTE;
}
