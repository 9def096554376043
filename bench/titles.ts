import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ethers } from "hardhat";

import { capabilityMask } from "../sdk/src/utils/capabilities";
import type { ILienRegistry } from "../typechain-types";
import type { ITitleRegistryTypes } from "../typechain-types/contracts/interfaces/ITitleRegistry";
import {
  onboardAgency,
  sent,
  SIGNED_DEADLINE,
  stableTimestamp,
  TITLE_JURISDICTION,
  type GovChainSuite,
} from "./deploy";
import type { PeerGas } from "./peers";
import type { BenchResults } from "./results-table";

/**
 * Gas of the title registry's user-facing operations beside TradeTrust (a title as an ERC-721 held by a title
 * escrow) and a plain ERC-721: first registration, a sale from proposal to the registrar's approval (which issues
 * the buyer's real-estate certificate through the certificate registry), a mortgage, a court freeze.
 * The registry and its lien, restriction and lineage companions come from the SDK's `deploySuite`
 * (docs/decisions/0006: the core and its extension behind one UUPS proxy, each companion behind its own).
 */

const BASIS_POINTS = 10_000n;
const DAY = 24 * 60 * 60;
/** An apartment (`UnitKind.Apartment`), urban residential land (GB/T 21010 0701), 89.50 m². */
const APARTMENT: ITitleRegistryTypes.ParcelDataStruct = {
  kind: 3,
  landUse: 701,
  area: 8_950n,
  documentsHash: ethers.id("deed:apartment"),
};
const LIEN_ORDINARY = 1;
/** EIP-712 of a lien consent, as `LienRegistry` defines it. */
const LIEN_DOMAIN = { name: "GovChain LienRegistry", version: "1" };
const LIEN_CONSENT_TYPES = {
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

export const TITLES_NOTE =
  "The title registry (core and extension behind one UUPS proxy) with its lien, restriction and lineage companions " +
  "behind their own proxies, as the SDK's `deploySuite` deploys them (docs/decisions/0006). `title.register` is the target's case: one " +
  "owner who holds no title yet, no certificate, no identity commitment (`.withCertificate` issues the certificate " +
  "in the same transaction, `.withIdentity` records the owner's salted identity commitment). " +
  "`title.approveSale` is the registrar's approval of a sale to a **first-time buyer**, certificate included: the " +
  "general case, and the one comparable with the peers' transfers to a fresh account; `.existingHolder` is the " +
  "approval for a buyer who already holds a title (the case the unit test asserts within 120,000). " +
  "`title.transferBySale` adds the seller's proposal and the buyer's acceptance to the approval. `title.lien` is " +
  "the lender's registration on the owner's on-chain consent (`.consent`), `.bySig` on an EIP-712 signature.";

/** A parcel number in the 28-character Chinese real-estate unit format. */
function parcelNumber(serial: number): string {
  return `310104001001GB${String(serial).padStart(5, "0")}F00010001`;
}

function titleIdOf(parcel: string): bigint {
  return BigInt(
    ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["string", "string"], [TITLE_JURISDICTION, parcel])),
  );
}

/** A sole owner; without an identity commitment unless asked (the case the title tests and targets measure). */
function owner(account: { address: string }, withIdentity = false): ITitleRegistryTypes.OwnerStruct {
  return {
    account: account.address,
    shares: BASIS_POINTS,
    identityCommitment: withIdentity ? ethers.id(`identity:${account.address}`) : ethers.ZeroHash,
  };
}

function certificate(label: string): ITitleRegistryTypes.CertificateStruct {
  return { certificateId: ethers.id(`title-certificate:${label}`), holderCommitment: ethers.id(`holder:${label}`) };
}

/** The people of the title run; each a distinct account. */
export interface TitleSigners {
  registrar: HardhatEthersSigner;
  lender: HardhatEthersSigner;
  judge: HardhatEthersSigner;
  seller: HardhatEthersSigner;
  /** Holds no title until a sale makes them an owner. */
  firstTimeBuyer: HardhatEthersSigner;
  /** First registered owner of the measured title; later buys a second title as an existing holder. */
  homeOwner: HardhatEthersSigner;
  /** Owner of a title registered with its certificate, who signs a lien consent. */
  borrower: HardhatEthersSigner;
}

