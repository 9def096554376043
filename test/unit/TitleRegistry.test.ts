import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";

import { CertificateStatus, registerType } from "../helpers/certificates";
import { Capability } from "../../sdk/src/utils/capabilities";
import { onboard } from "../helpers/directory";
import {
  BASIS_POINTS,
  DAY,
  JURISDICTION,
  RegistrationBasis,
  TitleStatus,
  UnitKind,
  certificate,
  commitment,
  deployTitleFixture,
  documentHash,
  gasUsed,
  now,
  owner,
  parcelData,
  parcelNumber,
  proposeSale,
  registerTitle,
  titleFixture,
  titleIdOf,
} from "../helpers/titles";

/** Alice (60 %, with an identity commitment) and Bob (40 %) co-own apartment 2. */
async function coOwnedFixture() {
  const f = await deployTitleFixture();
  const titleId = await registerTitle(f, [owner(f.alice, 6_000n, commitment("alice")), owner(f.bob, 4_000n)], 2);
  return { ...f, titleId };
}

/** Alice offered her apartment to Bob, who accepted: it waits for the registrar. */
async function acceptedSaleFixture() {
  const f = await titleFixture();
  const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.bob, BASIS_POINTS, commitment("bob"))]);
  await f.titles.connect(f.bob).acceptTransfer(f.titleId, proposalId);
  return { ...f, proposalId };
}

async function expiry(days: bigint): Promise<bigint> {
  return (await now()) + days * DAY;
}

