import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";

import {
  RegistrationBasis,
  TitleStatus,
  UnitKind,
  certificate,
  commitment,
  deployTitleFixture,
  documentHash,
  lienTerms,
  owner,
  parcelData,
  parcelNumber,
  proposeSale,
  registerLienOnChain,
  registerTitle,
  titleIdOf,
} from "../helpers/titles";

const SURVEY = documentHash("survey");

function newParcel(serial: number, area = 40_000n) {
  return {
    parcelNumber: parcelNumber(serial),
    data: parcelData(`survey-${serial}`, { kind: UnitKind.LandParcel, area }),
  };
}

/** Alice (with a commitment) and Bob co-own land parcels 10 and 11, 60/40. */
async function landFixture() {
  const f = await deployTitleFixture();
  const owners = [owner(f.alice, 6_000n, commitment("alice")), owner(f.bob, 4_000n)];
  const land = parcelData("deed", { kind: UnitKind.LandParcel, area: 80_000n });
  const first = await registerTitle(f, owners, 10, land);
  const second = await registerTitle(f, owners, 11, land);
  return { ...f, owners, first, second };
}

describe("ParcelLineage", function () {
  it("is upgraded by governance only", async function () {
    const f = await loadFixture(landFixture);
    await expect(
      upgrades.upgradeProxy(
        await f.lineage.getAddress(),
        await ethers.getContractFactory("ParcelLineage", f.stranger),
        {
          kind: "uups",
          constructorArgs: [await f.directory.getAddress(), await f.titles.getAddress()],
        },
      ),
    )
      .to.be.revertedWithCustomError(f.lineage, "LineageGovernorRequired")
      .withArgs(f.stranger.address);
    expect(await f.lineage.VERSION()).to.equal("1.0.0");
    expect(await f.lineage.titleRegistry()).to.equal(await f.titles.getAddress());
  });

  describe("subdivide", function () {
    it("retires the parent and registers children with its owners and their lineage", async function () {
      const f = await loadFixture(landFixture);
      const children = [newParcel(20), newParcel(21)];
      const childIds = children.map((c) => titleIdOf(c.parcelNumber));
      const tx = f.lineage.connect(f.registrar).subdivide(f.first, children, SURVEY);
      await expect(tx).to.emit(f.lineage, "TitleSubdivided").withArgs(f.first, childIds, SURVEY);
      await expect(tx).to.emit(f.titles, "TitleRetired").withArgs(f.first);
      await expect(tx)
        .to.emit(f.titles, "OwnershipRegistered")
        .withArgs(
          childIds[0],
          RegistrationBasis.Subdivision,
          f.registrar.address,
          0,
          f.owners.map((o) => [o.account, o.shares, o.identityCommitment]),
          SURVEY,
          [],
        );
      await expect(tx).to.emit(f.titles, "Transfer").withArgs(f.alice.address, ethers.ZeroAddress, f.first);

      expect((await f.titles.title(f.first)).status).to.equal(TitleStatus.Retired);
      await expect(f.titleCore.ownerOf(f.first))
        .to.be.revertedWithCustomError(f.titleCore, "ERC721NonexistentToken")
        .withArgs(f.first);
      expect(await f.lineage.childrenOf(f.first)).to.deep.equal(childIds);
      for (const childId of childIds) {
        expect(await f.lineage.parentsOf(childId)).to.deep.equal([f.first]);
        const [owners] = await f.titles.ownersOf(childId);
        expect(owners).to.deep.equal(f.owners.map((o) => [o.account, o.shares, o.identityCommitment]));
        expect(await f.titles.ownerOf(childId)).to.equal(f.alice.address);
      }
      // The children's certificates are issued on the registrar's request.
      await f.titles.connect(f.registrar).issueCertificates(childIds[0], [certificate("child")]);
    });

    it("refuses a subdivision by anyone but a registrar with LineageRegistrarRequired", async function () {
      const f = await loadFixture(landFixture);
      await expect(f.lineage.connect(f.alice).subdivide(f.first, [newParcel(20), newParcel(21)], SURVEY))
        .to.be.revertedWithCustomError(f.lineage, "LineageRegistrarRequired")
        .withArgs(f.landAgencyId, f.alice.address);
    });

    it("refuses fewer than two children with LineageCountInvalid", async function () {
      const f = await loadFixture(landFixture);
      await expect(f.lineage.connect(f.registrar).subdivide(f.first, [newParcel(20)], SURVEY))
        .to.be.revertedWithCustomError(f.lineage, "LineageCountInvalid")
        .withArgs(1);
    });

    it("refuses to subdivide a mortgaged parcel with TitleEncumbered", async function () {
      const f = await loadFixture(landFixture);
      await registerLienOnChain(f, await lienTerms(f, f.first), [f.alice, f.bob]);
      await expect(f.lineage.connect(f.registrar).subdivide(f.first, [newParcel(20), newParcel(21)], SURVEY))
        .to.be.revertedWithCustomError(f.titles, "TitleEncumbered")
        .withArgs(f.first, 1);
    });

    it("refuses to subdivide a frozen parcel with TitleFrozen", async function () {
      const f = await loadFixture(landFixture);
      await f.restrictions.connect(f.judge).freeze(f.first, f.courtAgencyId, documentHash("case"));
      await expect(f.lineage.connect(f.registrar).subdivide(f.first, [newParcel(20), newParcel(21)], SURVEY))
        .to.be.revertedWithCustomError(f.restrictions, "TitleFrozen")
        .withArgs(f.first, 1, f.courtAgencyId);
    });

    it("refuses a child whose parcel number is already registered with TitleAlreadyRegistered", async function () {
      const f = await loadFixture(landFixture);
      await expect(f.lineage.connect(f.registrar).subdivide(f.first, [newParcel(20), newParcel(11)], SURVEY))
        .to.be.revertedWithCustomError(f.titles, "TitleAlreadyRegistered")
        .withArgs(f.second);
    });
  });

  describe("merge", function () {
    it("retires the parents and registers one child with their owners and lineage", async function () {
      const f = await loadFixture(landFixture);
      const child = newParcel(30, 160_000n);
      const childId = titleIdOf(child.parcelNumber);
      await expect(f.lineage.connect(f.registrar).merge([f.first, f.second], child, SURVEY))
        .to.emit(f.lineage, "TitlesMerged")
        .withArgs(childId, [f.first, f.second], SURVEY);
      expect(await f.lineage.parentsOf(childId)).to.deep.equal([f.first, f.second]);
      expect(await f.lineage.childrenOf(f.second)).to.deep.equal([childId]);
      expect((await f.titles.title(f.second)).status).to.equal(TitleStatus.Retired);
      expect((await f.titles.title(childId)).area).to.equal(160_000n);
      const [owners] = await f.titles.ownersOf(childId);
      expect(owners).to.deep.equal(f.owners.map((o) => [o.account, o.shares, o.identityCommitment]));
    });

    it("refuses parcels of different owners with LineageParentsDiffer", async function () {
      const f = await loadFixture(landFixture);
      const carols = await registerTitle(f, [owner(f.carol)], 12, parcelData("deed", { kind: UnitKind.LandParcel }));
      await expect(f.lineage.connect(f.registrar).merge([f.first, carols], newParcel(30), SURVEY))
        .to.be.revertedWithCustomError(f.lineage, "LineageParentsDiffer")
        .withArgs(f.first, carols);
    });

    it("refuses a repeated parent and a single parent", async function () {
      const f = await loadFixture(landFixture);
      await expect(f.lineage.connect(f.registrar).merge([f.first, f.first], newParcel(30), SURVEY))
        .to.be.revertedWithCustomError(f.lineage, "LineageParentRepeated")
        .withArgs(f.first);
      await expect(f.lineage.connect(f.registrar).merge([f.first], newParcel(30), SURVEY))
        .to.be.revertedWithCustomError(f.lineage, "LineageCountInvalid")
        .withArgs(1);
    });
  });

  describe("retired parcels", function () {
    it("refuse every further registration with TitleNotActive", async function () {
      const f = await loadFixture(landFixture);
      const proposalId = await proposeSale(f, f.first, f.alice, [owner(f.carol)]);
      await f.titles.connect(f.bob).acceptTransfer(f.first, proposalId);
      await f.titles.connect(f.carol).acceptTransfer(f.first, proposalId);
      await f.lineage.connect(f.registrar).subdivide(f.first, [newParcel(20), newParcel(21)], SURVEY);

      await expect(f.titles.connect(f.registrar).approveTransfer(f.first, proposalId, [certificate("carol")]))
        .to.be.revertedWithCustomError(f.titles, "TitleNotActive")
        .withArgs(f.first, TitleStatus.Retired);
      await expect(f.liens.connect(f.alice).consentToLien(await lienTerms(f, f.first)))
        .to.be.revertedWithCustomError(f.titles, "TitleNotActive")
        .withArgs(f.first, TitleStatus.Retired);
      await expect(f.titles.connect(f.registrar).correctTitle(f.first, parcelData(), SURVEY))
        .to.be.revertedWithCustomError(f.titles, "TitleNotActive")
        .withArgs(f.first, TitleStatus.Retired);
      await expect(f.restrictions.connect(f.judge).freeze(f.first, f.courtAgencyId, documentHash("case")))
        .to.be.revertedWithCustomError(f.restrictions, "RestrictionTitleNotActive")
        .withArgs(f.first, TitleStatus.Retired);
      await expect(f.lineage.connect(f.registrar).subdivide(f.first, [newParcel(22), newParcel(23)], SURVEY))
        .to.be.revertedWithCustomError(f.titles, "TitleNotActive")
        .withArgs(f.first, TitleStatus.Retired);
      expect((await f.titles.proposal(f.first)).id).to.equal(0);
    });
  });
});
