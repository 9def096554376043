import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";

import {
  DAY,
  NoticeStatus,
  RegistrationBasis,
  SeizureStatus,
  certificate,
  commitment,
  documentHash,
  lienTerms,
  now,
  owner,
  ownersDigest,
  proposeSale,
  titleFixture,
} from "../helpers/titles";
import type { TitleFixture } from "../helpers/titles";

const OBJECTION_PERIOD = 15n * DAY;

/** A court froze Alice's apartment (seizure 1, in force). */
async function frozenFixture() {
  const f = await titleFixture();
  await f.restrictions.connect(f.judge).freeze(f.titleId, f.courtAgencyId, documentHash("case 1"));
  return f;
}

/** Bob holds a pre-registration on Alice's apartment, lapsing in 90 days. */
async function preRegisteredFixture() {
  const f = await titleFixture();
  const lapsesAt = (await now()) + 90n * DAY;
  await f.restrictions
    .connect(f.registrar)
    .preRegister(f.titleId, [owner(f.bob)], documentHash("pre-sale agreement"), lapsesAt);
  return { ...f, lapsesAt };
}

/** A third party's objection stands against Alice's apartment. */
async function objectedFixture() {
  const f = await titleFixture();
  await f.restrictions.connect(f.registrar).registerObjection(f.titleId, documentHash("claim"), commitment("claimant"));
  return { ...f, lapsesAt: (await now()) + OBJECTION_PERIOD };
}

/** Registers `buyer` as the new owner by inheritance (the simplest complete transfer). */
function transferTo(f: TitleFixture & { titleId: bigint }, buyer: { address: string }) {
  return f.titles
    .connect(f.registrar)
    .registerTransfer(
      f.titleId,
      RegistrationBasis.Inheritance,
      [owner(buyer)],
      documentHash("will"),
      [],
      [certificate(buyer.address)],
    );
}

