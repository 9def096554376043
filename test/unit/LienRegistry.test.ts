import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";

import {
  BASIS_POINTS,
  DAY,
  LIEN_CONSENT_TYPES,
  LienKind,
  LienStatus,
  certificate,
  deployTitleFixture,
  documentHash,
  gasUsed,
  lienDomain,
  lienTerms,
  now,
  owner,
  proposeSale,
  registerLienOnChain,
  registerTitle,
  signLienConsent,
  titleFixture,
} from "../helpers/titles";
import type { LienTerms } from "../helpers/titles";

/** Alice and Bob co-own apartment 2 (60/40). */
async function coOwnedFixture() {
  const f = await deployTitleFixture();
  const titleId = await registerTitle(f, [owner(f.alice, 6_000n), owner(f.bob, 4_000n)], 2);
  return { ...f, titleId };
}

/** Alice's apartment carries the bank's ordinary lien (rank 1). */
async function mortgagedFixture() {
  const f = await titleFixture();
  const terms = await lienTerms(f, f.titleId);
  await registerLienOnChain(f, terms, [f.alice]);
  return { ...f, terms };
}

describe("LienRegistry", function () {
  describe("deployment", function () {
    it("binds to the title registry, reports its version and refuses a second initialisation", async function () {
      const f = await loadFixture(titleFixture);
      expect(await f.liens.titleRegistry()).to.equal(await f.titles.getAddress());
      expect(await f.liens.VERSION()).to.equal("1.0.0");
      await expect(f.liens.initialize()).to.be.revertedWithCustomError(f.liens, "InvalidInitialization");
    });

    it("is upgraded by governance only", async function () {
      const f = await loadFixture(titleFixture);
      const constructorArgs = [await f.directory.getAddress(), await f.titles.getAddress()];
      await expect(
        upgrades.upgradeProxy(await f.liens.getAddress(), await ethers.getContractFactory("LienRegistry", f.stranger), {
          kind: "uups",
          constructorArgs,
        }),
      )
        .to.be.revertedWithCustomError(f.liens, "LienGovernorRequired")
        .withArgs(f.stranger.address);
    });
  });

  describe("on-chain consent", function () {
    it("records the terms when the owner consents, and activates them when the lender registers", async function () {
      const f = await loadFixture(titleFixture);
      const terms = await lienTerms(f, f.titleId);
      const digest = await f.liens.lienConsentDigest(terms);
      await expect(f.liens.connect(f.alice).consentToLien(terms))
        .to.emit(f.liens, "LienConsented")
        .withArgs(f.titleId, terms.loanContractHash, f.alice.address, digest);
      expect((await f.liens.lien(f.titleId, terms.loanContractHash)).status).to.equal(LienStatus.Consented);

      await expect(f.liens.connect(f.lender).registerLien(terms, []))
        .to.emit(f.liens, "LienRegistered")
        .withArgs(f.titleId, terms.loanContractHash, f.bankAgencyId, LienKind.Ordinary, terms.amount, 0, 1)
        .and.to.emit(f.titles, "MetadataUpdate")
        .withArgs(f.titleId);
      const lien = await f.liens.lien(f.titleId, terms.loanContractHash);
      expect(lien.status).to.equal(LienStatus.Active);
      expect(lien.rank).to.equal(1);
      expect(lien.lenderAgencyId).to.equal(f.bankAgencyId);
      expect(lien.amount).to.equal(terms.amount);
      expect(lien.registeredAt).to.equal(await now());
      const record = await f.titles.title(f.titleId);
      expect(record.activeLiens).to.equal(1);
      expect(record.lienCount).to.equal(1);
      expect(record.revision).to.equal(1);
    });

    it("waits for every co-owner: the lender is refused with LienConsentMissing until the last consents", async function () {
      const f = await loadFixture(coOwnedFixture);
      const terms = await lienTerms(f, f.titleId);
      await f.liens.connect(f.bob).consentToLien(terms);
      expect(await f.liens.lienConsents(await f.liens.lienConsentDigest(terms))).to.equal(2);
      await expect(f.liens.connect(f.lender).registerLien(terms, []))
        .to.be.revertedWithCustomError(f.liens, "LienConsentMissing")
        .withArgs(f.titleId, ethers.ZeroAddress);
      await f.liens.connect(f.alice).consentToLien(terms);
      await f.liens.connect(f.lender).registerLien(terms, []);
      expect((await f.liens.lien(f.titleId, terms.loanContractHash)).status).to.equal(LienStatus.Active);
    });

    it("refuses consent from someone who does not own the title with OwnerRequired", async function () {
      const f = await loadFixture(titleFixture);
      await expect(f.liens.connect(f.bob).consentToLien(await lienTerms(f, f.titleId)))
        .to.be.revertedWithCustomError(f.titles, "OwnerRequired")
        .withArgs(f.titleId, f.bob.address);
    });

    it("refuses terms other than those consented to with LienTermsMismatch", async function () {
      const f = await loadFixture(titleFixture);
      const terms = await lienTerms(f, f.titleId);
      await f.liens.connect(f.alice).consentToLien(terms);
      await expect(f.liens.connect(f.lender).registerLien({ ...terms, amount: 9_000_000_00n }, []))
        .to.be.revertedWithCustomError(f.liens, "LienTermsMismatch")
        .withArgs(f.titleId, terms.loanContractHash);
    });

    it("lets an owner withdraw the consent before the lender registers", async function () {
      const f = await loadFixture(titleFixture);
      const terms = await lienTerms(f, f.titleId);
      await f.liens.connect(f.alice).consentToLien(terms);
      await expect(f.liens.connect(f.alice).withdrawLienConsent(f.titleId, terms.loanContractHash))
        .to.emit(f.liens, "LienConsentWithdrawn")
        .withArgs(f.titleId, terms.loanContractHash, f.alice.address);
      await expect(f.liens.connect(f.lender).registerLien(terms, []))
        .to.be.revertedWithCustomError(f.liens, "LienConsentMissing")
        .withArgs(f.titleId, ethers.ZeroAddress);
    });

    it("refuses a consent given before the owners changed with TitleRevisionChanged", async function () {
      const f = await loadFixture(titleFixture);
      const terms = await lienTerms(f, f.titleId);
      await f.liens.connect(f.alice).consentToLien(terms);
      const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.bob)]);
      await f.titles.connect(f.bob).acceptTransfer(f.titleId, proposalId);
      await f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("bob")]);
      await expect(f.liens.connect(f.lender).registerLien(terms, []))
        .to.be.revertedWithCustomError(f.titles, "TitleRevisionChanged")
        .withArgs(f.titleId, 0, 1);
    });
  });

  describe("signed consent (EIP-712)", function () {
    it("registers a lien on every owner's signature, verifiable off chain", async function () {
      const f = await loadFixture(coOwnedFixture);
      const terms = await lienTerms(f, f.titleId);
      const digest = ethers.TypedDataEncoder.hash(await lienDomain(f), LIEN_CONSENT_TYPES, { ...terms, revision: 0 });
      expect(await f.liens.lienConsentDigest(terms)).to.equal(digest);
      const signatures = [await signLienConsent(f, f.alice, terms), await signLienConsent(f, f.bob, terms)];
      await f.liens.connect(f.lender).registerLien(terms, signatures);
      expect((await f.liens.lien(f.titleId, terms.loanContractHash)).status).to.equal(LienStatus.Active);
    });

    it("combines an on-chain consent with a signature", async function () {
      const f = await loadFixture(coOwnedFixture);
      const terms = await lienTerms(f, f.titleId);
      await f.liens.connect(f.alice).consentToLien(terms);
      await f.liens.connect(f.lender).registerLien(terms, ["0x", await signLienConsent(f, f.bob, terms)]);
      expect((await f.titles.title(f.titleId)).activeLiens).to.equal(1);
    });

    it("refuses a signature by someone else with LienSignatureInvalid", async function () {
      const f = await loadFixture(coOwnedFixture);
      const terms = await lienTerms(f, f.titleId);
      const forged = await signLienConsent(f, f.stranger, terms);
      await expect(f.liens.connect(f.lender).registerLien(terms, [await signLienConsent(f, f.alice, terms), forged]))
        .to.be.revertedWithCustomError(f.liens, "LienSignatureInvalid")
        .withArgs(f.titleId, f.bob.address);
    });

    it("refuses a missing signature with LienConsentMissing and a wrong count with LienSignatureCountInvalid", async function () {
      const f = await loadFixture(coOwnedFixture);
      const terms = await lienTerms(f, f.titleId);
      const alice = await signLienConsent(f, f.alice, terms);
      await expect(f.liens.connect(f.lender).registerLien(terms, [alice, "0x"]))
        .to.be.revertedWithCustomError(f.liens, "LienConsentMissing")
        .withArgs(f.titleId, f.bob.address);
      await expect(f.liens.connect(f.lender).registerLien(terms, [alice]))
        .to.be.revertedWithCustomError(f.liens, "LienSignatureCountInvalid")
        .withArgs(1, 2);
    });

    it("refuses signatures after their deadline with LienConsentExpired", async function () {
      const f = await loadFixture(titleFixture);
      const terms = await lienTerms(f, f.titleId);
      const signature = await signLienConsent(f, f.alice, terms);
      await time.increaseTo(BigInt(terms.deadline) + 1n);
      await expect(f.liens.connect(f.lender).registerLien(terms, [signature]))
        .to.be.revertedWithCustomError(f.liens, "LienConsentExpired")
        .withArgs(terms.deadline);
    });

    it("never accepts a signature twice: every registration bumps the revision it is bound to", async function () {
      const f = await loadFixture(titleFixture);
      const first = await lienTerms(f, f.titleId);
      const second = await lienTerms(f, f.titleId, { loanContractHash: documentHash("second loan") });
      const signedSecond = await signLienConsent(f, f.alice, second);
      await f.liens.connect(f.lender).registerLien(first, [await signLienConsent(f, f.alice, first)]);
      // Signed at revision 0, presented at revision 1.
      await expect(f.liens.connect(f.lender).registerLien(second, [signedSecond]))
        .to.be.revertedWithCustomError(f.liens, "LienSignatureInvalid")
        .withArgs(f.titleId, f.alice.address);
      await expect(f.liens.connect(f.lender).registerLien(first, [await signLienConsent(f, f.alice, first)]))
        .to.be.revertedWithCustomError(f.liens, "LienAlreadyRegistered")
        .withArgs(f.titleId, first.loanContractHash, LienStatus.Active);
    });
  });

  describe("lender, terms and ranking", function () {
    it("refuses a registration by anyone but a lender of the named bank with LienLenderRequired", async function () {
      const f = await loadFixture(titleFixture);
      const terms = await lienTerms(f, f.titleId);
      await f.liens.connect(f.alice).consentToLien(terms);
      for (const signer of [f.alice, f.registrar]) {
        await expect(f.liens.connect(signer).registerLien(terms, []))
          .to.be.revertedWithCustomError(f.liens, "LienLenderRequired")
          .withArgs(f.bankAgencyId, signer.address);
      }
    });

    it("refuses incomplete or inconsistent terms with LienTermsInvalid", async function () {
      const f = await loadFixture(titleFixture);
      const future = (await now()) + 365n * DAY;
      const cases: Partial<LienTerms>[] = [
        { kind: LienKind.None },
        { amount: 0n },
        { loanContractHash: ethers.ZeroHash },
        { kind: LienKind.Ordinary, periodEnd: future },
        { kind: LienKind.Ceiling, periodEnd: 0n },
      ];
      for (const overrides of cases) {
        const terms = await lienTerms(f, f.titleId, overrides);
        await expect(f.liens.connect(f.alice).consentToLien(terms))
          .to.be.revertedWithCustomError(f.liens, "LienTermsInvalid")
          .withArgs(terms.kind, terms.amount, terms.periodEnd);
      }
    });

    it("ranks an ordinary and a ceiling mortgage by registration order, and keeps the ranks after a release", async function () {
      const f = await loadFixture(mortgagedFixture);
      const periodEnd = (await now()) + 5n * 365n * DAY;
      const ceiling = await lienTerms(f, f.titleId, {
        kind: LienKind.Ceiling,
        amount: 5_000_000_00n,
        periodEnd,
        loanContractHash: documentHash("credit line"),
      });
      await expect(registerLienOnChain(f, ceiling, [f.alice]))
        .to.emit(f.liens, "LienRegistered")
        .withArgs(f.titleId, ceiling.loanContractHash, f.bankAgencyId, LienKind.Ceiling, ceiling.amount, periodEnd, 2);
      await f.liens.connect(f.lender).releaseLien(f.titleId, f.terms.loanContractHash);
      const second = await f.liens.lien(f.titleId, ceiling.loanContractHash);
      expect([second.kind, second.rank, second.periodEnd, second.amount]).to.deep.equal([
        BigInt(LienKind.Ceiling),
        2n,
        periodEnd,
        ceiling.amount,
      ]);
      expect((await f.titles.title(f.titleId)).activeLiens).to.equal(1);
    });

    it("refuses a second registration of the same loan contract with LienAlreadyRegistered", async function () {
      const f = await loadFixture(mortgagedFixture);
      await expect(f.liens.connect(f.alice).consentToLien(f.terms))
        .to.be.revertedWithCustomError(f.liens, "LienAlreadyRegistered")
        .withArgs(f.titleId, f.terms.loanContractHash, LienStatus.Active);
    });

    it("registers within 80,000 gas on the owners' on-chain consent", async function () {
      const f = await loadFixture(titleFixture);
      const terms = await lienTerms(f, f.titleId);
      await f.liens.connect(f.alice).consentToLien(terms);
      const gas = await gasUsed(f.liens.connect(f.lender).registerLien(terms, []));
      expect(gas).to.be.lessThanOrEqual(80_000n);
    });
  });

  describe("release and discharge", function () {
    it("lets only the lender release, once", async function () {
      const f = await loadFixture(mortgagedFixture);
      const hash = f.terms.loanContractHash;
      await expect(f.liens.connect(f.alice).releaseLien(f.titleId, hash))
        .to.be.revertedWithCustomError(f.liens, "LienLenderRequired")
        .withArgs(f.bankAgencyId, f.alice.address);
      await expect(f.liens.connect(f.lender).releaseLien(f.titleId, hash))
        .to.emit(f.liens, "LienReleased")
        .withArgs(f.titleId, hash, f.lender.address)
        .and.to.emit(f.titles, "MetadataUpdate")
        .withArgs(f.titleId);
      expect((await f.titles.title(f.titleId)).activeLiens).to.equal(0);
      await expect(f.liens.connect(f.lender).releaseLien(f.titleId, hash))
        .to.be.revertedWithCustomError(f.liens, "LienNotActive")
        .withArgs(f.titleId, hash, LienStatus.Released);
      await expect(f.liens.connect(f.lender).releaseLien(f.titleId, documentHash("nothing")))
        .to.be.revertedWithCustomError(f.liens, "LienUnknown")
        .withArgs(f.titleId, documentHash("nothing"));
    });

    it("refuses the sale of a mortgaged title that does not name the lien with TitleEncumbered", async function () {
      const f = await loadFixture(mortgagedFixture);
      const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.bob)]);
      await f.titles.connect(f.bob).acceptTransfer(f.titleId, proposalId);
      await expect(f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("bob")]))
        .to.be.revertedWithCustomError(f.titles, "TitleEncumbered")
        .withArgs(f.titleId, 1);
    });

    it("refuses a sale naming the lien before the lender agreed with LienDischargeNotAgreed", async function () {
      const f = await loadFixture(mortgagedFixture);
      const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.bob)], [f.terms.loanContractHash]);
      await f.titles.connect(f.bob).acceptTransfer(f.titleId, proposalId);
      await expect(f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("bob")]))
        .to.be.revertedWithCustomError(f.liens, "LienDischargeNotAgreed")
        .withArgs(f.titleId, f.terms.loanContractHash);
    });

    it("discharges the named lien when the sale is registered, once the lender agreed", async function () {
      const f = await loadFixture(mortgagedFixture);
      const hash = f.terms.loanContractHash;
      const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.bob)], [hash]);
      expect((await f.titles.proposal(f.titleId)).discharges).to.deep.equal([hash]);
      await f.titles.connect(f.bob).acceptTransfer(f.titleId, proposalId);
      await expect(f.liens.connect(f.alice).agreeDischarge(f.titleId, hash))
        .to.be.revertedWithCustomError(f.liens, "LienLenderRequired")
        .withArgs(f.bankAgencyId, f.alice.address);
      await expect(f.liens.connect(f.lender).agreeDischarge(f.titleId, hash))
        .to.emit(f.liens, "LienDischargeAgreed")
        .withArgs(f.titleId, hash, f.lender.address);
      await expect(f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("bob")]))
        .to.emit(f.liens, "LienDischarged")
        .withArgs(f.titleId, hash);
      expect((await f.liens.lien(f.titleId, hash)).status).to.equal(LienStatus.Discharged);
      expect((await f.titles.title(f.titleId)).activeLiens).to.equal(0);
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.bob.address);
      await expect(f.liens.connect(f.lender).agreeDischarge(f.titleId, hash))
        .to.be.revertedWithCustomError(f.liens, "LienNotActive")
        .withArgs(f.titleId, hash, LienStatus.Discharged);
    });

    it("skips a named lien the lender released in the meantime, and refuses an unknown one", async function () {
      const f = await loadFixture(mortgagedFixture);
      await f.liens.connect(f.lender).releaseLien(f.titleId, f.terms.loanContractHash);
      await f.titles
        .connect(f.registrar)
        .registerTransfer(
          f.titleId,
          2,
          [owner(f.bob)],
          documentHash("will"),
          [f.terms.loanContractHash],
          [certificate("bob")],
        );
      expect(await f.titles.ownerOf(f.titleId)).to.equal(f.bob.address);
      await expect(
        f.titles
          .connect(f.registrar)
          .registerTransfer(
            f.titleId,
            2,
            [owner(f.carol)],
            documentHash("will"),
            [documentHash("nothing")],
            [certificate("carol")],
          ),
      )
        .to.be.revertedWithCustomError(f.liens, "LienUnknown")
        .withArgs(f.titleId, documentHash("nothing"));
    });

    it("accepts discharges only from the title registry", async function () {
      const f = await loadFixture(mortgagedFixture);
      await expect(f.liens.connect(f.stranger).dischargeForTransfer(f.titleId, [f.terms.loanContractHash]))
        .to.be.revertedWithCustomError(f.liens, "LienTitleRegistryRequired")
        .withArgs(f.stranger.address);
    });

    it("keeps the co-ownership shares intact through a mortgage", async function () {
      const f = await loadFixture(coOwnedFixture);
      const terms = await lienTerms(f, f.titleId);
      await registerLienOnChain(f, terms, [f.alice, f.bob]);
      const [owners] = await f.titles.ownersOf(f.titleId);
      expect(owners.map((o) => o.shares)).to.deep.equal([6_000n, 4_000n]);
      expect(owners.reduce((sum, o) => sum + o.shares, 0n)).to.equal(BASIS_POINTS);
    });
  });
});