export async function measureTitles(
  results: BenchResults,
  suite: GovChainSuite,
  signers: TitleSigners,
  peers: PeerGas,
): Promise<void> {
  const { registrar, lender, judge, seller, firstTimeBuyer, homeOwner, borrower } = signers;
  const { directory, certificates, governance, titles, liens, restrictions } = suite;

  const { agencyId: land } = await onboardAgency(
    directory,
    "上海市不动产登记中心",
    TITLE_JURISDICTION,
    governance.address,
    capabilityMask("RegisterTitles", "IssueCertificates"),
  );
  const { agencyId: bank } = await onboardAgency(
    directory,
    "上海银行",
    TITLE_JURISDICTION,
    governance.address,
    capabilityMask("HoldLiens"),
  );
  const { agencyId: court } = await onboardAgency(
    directory,
    "上海市徐汇区人民法院",
    TITLE_JURISDICTION,
    governance.address,
    capabilityMask("FreezeTitles"),
  );
  await (await directory.addOperator(land, registrar.address)).wait();
  await (await directory.addOperator(bank, lender.address)).wait();
  await (await directory.addOperator(court, judge.address)).wait();
  // The title registry issues real-estate certificates as an operator of the land registry.
  await (await directory.addOperator(land, await titles.getAddress())).wait();
  const { receipt } = await sent(
    certificates
      .connect(registrar)
      .registerType(land, "Real estate title certificate", ethers.id("schema:title-certificate:v1"), true, 0),
  );
  const typeId = receipt.logs
    .map((log) => certificates.interface.parseLog(log))
    .find((parsed) => parsed?.name === "CertificateTypeRegistered")!.args.typeId as bigint;
  const registry = titles.connect(registrar);
  await (await registry.setCertificateType(land, typeId)).wait();

  // The registry's first title, so that the measured registrations are not its very first write; its owner needs no
  // key of their own here (registration and a court freeze need no owner signature).
  const bystander = { address: ethers.getAddress(ethers.dataSlice(ethers.id("owner:bystander"), 12)) };
  const register = (
    serial: number,
    holder: { address: string },
    issued: ITitleRegistryTypes.CertificateStruct[],
    withIdentity = false,
  ) => sent(registry.registerTitle(land, parcelNumber(serial), APARTMENT, [owner(holder, withIdentity)], issued));
  await register(1, bystander, [certificate("bystander-1")]);

  const registered = (await register(2, homeOwner, [])).gas;
  results.compare("title.register", registered, "gas", "tradeTrust.mint", peers.tradeTrustMint);
  results.compare("title.register.vsErc721", registered, "gas", "erc721.mint", peers.erc721Mint);
  results.add("title.register.withCertificate", (await register(3, borrower, [certificate("borrower-3")])).gas, "gas");
  // An owner recorded with a salted identity commitment (any fresh account: registration needs no owner signature).
  const identified = { address: ethers.getAddress(ethers.dataSlice(ethers.id("owner:identified"), 12)) };
  results.add("title.register.withIdentity", (await register(6, identified, [], true)).gas, "gas");

  // A mortgage on the owner's on-chain consent, and one on an EIP-712 signature.
  const terms = async (titleId: bigint, loan: string): Promise<ILienRegistry.LienTermsStruct> => ({
    titleId,
    lenderAgencyId: bank,
    kind: LIEN_ORDINARY,
    amount: 2_000_000_00n,
    periodEnd: 0,
    loanContractHash: ethers.id(loan),
    deadline: SIGNED_DEADLINE,
  });
  const onChain = await terms(titleIdOf(parcelNumber(2)), "loan:2026-0001");
  results.add("title.lien.consent", (await sent(liens.connect(homeOwner).consentToLien(onChain))).gas, "gas");
  results.add("title.lien", (await sent(liens.connect(lender).registerLien(onChain, []))).gas, "gas");
  const signed = await terms(titleIdOf(parcelNumber(3)), "loan:2026-0002");
  const { chainId } = await ethers.provider.getNetwork();
  const signature = await borrower.signTypedData(
    { ...LIEN_DOMAIN, chainId, verifyingContract: await liens.getAddress() },
    LIEN_CONSENT_TYPES,
    { ...signed, revision: (await titles.title(signed.titleId)).revision },
  );
  results.add("title.lien.bySig", (await sent(liens.connect(lender).registerLien(signed, [signature]))).gas, "gas");

  // A court freezes the first title.
  const caseReference = ethers.id("case:(2026)沪0104执123号");
  results.add(
    "title.freeze",
    (await sent(restrictions.connect(judge).freeze(titleIdOf(parcelNumber(1)), court, caseReference))).gas,
    "gas",
  );

  // Sales: the seller proposes, the buyer accepts, the registrar approves and issues the buyer's certificate. The
  // seller sells the only title they hold, as in the title tests (their ERC-721 balance returns to zero).
  const sale = async (serial: number, buyer: HardhatEthersSigner) => {
    await register(serial, seller, [certificate(`seller-${serial}`)]);
    const titleId = titleIdOf(parcelNumber(serial));
    const proposed = await sent(
      titles
        .connect(seller)
        .proposeTransfer(titleId, [owner(buyer)], ethers.id(`sale:${serial}`), [], await stableTimestamp(30 * DAY)),
    );
    const proposalId = proposed.receipt.logs
      .map((log) => titles.interface.parseLog(log))
      .find((parsed) => parsed?.name === "TransferProposed")!.args.proposalId as bigint;
    const accepted = await sent(titles.connect(buyer).acceptTransfer(titleId, proposalId));
    const approved = await sent(registry.approveTransfer(titleId, proposalId, [certificate(`buyer-${serial}`)]));
    return { proposed: proposed.gas, accepted: accepted.gas, approved: approved.gas };
  };
  const firstSale = await sale(4, firstTimeBuyer);
  results.compare(
    "title.approveSale",
    firstSale.approved,
    "gas",
    "tradeTrust.transferHolder",
    peers.tradeTrustTransferHolder,
  );
  results.compare(
    "title.approveSale.vsErc721",
    firstSale.approved,
    "gas",
    "erc721.transferFrom",
    peers.erc721TransferFrom,
  );
  results.add("title.proposeSale", firstSale.proposed, "gas");
  results.add("title.acceptSale", firstSale.accepted, "gas");
  results.add("title.transferBySale", firstSale.proposed + firstSale.accepted + firstSale.approved, "gas");
  results.add("title.approveSale.existingHolder", (await sale(5, homeOwner)).approved, "gas");
}