describe("RestrictionRegistry", function () {
  describe("deployment", function () {
    it("is upgraded by governance only", async function () {
      const f = await loadFixture(titleFixture);
      const factory = await ethers.getContractFactory("RestrictionRegistry", f.stranger);
      await expect(
        upgrades.upgradeProxy(await f.restrictions.getAddress(), factory, {
          kind: "uups",
          constructorArgs: [await f.directory.getAddress(), await f.titles.getAddress()],
        }),
      )
        .to.be.revertedWithCustomError(f.restrictions, "RestrictionGovernorRequired")
        .withArgs(f.stranger.address);
      expect(await f.restrictions.VERSION()).to.equal("1.0.0");
    });

    it("accepts transfer checks only from the title registry", async function () {
      const f = await loadFixture(titleFixture);
      await expect(f.restrictions.connect(f.stranger).beforeTransfer(f.titleId, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.restrictions, "RestrictionTitleRegistryRequired")
        .withArgs(f.stranger.address);
    });
  });

  describe("seizures", function () {
    it("freezes a title at once and marks the record", async function () {
      const f = await loadFixture(titleFixture);
      await expect(f.restrictions.connect(f.judge).freeze(f.titleId, f.courtAgencyId, documentHash("case 1")))
        .to.emit(f.restrictions, "SeizureFiled")
        .withArgs(f.titleId, 1, f.courtAgencyId, SeizureStatus.Active, documentHash("case 1"))
        .and.to.emit(f.titles, "RestrictionHintChanged")
        .withArgs(f.titleId, true);
      expect(await f.restrictions.activeSeizure(f.titleId)).to.equal(1);
      expect(await f.restrictions.isRestricted(f.titleId)).to.be.true;
      expect((await f.titles.title(f.titleId)).mayBeRestricted).to.be.true;
    });

    it("blocks transfers, sales and mortgages of a frozen title with TitleFrozen", async function () {
      const f = await loadFixture(frozenFixture);
      await expect(transferTo(f, f.bob))
        .to.be.revertedWithCustomError(f.restrictions, "TitleFrozen")
        .withArgs(f.titleId, 1, f.courtAgencyId);
      const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.bob)]);
      await f.titles.connect(f.bob).acceptTransfer(f.titleId, proposalId);
      await expect(f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("bob")]))
        .to.be.revertedWithCustomError(f.restrictions, "TitleFrozen")
        .withArgs(f.titleId, 1, f.courtAgencyId);
      const terms = await lienTerms(f, f.titleId);
      await f.liens.connect(f.alice).consentToLien(terms);
      await expect(f.liens.connect(f.lender).registerLien(terms, []))
        .to.be.revertedWithCustomError(f.restrictions, "TitleFrozen")
        .withArgs(f.titleId, 1, f.courtAgencyId);
    });

    it("queues a second court's seizure and brings it into force the moment the first is lifted", async function () {
      const f = await loadFixture(frozenFixture);
      await expect(
        f.restrictions.connect(f.secondJudge).freeze(f.titleId, f.secondCourtAgencyId, documentHash("case 2")),
      )
        .to.emit(f.restrictions, "SeizureFiled")
        .withArgs(f.titleId, 2, f.secondCourtAgencyId, SeizureStatus.Queued, documentHash("case 2"));
      expect((await f.restrictions.seizure(f.titleId, 2)).effectiveAt).to.equal(0);

      const lift = f.restrictions.connect(f.judge).unfreeze(f.titleId, 1, documentHash("ruling 1"));
      await expect(lift)
        .to.emit(f.restrictions, "SeizureLifted")
        .withArgs(f.titleId, 1, f.judge.address, documentHash("ruling 1"))
        .and.to.emit(f.restrictions, "SeizureTookEffect")
        .withArgs(f.titleId, 2, f.secondCourtAgencyId)
        .and.not.to.emit(f.titles, "RestrictionHintChanged");
      const second = await f.restrictions.seizure(f.titleId, 2);
      expect(second.status).to.equal(SeizureStatus.Active);
      expect(second.effectiveAt).to.equal(await now());
      expect((await f.restrictions.seizure(f.titleId, 1)).endedAt).to.equal(await now());
      await expect(transferTo(f, f.bob))
        .to.be.revertedWithCustomError(f.restrictions, "TitleFrozen")
        .withArgs(f.titleId, 2, f.secondCourtAgencyId);

      await expect(f.restrictions.connect(f.secondJudge).unfreeze(f.titleId, 2, documentHash("ruling 2")))
        .to.emit(f.titles, "RestrictionHintChanged")
        .withArgs(f.titleId, false);
      await transferTo(f, f.bob);
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.bob.address);
    });

    it("lets a court withdraw its queued seizure, which then never comes into force", async function () {
      const f = await loadFixture(frozenFixture);
      await f.restrictions.connect(f.secondJudge).freeze(f.titleId, f.secondCourtAgencyId, documentHash("case 2"));
      await expect(f.restrictions.connect(f.secondJudge).unfreeze(f.titleId, 2, documentHash("withdrawn")))
        .to.emit(f.restrictions, "SeizureWithdrawn")
        .withArgs(f.titleId, 2, f.secondJudge.address, documentHash("withdrawn"));
      await expect(f.restrictions.connect(f.judge).unfreeze(f.titleId, 1, documentHash("ruling 1"))).not.to.emit(
        f.restrictions,
        "SeizureTookEffect",
      );
      expect(await f.restrictions.activeSeizure(f.titleId)).to.equal(0);
      expect(await f.restrictions.seizureCount(f.titleId)).to.equal(2);
    });

    it("refuses a freeze by anyone who may not act for the court with RestrictionCourtRequired", async function () {
      const f = await loadFixture(titleFixture);
      await expect(f.restrictions.connect(f.registrar).freeze(f.titleId, f.courtAgencyId, documentHash("case")))
        .to.be.revertedWithCustomError(f.restrictions, "RestrictionCourtRequired")
        .withArgs(f.courtAgencyId, f.registrar.address);
    });

    it("lets only the seizing court lift its seizure, once", async function () {
      const f = await loadFixture(frozenFixture);
      await expect(f.restrictions.connect(f.secondJudge).unfreeze(f.titleId, 1, documentHash("x")))
        .to.be.revertedWithCustomError(f.restrictions, "RestrictionCourtRequired")
        .withArgs(f.courtAgencyId, f.secondJudge.address);
      await f.restrictions.connect(f.judge).unfreeze(f.titleId, 1, documentHash("ruling"));
      await expect(f.restrictions.connect(f.judge).unfreeze(f.titleId, 1, documentHash("ruling")))
        .to.be.revertedWithCustomError(f.restrictions, "SeizureEnded")
        .withArgs(f.titleId, 1, SeizureStatus.Lifted);
      await expect(f.restrictions.connect(f.judge).unfreeze(f.titleId, 2, documentHash("ruling")))
        .to.be.revertedWithCustomError(f.restrictions, "SeizureUnknown")
        .withArgs(f.titleId, 2);
    });

    it("refuses a freeze without a case reference, or of a title that does not exist", async function () {
      const f = await loadFixture(titleFixture);
      await expect(
        f.restrictions.connect(f.judge).freeze(f.titleId, f.courtAgencyId, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(f.restrictions, "RestrictionHashZero");
      await expect(f.restrictions.connect(f.judge).freeze(42, f.courtAgencyId, documentHash("case")))
        .to.be.revertedWithCustomError(f.restrictions, "RestrictionTitleNotActive")
        .withArgs(42, 0);
    });
  });

  describe("pre-registrations", function () {
    it("blocks a transfer to anyone but the beneficiary, and any mortgage, with TitlePreRegistered", async function () {
      const f = await loadFixture(preRegisteredFixture);
      const digest = ownersDigest([owner(f.bob)]);
      expect((await f.restrictions.preRegistration(f.titleId)).beneficiariesDigest).to.equal(digest);
      await expect(transferTo(f, f.carol))
        .to.be.revertedWithCustomError(f.restrictions, "TitlePreRegistered")
        .withArgs(f.titleId, digest, f.lapsesAt);
      const terms = await lienTerms(f, f.titleId);
      await f.liens.connect(f.alice).consentToLien(terms);
      await expect(f.liens.connect(f.lender).registerLien(terms, []))
        .to.be.revertedWithCustomError(f.restrictions, "TitlePreRegistered")
        .withArgs(f.titleId, digest, f.lapsesAt);
    });

    it("converts into the sale to its beneficiary", async function () {
      const f = await loadFixture(preRegisteredFixture);
      const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.bob)]);
      await f.titles.connect(f.bob).acceptTransfer(f.titleId, proposalId);
      await expect(f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("bob")]))
        .to.emit(f.restrictions, "PreRegistrationConverted")
        .withArgs(f.titleId)
        .and.to.emit(f.titles, "RestrictionHintChanged")
        .withArgs(f.titleId, false);
      expect((await f.restrictions.preRegistration(f.titleId)).status).to.equal(NoticeStatus.Converted);
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.bob.address);
    });

    it("lapses on its date, after which another buyer may be registered", async function () {
      const f = await loadFixture(preRegisteredFixture);
      await time.increaseTo(f.lapsesAt);
      expect(await f.restrictions.isRestricted(f.titleId)).to.be.false;
      await transferTo(f, f.carol);
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.carol.address);
      expect((await f.titles.title(f.titleId)).mayBeRestricted).to.be.false;
    });

    it("is cancelled by the registrar only", async function () {
      const f = await loadFixture(preRegisteredFixture);
      await expect(f.restrictions.connect(f.bob).cancelPreRegistration(f.titleId, documentHash("waiver")))
        .to.be.revertedWithCustomError(f.restrictions, "RestrictionRegistrarRequired")
        .withArgs(f.titleId, f.bob.address);
      await expect(f.restrictions.connect(f.registrar).cancelPreRegistration(f.titleId, documentHash("waiver")))
        .to.emit(f.restrictions, "PreRegistrationCancelled")
        .withArgs(f.titleId, f.registrar.address, documentHash("waiver"))
        .and.to.emit(f.titles, "RestrictionHintChanged")
        .withArgs(f.titleId, false);
      await expect(f.restrictions.connect(f.registrar).cancelPreRegistration(f.titleId, documentHash("waiver")))
        .to.be.revertedWithCustomError(f.restrictions, "PreRegistrationNotOpen")
        .withArgs(f.titleId);
    });

    it("refuses a second pre-registration, a bad lapse date or no beneficiary", async function () {
      const f = await loadFixture(preRegisteredFixture);
      const registrar = f.restrictions.connect(f.registrar);
      const agreement = documentHash("agreement");
      await expect(registrar.preRegister(f.titleId, [owner(f.carol)], agreement, f.lapsesAt))
        .to.be.revertedWithCustomError(f.restrictions, "TitlePreRegistered")
        .withArgs(f.titleId, ownersDigest([owner(f.bob)]), f.lapsesAt);
      const past = await now();
      await expect(registrar.preRegister(f.titleId, [owner(f.carol)], agreement, past))
        .to.be.revertedWithCustomError(f.restrictions, "PreRegistrationLapseInvalid")
        .withArgs(past);
      await expect(registrar.preRegister(f.titleId, [], agreement, f.lapsesAt)).to.be.revertedWithCustomError(
        f.restrictions,
        "PreRegistrationBeneficiariesEmpty",
      );
      await expect(f.restrictions.connect(f.lender).preRegister(f.titleId, [owner(f.carol)], agreement, f.lapsesAt))
        .to.be.revertedWithCustomError(f.restrictions, "RestrictionRegistrarRequired")
        .withArgs(f.titleId, f.lender.address);
    });
  });

  describe("objections", function () {
    it("blocks transfers with TitleObjected until it lapses after the objection period", async function () {
      const f = await loadFixture(objectedFixture);
      const objection = await f.restrictions.objection(f.titleId);
      expect(objection.lapsesAt).to.equal(f.lapsesAt);
      expect(objection.objectorCommitment).to.equal(commitment("claimant"));
      await expect(transferTo(f, f.bob))
        .to.be.revertedWithCustomError(f.restrictions, "TitleObjected")
        .withArgs(f.titleId, f.lapsesAt);
      await time.increaseTo(f.lapsesAt);
      await transferTo(f, f.bob);
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.bob.address);
    });

    it("stays beyond the period once a court confirms it, until removed", async function () {
      const f = await loadFixture(objectedFixture);
      await expect(
        f.restrictions.connect(f.judge).confirmObjection(f.titleId, f.courtAgencyId, documentHash("lawsuit")),
      )
        .to.emit(f.restrictions, "ObjectionConfirmed")
        .withArgs(f.titleId, f.courtAgencyId, documentHash("lawsuit"));
      await time.increaseTo(f.lapsesAt + DAY);
      await expect(transferTo(f, f.bob))
        .to.be.revertedWithCustomError(f.restrictions, "TitleObjected")
        .withArgs(f.titleId, 0);
      await expect(f.restrictions.connect(f.stranger).removeObjection(f.titleId, documentHash("judgment")))
        .to.be.revertedWithCustomError(f.restrictions, "RestrictionRegistrarRequired")
        .withArgs(f.titleId, f.stranger.address);
      await expect(f.restrictions.connect(f.judge).removeObjection(f.titleId, documentHash("judgment")))
        .to.emit(f.restrictions, "ObjectionRemoved")
        .withArgs(f.titleId, f.judge.address, documentHash("judgment"));
      await transferTo(f, f.bob);
    });

    it("refuses a second objection while one is open, and a confirmation after it lapsed", async function () {
      const f = await loadFixture(objectedFixture);
      await expect(
        f.restrictions.connect(f.registrar).registerObjection(f.titleId, documentHash("other claim"), ethers.ZeroHash),
      )
        .to.be.revertedWithCustomError(f.restrictions, "ObjectionAlreadyOpen")
        .withArgs(f.titleId, f.lapsesAt);
      await expect(
        f.restrictions.connect(f.registrar).confirmObjection(f.titleId, f.courtAgencyId, documentHash("lawsuit")),
      )
        .to.be.revertedWithCustomError(f.restrictions, "RestrictionCourtRequired")
        .withArgs(f.courtAgencyId, f.registrar.address);
      await time.increaseTo(f.lapsesAt);
      await expect(
        f.restrictions.connect(f.judge).confirmObjection(f.titleId, f.courtAgencyId, documentHash("lawsuit")),
      )
        .to.be.revertedWithCustomError(f.restrictions, "ObjectionNotOpen")
        .withArgs(f.titleId);
      await f.restrictions
        .connect(f.registrar)
        .registerObjection(f.titleId, documentHash("other claim"), ethers.ZeroHash);
    });

    it("is removed by the registrar when the objector withdraws", async function () {
      const f = await loadFixture(objectedFixture);
      await expect(f.restrictions.connect(f.registrar).removeObjection(f.titleId, documentHash("withdrawal")))
        .to.emit(f.titles, "RestrictionHintChanged")
        .withArgs(f.titleId, false);
      await expect(f.restrictions.connect(f.registrar).removeObjection(f.titleId, documentHash("withdrawal")))
        .to.be.revertedWithCustomError(f.restrictions, "ObjectionNotOpen")
        .withArgs(f.titleId);
    });
  });
});