describe("TitleRegistry", function () {
  describe("deployment, configuration and upgrades", function () {
    it("binds to the directory, the certificate registry, its jurisdiction and its extension", async function () {
      const f = await loadFixture(titleFixture);
      const extension = await ethers.getContractAt("TitleRegistryExtension", await f.titleCore.extension());
      expect(await f.titleCore.VERSION()).to.equal("1.0.0");
      expect(await f.titles.jurisdiction()).to.equal(JURISDICTION);
      expect(await f.titles.name()).to.equal("GovChain Property Title");
      expect(await extension.directory()).to.equal(await f.directory.getAddress());
      expect(await extension.certificateRegistry()).to.equal(await f.certificates.getAddress());
      expect(await f.titles.companions()).to.deep.equal([
        await f.liens.getAddress(),
        await f.restrictions.getAddress(),
        await f.lineage.getAddress(),
      ]);
    });

    it("refuses an extension built for another jurisdiction with TitleExtensionMismatch", async function () {
      const f = await loadFixture(titleFixture);
      const other = await (
        await ethers.getContractFactory("TitleRegistryExtension")
      ).deploy(await f.directory.getAddress(), await f.certificates.getAddress(), "CN/110000");
      const factory = await ethers.getContractFactory("TitleRegistry");
      await expect(
        factory.deploy(
          await f.directory.getAddress(),
          await f.certificates.getAddress(),
          JURISDICTION,
          await other.getAddress(),
        ),
      )
        .to.be.revertedWithCustomError(factory, "TitleExtensionMismatch")
        .withArgs(await other.getAddress());
    });

    it("cannot be initialised twice", async function () {
      const f = await loadFixture(titleFixture);
      await expect(f.titleCore.initialize("x")).to.be.revertedWithCustomError(f.titleCore, "InvalidInitialization");
    });

    it("lets only governance set the companions, never to zero", async function () {
      const f = await loadFixture(titleFixture);
      const liens = await f.liens.getAddress();
      await expect(f.titles.connect(f.stranger).setCompanions(liens, liens, liens))
        .to.be.revertedWithCustomError(f.titles, "TitleGovernorRequired")
        .withArgs(f.stranger.address);
      await expect(
        f.titles.connect(f.governance).setCompanions(liens, ethers.ZeroAddress, liens),
      ).to.be.revertedWithCustomError(f.titles, "TitleZeroAddress");
    });

    it("lets only governance set the base URI, and builds token URIs from it", async function () {
      const f = await loadFixture(titleFixture);
      await expect(f.titles.connect(f.stranger).setBaseURI("https://evil.example/"))
        .to.be.revertedWithCustomError(f.titles, "TitleGovernorRequired")
        .withArgs(f.stranger.address);
      await expect(f.titles.connect(f.governance).setBaseURI("https://titles.example/"))
        .to.emit(f.titles, "BaseURISet")
        .withArgs("https://titles.example/");
      expect(await f.titles.tokenURI(f.titleId)).to.equal(`https://titles.example/${f.titleId}`);
    });

    it("lets only a registrar of the agency set its certificate type", async function () {
      const f = await loadFixture(titleFixture);
      await expect(f.titles.connect(f.lender).setCertificateType(f.landAgencyId, 7))
        .to.be.revertedWithCustomError(f.titles, "TitleRegistrarRequired")
        .withArgs(f.landAgencyId, f.lender.address);
      await expect(f.titles.connect(f.registrar).setCertificateType(f.landAgencyId, 7))
        .to.emit(f.titles, "CertificateTypeSet")
        .withArgs(f.landAgencyId, 7);
      expect(await f.titles.certificateType(f.landAgencyId)).to.equal(7);
    });

    it("is upgraded by governance only, keeping its records", async function () {
      const f = await loadFixture(titleFixture);
      const extension = await f.titleCore.extension();
      const constructorArgs = [
        await f.directory.getAddress(),
        await f.certificates.getAddress(),
        JURISDICTION,
        extension,
      ];
      const factory = await ethers.getContractFactory("TitleRegistry", f.stranger);
      await expect(
        upgrades.upgradeProxy(await f.titles.getAddress(), factory, {
          kind: "uups",
          constructorArgs,
          unsafeAllow: ["delegatecall"],
        }),
      )
        .to.be.revertedWithCustomError(f.titles, "TitleGovernorRequired")
        .withArgs(f.stranger.address);
      await upgrades.upgradeProxy(
        await f.titles.getAddress(),
        await ethers.getContractFactory("TitleRegistry", f.governance),
        { kind: "uups", constructorArgs, unsafeAllow: ["delegatecall"] },
      );
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.alice.address);
    });

    it("accepts companion hooks only from the companions, with TitleCompanionRequired", async function () {
      const f = await loadFixture(titleFixture);
      const titles = f.titles.connect(f.stranger);
      const hooks = [
        () => titles.onLienRegistered(f.titleId, 0),
        () => titles.onLienReleased(f.titleId),
        () => titles.setRestricted(f.titleId, true),
        () => titles.retire(f.titleId),
        () =>
          titles.registerDerived(
            f.landAgencyId,
            f.stranger.address,
            "X",
            parcelData(),
            [owner(f.stranger)],
            RegistrationBasis.Subdivision,
            ethers.ZeroHash,
          ),
      ];
      for (const hook of hooks) {
        await expect(hook())
          .to.be.revertedWithCustomError(f.titles, "TitleCompanionRequired")
          .withArgs(f.stranger.address);
      }
    });

    it("announces ERC-721 and ERC-4906", async function () {
      const f = await loadFixture(titleFixture);
      expect(await f.titles.supportsInterface("0x80ac58cd")).to.be.true;
      expect(await f.titles.supportsInterface("0x49064906")).to.be.true;
      expect(await f.titles.supportsInterface("0xffffffff")).to.be.false;
    });
  });

  describe("registerTitle", function () {
    it("registers a unit under the id derived from jurisdiction and parcel number", async function () {
      const f = await loadFixture(deployTitleFixture);
      const parcel = parcelNumber(1);
      const id = titleIdOf(parcel);
      const data = parcelData("deed-1");
      await expect(f.titles.connect(f.registrar).registerTitle(f.landAgencyId, parcel, data, [owner(f.alice)], []))
        .to.emit(f.titles, "TitleRegistered")
        .withArgs(id, f.landAgencyId, parcel, UnitKind.Apartment, 701, 8_950, data.documentsHash)
        .and.to.emit(f.titles, "OwnershipRegistered")
        .withArgs(
          id,
          RegistrationBasis.FirstRegistration,
          f.registrar.address,
          0,
          [[f.alice.address, BASIS_POINTS, ethers.ZeroHash]],
          data.documentsHash,
          [],
        )
        .and.to.emit(f.titles, "Transfer")
        .withArgs(ethers.ZeroAddress, f.alice.address, id);
      expect(await f.titles.titleIdOf(JURISDICTION, parcel)).to.equal(id);
      expect(await f.titles.ownerOf(id)).to.equal(f.alice.address);
      const record = await f.titles.title(id);
      expect(record.agencyId).to.equal(f.landAgencyId);
      expect(record.status).to.equal(TitleStatus.Active);
      expect(record.kind).to.equal(UnitKind.Apartment);
      expect(record.landUse).to.equal(701);
      expect(record.area).to.equal(8_950);
      expect(record.documentsHash).to.equal(data.documentsHash);
      expect(record.registeredAt).to.equal(await now());
      expect(record.revision).to.equal(0);
      expect(record.owners).to.deep.equal([[f.alice.address, BASIS_POINTS, ethers.ZeroHash]]);
    });

    it("records co-owners with their shares and identity commitments; the first one holds the token", async function () {
      const f = await loadFixture(coOwnedFixture);
      const [owners, revision] = await f.titles.ownersOf(f.titleId);
      expect(owners).to.deep.equal([
        [f.alice.address, 6_000n, commitment("alice")],
        [f.bob.address, 4_000n, ethers.ZeroHash],
      ]);
      expect(revision).to.equal(0);
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.alice.address);
      expect(await f.titles.balanceOf(f.bob.address)).to.equal(0);
    });

    it("issues the owners' certificates through the certificate registry when given", async function () {
      const f = await loadFixture(deployTitleFixture);
      const cert = certificate("first");
      const tx = f.titles
        .connect(f.registrar)
        .registerTitle(f.landAgencyId, parcelNumber(1), parcelData(), [owner(f.alice)], [cert]);
      await expect(tx)
        .to.emit(f.certificates, "CertificateIssued")
        .withArgs(cert.certificateId, f.certificateTypeId, cert.holderCommitment);
      expect(await f.certificates.statusOf(cert.certificateId)).to.equal(CertificateStatus.Issued);
    });

    it("refuses an account that is not a registrar of the agency with TitleRegistrarRequired", async function () {
      const f = await loadFixture(deployTitleFixture);
      await expect(
        f.titles.connect(f.stranger).registerTitle(f.landAgencyId, parcelNumber(1), parcelData(), [owner(f.alice)], []),
      )
        .to.be.revertedWithCustomError(f.titles, "TitleRegistrarRequired")
        .withArgs(f.landAgencyId, f.stranger.address);
      // A lender acts for its bank, which may not register titles.
      await expect(
        f.titles.connect(f.lender).registerTitle(f.bankAgencyId, parcelNumber(1), parcelData(), [owner(f.alice)], []),
      )
        .to.be.revertedWithCustomError(f.titles, "TitleRegistrarRequired")
        .withArgs(f.bankAgencyId, f.lender.address);
    });

    it("refuses a parcel that is already registered with TitleAlreadyRegistered", async function () {
      const f = await loadFixture(titleFixture);
      await expect(registerTitle(f, [owner(f.bob)], 1))
        .to.be.revertedWithCustomError(f.titles, "TitleAlreadyRegistered")
        .withArgs(f.titleId);
    });

    it("refuses shares that do not sum to 10,000 with OwnerSharesSumInvalid", async function () {
      const f = await loadFixture(deployTitleFixture);
      await expect(registerTitle(f, [owner(f.alice, 6_000n), owner(f.bob, 3_999n)]))
        .to.be.revertedWithCustomError(f.titles, "OwnerSharesSumInvalid")
        .withArgs(9_999);
      await expect(registerTitle(f, [owner(f.alice, 6_000n), owner(f.bob, 4_001n)]))
        .to.be.revertedWithCustomError(f.titles, "OwnerSharesSumInvalid")
        .withArgs(10_001);
    });

    it("refuses a zero share, a repeated or zero owner, and an empty or oversized owner list", async function () {
      const f = await loadFixture(deployTitleFixture);
      await expect(registerTitle(f, [owner(f.alice, BASIS_POINTS), owner(f.bob, 0n)]))
        .to.be.revertedWithCustomError(f.titles, "OwnerShareZero")
        .withArgs(f.bob.address);
      await expect(registerTitle(f, [owner(f.alice, 5_000n), owner(f.alice, 5_000n)]))
        .to.be.revertedWithCustomError(f.titles, "OwnerAccountInvalid")
        .withArgs(f.alice.address);
      await expect(registerTitle(f, [owner({ address: ethers.ZeroAddress })]))
        .to.be.revertedWithCustomError(f.titles, "OwnerAccountInvalid")
        .withArgs(ethers.ZeroAddress);
      await expect(registerTitle(f, [])).to.be.revertedWithCustomError(f.titles, "OwnerCountInvalid").withArgs(0);
      const many = Array.from({ length: 33 }, (_, i) =>
        owner(
          { address: ethers.getAddress(`0x${(i + 1).toString(16).padStart(40, "0")}`) },
          i === 0 ? 10_000n - 32n : 1n,
        ),
      );
      await expect(registerTitle(f, many)).to.be.revertedWithCustomError(f.titles, "OwnerCountInvalid").withArgs(33);
    });

    it("refuses an empty or overlong parcel number and incomplete parcel data", async function () {
      const f = await loadFixture(deployTitleFixture);
      const long = "9".repeat(65);
      for (const parcel of ["", long]) {
        await expect(
          f.titles.connect(f.registrar).registerTitle(f.landAgencyId, parcel, parcelData(), [owner(f.alice)], []),
        )
          .to.be.revertedWithCustomError(f.titles, "ParcelNumberInvalid")
          .withArgs(parcel);
      }
      await expect(registerTitle(f, [owner(f.alice)], 1, parcelData("deed", { kind: UnitKind.None })))
        .to.be.revertedWithCustomError(f.titles, "ParcelDataInvalid")
        .withArgs(UnitKind.None, 8_950);
      await expect(registerTitle(f, [owner(f.alice)], 1, parcelData("deed", { area: 0n })))
        .to.be.revertedWithCustomError(f.titles, "ParcelDataInvalid")
        .withArgs(UnitKind.Apartment, 0);
    });

    it("refuses a certificate list that fits neither one per owner nor one for all", async function () {
      const f = await loadFixture(deployTitleFixture);
      await expect(registerTitle(f, [owner(f.alice)], 1, parcelData(), [certificate("a"), certificate("b")]))
        .to.be.revertedWithCustomError(f.titles, "CertificateCountInvalid")
        .withArgs(2, 1);
    });

    it("refuses to issue certificates for an agency that set no certificate type", async function () {
      const f = await loadFixture(deployTitleFixture);
      const district = await onboard(
        f.directory,
        "Xuhui Registration Office",
        JURISDICTION,
        f.governance.address,
        Capability.RegisterTitles | Capability.IssueCertificates,
      );
      await f.directory.addOperator(district, f.registrar.address);
      await expect(
        f.titles
          .connect(f.registrar)
          .registerTitle(district, parcelNumber(9), parcelData(), [owner(f.alice)], [certificate("x")]),
      )
        .to.be.revertedWithCustomError(f.titles, "CertificateTypeNotSet")
        .withArgs(district);
    });
  });

  describe("plain ERC-721 moves", function () {
    it("refuses transferFrom and both safeTransferFrom with TitleTransferRequiresRegistration", async function () {
      const f = await loadFixture(titleFixture);
      const token = f.titles.connect(f.alice);
      await expect(token.transferFrom(f.alice.address, f.bob.address, f.titleId))
        .to.be.revertedWithCustomError(f.titles, "TitleTransferRequiresRegistration")
        .withArgs(f.titleId);
      await expect(token["safeTransferFrom(address,address,uint256)"](f.alice.address, f.bob.address, f.titleId))
        .to.be.revertedWithCustomError(f.titles, "TitleTransferRequiresRegistration")
        .withArgs(f.titleId);
      await expect(
        token["safeTransferFrom(address,address,uint256,bytes)"](f.alice.address, f.bob.address, f.titleId, "0x"),
      )
        .to.be.revertedWithCustomError(f.titles, "TitleTransferRequiresRegistration")
        .withArgs(f.titleId);
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.alice.address);
    });

    it("refuses approve and setApprovalForAll with TitleApprovalNotSupported", async function () {
      const f = await loadFixture(titleFixture);
      await expect(f.titles.connect(f.alice).approve(f.bob.address, f.titleId)).to.be.revertedWithCustomError(
        f.titles,
        "TitleApprovalNotSupported",
      );
      await expect(f.titles.connect(f.alice).setApprovalForAll(f.bob.address, true)).to.be.revertedWithCustomError(
        f.titles,
        "TitleApprovalNotSupported",
      );
    });
  });

  describe("sale workflow", function () {
    it("moves the title only when the buyer accepted and the registrar approved, and issues the certificate", async function () {
      const f = await loadFixture(acceptedSaleFixture);
      const cert = certificate("bob");
      const before = await f.titles.title(f.titleId);
      const tx = f.titles.connect(f.registrar).approveTransfer(f.titleId, f.proposalId, [cert]);
      await expect(tx)
        .to.emit(f.titles, "OwnershipRegistered")
        .withArgs(
          f.titleId,
          RegistrationBasis.Sale,
          f.registrar.address,
          before.revision + 1n,
          [[f.bob.address, BASIS_POINTS, commitment("bob")]],
          documentHash("sale"),
          [cert.certificateId],
        )
        .and.to.emit(f.titles, "Transfer")
        .withArgs(f.alice.address, f.bob.address, f.titleId)
        .and.to.emit(f.titles, "MetadataUpdate")
        .withArgs(f.titleId)
        .and.to.emit(f.certificates, "CertificateIssued")
        .withArgs(cert.certificateId, f.certificateTypeId, cert.holderCommitment);
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.bob.address);
      const [owners] = await f.titles.ownersOf(f.titleId);
      expect(owners).to.deep.equal([[f.bob.address, BASIS_POINTS, commitment("bob")]]);
      expect((await f.titles.proposal(f.titleId)).id).to.equal(0);
      expect(await f.certificates.statusOf(cert.certificateId)).to.equal(CertificateStatus.Issued);
    });

    it("records the proposal and its parties", async function () {
      const f = await loadFixture(titleFixture);
      const expiresAt = await expiry(30n);
      const buyers = [owner(f.bob, 7_000n, commitment("bob")), owner(f.carol, 3_000n)];
      await expect(f.titles.connect(f.alice).proposeTransfer(f.titleId, buyers, documentHash("sale"), [], expiresAt))
        .to.emit(f.titles, "TransferProposed")
        .withArgs(
          f.titleId,
          1,
          f.alice.address,
          buyers.map((b) => [b.account, b.shares, b.identityCommitment]),
          documentHash("sale"),
          [],
          expiresAt,
        )
        .and.to.emit(f.titles, "TransferAccepted")
        .withArgs(f.titleId, 1, f.alice.address);
      const proposal = await f.titles.proposal(f.titleId);
      expect(proposal.id).to.equal(1);
      expect(proposal.expiresAt).to.equal(expiresAt);
      expect(proposal.sellerConsents).to.equal(1);
      expect(proposal.buyerAcceptances).to.equal(0);
      expect(proposal.buyers).to.deep.equal(buyers.map((b) => [b.account, b.shares, b.identityCommitment]));
      await f.titles.connect(f.carol).acceptTransfer(f.titleId, 1);
      expect((await f.titles.proposal(f.titleId)).buyerAcceptances).to.equal(2);
    });

    it("refuses an approval before every buyer accepted with ProposalNotAccepted", async function () {
      const f = await loadFixture(titleFixture);
      const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.bob, 5_000n), owner(f.carol, 5_000n)]);
      await f.titles.connect(f.bob).acceptTransfer(f.titleId, proposalId);
      await expect(f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("x")]))
        .to.be.revertedWithCustomError(f.titles, "ProposalNotAccepted")
        .withArgs(f.titleId, proposalId, 1, 1);
    });

    it("refuses a proposal from someone who does not own the title with OwnerRequired", async function () {
      const f = await loadFixture(titleFixture);
      await expect(
        f.titles.connect(f.bob).proposeTransfer(f.titleId, [owner(f.bob)], documentHash("sale"), [], await expiry(1n)),
      )
        .to.be.revertedWithCustomError(f.titles, "OwnerRequired")
        .withArgs(f.titleId, f.bob.address);
    });

    it("refuses buyers' shares that do not sum to 10,000", async function () {
      const f = await loadFixture(titleFixture);
      await expect(
        f.titles
          .connect(f.alice)
          .proposeTransfer(f.titleId, [owner(f.bob, 9_000n)], documentHash("sale"), [], await expiry(1n)),
      )
        .to.be.revertedWithCustomError(f.titles, "OwnerSharesSumInvalid")
        .withArgs(9_000);
    });

    it("refuses an expiry in the past or beyond the longest lifetime with ProposalExpiryInvalid", async function () {
      const f = await loadFixture(titleFixture);
      const past = await now();
      const tooFar = (await now()) + 181n * DAY;
      for (const expiresAt of [past, tooFar]) {
        await expect(
          f.titles.connect(f.alice).proposeTransfer(f.titleId, [owner(f.bob)], documentHash("sale"), [], expiresAt),
        )
          .to.be.revertedWithCustomError(f.titles, "ProposalExpiryInvalid")
          .withArgs(expiresAt);
      }
    });

    it("refuses more than MAX_DISCHARGES named liens", async function () {
      const f = await loadFixture(titleFixture);
      const discharges = Array.from({ length: 17 }, (_, i) => documentHash(`loan-${i}`));
      await expect(
        f.titles
          .connect(f.alice)
          .proposeTransfer(f.titleId, [owner(f.bob)], documentHash("sale"), discharges, await expiry(1n)),
      )
        .to.be.revertedWithCustomError(f.titles, "ProposalDischargesTooMany")
        .withArgs(17);
    });

    it("keeps one open proposal per title until it expires", async function () {
      const f = await loadFixture(acceptedSaleFixture);
      const open = await f.titles.proposal(f.titleId);
      await expect(proposeSale(f, f.titleId, f.alice, [owner(f.carol)]))
        .to.be.revertedWithCustomError(f.titles, "ProposalPending")
        .withArgs(f.titleId, f.proposalId, open.expiresAt);
      await time.increaseTo(open.expiresAt);
      const replacement = await proposeSale(f, f.titleId, f.alice, [owner(f.carol)]);
      expect(replacement).to.equal(f.proposalId + 1n);
    });

    it("refuses to accept or approve an expired proposal with ProposalExpired", async function () {
      const f = await loadFixture(acceptedSaleFixture);
      const open = await f.titles.proposal(f.titleId);
      await time.increaseTo(open.expiresAt);
      await expect(f.titles.connect(f.bob).acceptTransfer(f.titleId, f.proposalId))
        .to.be.revertedWithCustomError(f.titles, "ProposalExpired")
        .withArgs(f.titleId, f.proposalId, open.expiresAt);
      await expect(f.titles.connect(f.registrar).approveTransfer(f.titleId, f.proposalId, [certificate("bob")]))
        .to.be.revertedWithCustomError(f.titles, "ProposalExpired")
        .withArgs(f.titleId, f.proposalId, open.expiresAt);
    });

    it("refuses acceptance by someone who is neither owner nor buyer with ProposalPartyRequired", async function () {
      const f = await loadFixture(acceptedSaleFixture);
      await expect(f.titles.connect(f.stranger).acceptTransfer(f.titleId, f.proposalId))
        .to.be.revertedWithCustomError(f.titles, "ProposalPartyRequired")
        .withArgs(f.titleId, f.proposalId, f.stranger.address);
    });

    it("refuses to accept a proposal id that is not the open one with ProposalUnknown", async function () {
      const f = await loadFixture(acceptedSaleFixture);
      await expect(f.titles.connect(f.bob).acceptTransfer(f.titleId, f.proposalId + 1n))
        .to.be.revertedWithCustomError(f.titles, "ProposalUnknown")
        .withArgs(f.titleId, f.proposalId + 1n);
    });

    it("refuses an approval by anyone but a registrar of the title's agency", async function () {
      const f = await loadFixture(acceptedSaleFixture);
      for (const signer of [f.alice, f.bob, f.lender]) {
        await expect(f.titles.connect(signer).approveTransfer(f.titleId, f.proposalId, [certificate("bob")]))
          .to.be.revertedWithCustomError(f.titles, "TitleRegistrarRequired")
          .withArgs(f.landAgencyId, signer.address);
      }
    });

    it("refuses an approval without a certificate with CertificateCountInvalid", async function () {
      const f = await loadFixture(acceptedSaleFixture);
      await expect(f.titles.connect(f.registrar).approveTransfer(f.titleId, f.proposalId, []))
        .to.be.revertedWithCustomError(f.titles, "CertificateCountInvalid")
        .withArgs(0, 1);
    });

    it("lets the seller or the buyer cancel before approval, and nobody else", async function () {
      const f = await loadFixture(acceptedSaleFixture);
      await expect(f.titles.connect(f.stranger).cancelTransfer(f.titleId, f.proposalId))
        .to.be.revertedWithCustomError(f.titles, "ProposalPartyRequired")
        .withArgs(f.titleId, f.proposalId, f.stranger.address);
      await expect(f.titles.connect(f.bob).cancelTransfer(f.titleId, f.proposalId))
        .to.emit(f.titles, "TransferCancelled")
        .withArgs(f.titleId, f.proposalId, f.bob.address);
      await expect(f.titles.connect(f.registrar).approveTransfer(f.titleId, f.proposalId, [certificate("bob")]))
        .to.be.revertedWithCustomError(f.titles, "ProposalUnknown")
        .withArgs(f.titleId, f.proposalId);

      const again = await proposeSale(f, f.titleId, f.alice, [owner(f.bob)]);
      await expect(f.titles.connect(f.alice).cancelTransfer(f.titleId, again))
        .to.emit(f.titles, "TransferCancelled")
        .withArgs(f.titleId, again, f.alice.address);
    });

    it("refuses a proposal made before the record changed with ProposalStale", async function () {
      const f = await loadFixture(acceptedSaleFixture);
      await f.titles.connect(f.registrar).correctTitle(f.titleId, parcelData("resurvey"), documentHash("correction"));
      await expect(f.titles.connect(f.registrar).approveTransfer(f.titleId, f.proposalId, [certificate("bob")]))
        .to.be.revertedWithCustomError(f.titles, "ProposalStale")
        .withArgs(f.titleId, f.proposalId, 0, 1);
    });

    it("sells a co-owned title once every seller and every buyer accepted", async function () {
      const f = await loadFixture(coOwnedFixture);
      const buyers = [owner(f.carol, 5_000n, commitment("carol")), owner(f.dave, 5_000n)];
      const proposalId = await proposeSale(f, f.titleId, f.alice, buyers);
      await f.titles.connect(f.carol).acceptTransfer(f.titleId, proposalId);
      await f.titles.connect(f.dave).acceptTransfer(f.titleId, proposalId);
      await expect(
        f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("c"), certificate("d")]),
      )
        .to.be.revertedWithCustomError(f.titles, "ProposalNotAccepted")
        .withArgs(f.titleId, proposalId, 1, 3);
      await f.titles.connect(f.bob).acceptTransfer(f.titleId, proposalId);
      await f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("c"), certificate("d")]);
      const [owners] = await f.titles.ownersOf(f.titleId);
      expect(owners).to.deep.equal([
        [f.carol.address, 5_000n, commitment("carol")],
        [f.dave.address, 5_000n, ethers.ZeroHash],
      ]);
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.carol.address);
      expect(await f.certificates.statusOf(certificate("d").certificateId)).to.equal(CertificateStatus.Issued);
    });

    it("lets a co-owner sell only her share: she consents as seller and accepts as buyer in one call", async function () {
      const f = await loadFixture(coOwnedFixture);
      // Bob sells his 40 % to Carol; Alice keeps her 60 %.
      const after = [owner(f.alice, 6_000n), owner(f.carol, 4_000n)];
      const proposalId = await proposeSale(f, f.titleId, f.bob, after);
      await f.titles.connect(f.alice).acceptTransfer(f.titleId, proposalId);
      const proposal = await f.titles.proposal(f.titleId);
      expect(proposal.sellerConsents).to.equal(3);
      expect(proposal.buyerAcceptances).to.equal(1);
      await f.titles.connect(f.carol).acceptTransfer(f.titleId, proposalId);
      await f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("all")]);
      const [owners] = await f.titles.ownersOf(f.titleId);
      expect(owners).to.deep.equal([
        [f.alice.address, 6_000n, ethers.ZeroHash],
        [f.carol.address, 4_000n, ethers.ZeroHash],
      ]);
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.alice.address);
    });

    it("shrinks a co-owned title to a single owner, clearing the former co-owners", async function () {
      const f = await loadFixture(coOwnedFixture);
      const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.dave)]);
      await f.titles.connect(f.bob).acceptTransfer(f.titleId, proposalId);
      await f.titles.connect(f.dave).acceptTransfer(f.titleId, proposalId);
      await f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("dave")]);
      const [owners] = await f.titles.ownersOf(f.titleId);
      expect(owners).to.deep.equal([[f.dave.address, BASIS_POINTS, ethers.ZeroHash]]);
      expect(await f.titles.balanceOf(f.alice.address)).to.equal(0);
    });
  });

  describe("registrar transfers", function () {
    it("registers an inheritance with its legal basis and the heirs' certificates", async function () {
      const f = await loadFixture(titleFixture);
      const heirs = [owner(f.bob, 5_000n), owner(f.carol, 5_000n)];
      await expect(
        f.titles
          .connect(f.registrar)
          .registerTransfer(
            f.titleId,
            RegistrationBasis.Inheritance,
            heirs,
            documentHash("will"),
            [],
            [certificate("bob"), certificate("carol")],
          ),
      )
        .to.emit(f.titles, "OwnershipRegistered")
        .withArgs(
          f.titleId,
          RegistrationBasis.Inheritance,
          f.registrar.address,
          1,
          heirs.map((h) => [h.account, h.shares, h.identityCommitment]),
          documentHash("will"),
          [certificate("bob").certificateId, certificate("carol").certificateId],
        );
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.bob.address);
    });

    it("registers a court-ordered transfer, which makes an open proposal stale", async function () {
      const f = await loadFixture(acceptedSaleFixture);
      await f.titles
        .connect(f.registrar)
        .registerTransfer(
          f.titleId,
          RegistrationBasis.CourtOrder,
          [owner(f.carol)],
          documentHash("judgment"),
          [],
          [certificate("carol")],
        );
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.carol.address);
      await expect(f.titles.connect(f.registrar).approveTransfer(f.titleId, f.proposalId, [certificate("bob")]))
        .to.be.revertedWithCustomError(f.titles, "ProposalStale")
        .withArgs(f.titleId, f.proposalId, 0, 1);
    });

    it("refuses any basis but inheritance or court order with RegistrationBasisInvalid", async function () {
      const f = await loadFixture(titleFixture);
      await expect(
        f.titles
          .connect(f.registrar)
          .registerTransfer(
            f.titleId,
            RegistrationBasis.Sale,
            [owner(f.bob)],
            documentHash("x"),
            [],
            [certificate("b")],
          ),
      )
        .to.be.revertedWithCustomError(f.titles, "RegistrationBasisInvalid")
        .withArgs(RegistrationBasis.Sale);
    });

    it("refuses a registrar transfer by anyone but a registrar", async function () {
      const f = await loadFixture(titleFixture);
      await expect(
        f.titles
          .connect(f.judge)
          .registerTransfer(
            f.titleId,
            RegistrationBasis.CourtOrder,
            [owner(f.judge)],
            documentHash("x"),
            [],
            [certificate("j")],
          ),
      )
        .to.be.revertedWithCustomError(f.titles, "TitleRegistrarRequired")
        .withArgs(f.landAgencyId, f.judge.address);
    });

    it("follows the land registry's successor when it is dissolved", async function () {
      const f = await loadFixture(acceptedSaleFixture);
      const successor = await onboard(
        f.directory,
        "Shanghai Natural Resources Registry",
        JURISDICTION,
        f.governance.address,
        Capability.RegisterTitles | Capability.IssueCertificates,
      );
      const [, , , , , , , , , , newRegistrar] = await ethers.getSigners();
      await f.directory.addOperator(successor, newRegistrar.address);
      await f.directory.dissolveAgency(f.landAgencyId, successor);
      await expect(f.titles.connect(f.registrar).approveTransfer(f.titleId, f.proposalId, []))
        .to.be.revertedWithCustomError(f.titles, "TitleRegistrarRequired")
        .withArgs(f.landAgencyId, f.registrar.address);
      // The successor's registrar approves; issuing certificates needs the successor's own type and operator.
      await f.directory.addOperator(successor, await f.titles.getAddress());
      const typeId = await registerType(f.certificates, newRegistrar, successor, "Title certificate", true, 0n);
      await f.titles.connect(newRegistrar).setCertificateType(f.landAgencyId, typeId);
      await f.titles.connect(newRegistrar).approveTransfer(f.titleId, f.proposalId, [certificate("bob")]);
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.bob.address);
    });
  });

  describe("corrections and certificates", function () {
    it("corrects the parcel data and keeps the previous values in the event", async function () {
      const f = await loadFixture(titleFixture);
      const previous = parcelData();
      const corrected = parcelData("resurvey", { kind: UnitKind.Building, landUse: 702, area: 9_010n });
      await expect(f.titles.connect(f.registrar).correctTitle(f.titleId, corrected, documentHash("correction")))
        .to.emit(f.titles, "TitleCorrected")
        .withArgs(
          f.titleId,
          [previous.kind, previous.landUse, previous.area, previous.documentsHash],
          [corrected.kind, corrected.landUse, corrected.area, corrected.documentsHash],
          documentHash("correction"),
        )
        .and.to.emit(f.titles, "MetadataUpdate")
        .withArgs(f.titleId);
      const record = await f.titles.title(f.titleId);
      expect([record.kind, record.landUse, record.area, record.documentsHash, record.revision]).to.deep.equal([
        BigInt(UnitKind.Building),
        702n,
        9_010n,
        corrected.documentsHash,
        1n,
      ]);
    });

    it("refuses a correction by anyone but a registrar, or to incomplete data", async function () {
      const f = await loadFixture(titleFixture);
      await expect(f.titles.connect(f.alice).correctTitle(f.titleId, parcelData("x"), documentHash("c")))
        .to.be.revertedWithCustomError(f.titles, "TitleRegistrarRequired")
        .withArgs(f.landAgencyId, f.alice.address);
      await expect(
        f.titles.connect(f.registrar).correctTitle(f.titleId, parcelData("x", { area: 0n }), documentHash("c")),
      )
        .to.be.revertedWithCustomError(f.titles, "ParcelDataInvalid")
        .withArgs(UnitKind.Apartment, 0);
    });

    it("refuses anything on a title that does not exist with TitleUnknown", async function () {
      const f = await loadFixture(titleFixture);
      await expect(f.titles.title(123)).to.be.revertedWithCustomError(f.titles, "TitleUnknown").withArgs(123);
      await expect(f.titles.connect(f.registrar).correctTitle(123, parcelData(), documentHash("c")))
        .to.be.revertedWithCustomError(f.titles, "TitleUnknown")
        .withArgs(123);
    });

    it("issues replacement certificates for the current owners on the registrar's request", async function () {
      const f = await loadFixture(titleFixture);
      const cert = certificate("replacement");
      await expect(f.titles.connect(f.registrar).issueCertificates(f.titleId, [cert]))
        .to.emit(f.titles, "CertificatesIssued")
        .withArgs(f.titleId, f.registrar.address, [cert.certificateId]);
      expect(await f.certificates.statusOf(cert.certificateId)).to.equal(CertificateStatus.Issued);
      await expect(f.titles.connect(f.alice).issueCertificates(f.titleId, [certificate("forged")]))
        .to.be.revertedWithCustomError(f.titles, "TitleRegistrarRequired")
        .withArgs(f.landAgencyId, f.alice.address);
    });
  });

  describe("gas", function () {
    it("registers a single-owner title within 150,000 gas", async function () {
      const f = await loadFixture(titleFixture);
      const gas = await gasUsed(
        f.titles.connect(f.registrar).registerTitle(f.landAgencyId, parcelNumber(2), parcelData(), [owner(f.bob)], []),
      );
      expect(gas).to.be.lessThanOrEqual(150_000n);
    });

    it("approves a sale, certificate included, within 120,000 gas for a buyer who already holds a title", async function () {
      const f = await loadFixture(titleFixture);
      await registerTitle(f, [owner(f.bob)], 2);
      const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.bob)]);
      await f.titles.connect(f.bob).acceptTransfer(f.titleId, proposalId);
      const gas = await gasUsed(
        f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("b")]),
      );
      expect(gas).to.be.lessThanOrEqual(120_000n);
    });

    it("approves a sale to a first-time buyer within 137,000 gas (ERC-721 opens the buyer's balance slot)", async function () {
      const f = await loadFixture(titleFixture);
      const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.carol)]);
      await f.titles.connect(f.carol).acceptTransfer(f.titleId, proposalId);
      const gas = await gasUsed(
        f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("c")]),
      );
      expect(gas).to.be.lessThanOrEqual(137_000n);
    });
  });
});
