import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";

import {
  CertificateStatus,
  ONE_YEAR,
  SCHEMA_HASH,
  batchTree,
  certificateId,
  certificateIds,
  deployCertificateFixture,
  gasUsed,
  holderCommitment,
  proofOf,
  registerType,
} from "../helpers/certificates";
import type { CertificateFixture } from "../helpers/certificates";

const ID = certificateId("permit-1");
const HOLDER = holderCommitment("alice");
const REASON_KEY_COMPROMISE = 1;
const REASON_SUPERSEDED = 4;

/** Issues `ID` as a residence permit by the civil affairs bureau's first operator. */
async function issuedPermitFixture() {
  const fixture = await deployCertificateFixture();
  const { registry, types, signers } = fixture;
  await registry.connect(signers.issuer).issue(ID, types.permitType, HOLDER, 0, 0);
  return fixture;
}

/** Anchors two batches of permits: `tree` (1,000 ids) and `otherTree` (4 ids). */
async function anchoredBatchFixture() {
  const fixture = await deployCertificateFixture();
  const { registry, types, signers } = fixture;
  const ids = certificateIds("batch", 1_000);
  const tree = batchTree(ids);
  const otherIds = certificateIds("other-batch", 4);
  const otherTree = batchTree(otherIds);
  await registry.connect(signers.issuer).anchorBatch(tree.root, types.permitType, ids.length, 0, 0);
  await registry.connect(signers.issuer).anchorBatch(otherTree.root, types.permitType, otherIds.length, 0, 0);
  return { ...fixture, ids, tree, otherIds, otherTree };
}

async function keyIdOf(fixture: CertificateFixture, agencyId: bigint, account: string): Promise<bigint> {
  const [, , keyId] = await fixture.directory.operatorStatus(agencyId, account);
  return keyId;
}

describe("CertificateRegistry", function () {
  describe("deployment and upgrades", function () {
    it("binds to the directory and reports its version", async function () {
      const { registry, directory } = await loadFixture(deployCertificateFixture);
      expect(await registry.directory()).to.equal(await directory.getAddress());
      expect(await registry.VERSION()).to.equal("1.0.0");
    });

    it("refuses a zero directory with CertificateDirectoryZeroAddress", async function () {
      const factory = await ethers.getContractFactory("CertificateRegistry");
      await expect(upgrades.deployProxy(factory, [ethers.ZeroAddress], { kind: "uups" })).to.be.revertedWithCustomError(
        factory,
        "CertificateDirectoryZeroAddress",
      );
    });

    it("refuses a second initialisation with InvalidInitialization", async function () {
      const { registry, directory } = await loadFixture(deployCertificateFixture);
      await expect(registry.initialize(await directory.getAddress())).to.be.revertedWithCustomError(
        registry,
        "InvalidInitialization",
      );
    });

    it("refuses to initialise the implementation itself with InvalidInitialization", async function () {
      const { directory } = await loadFixture(deployCertificateFixture);
      const implementation = await (await ethers.getContractFactory("CertificateRegistry")).deploy();
      await expect(implementation.initialize(await directory.getAddress())).to.be.revertedWithCustomError(
        implementation,
        "InvalidInitialization",
      );
    });

    it("lets governance upgrade, keeping every record", async function () {
      const { registry, types } = await loadFixture(issuedPermitFixture);
      const v2Factory = await ethers.getContractFactory("CertificateRegistryV2Mock");
      const upgraded = await upgrades.upgradeProxy(await registry.getAddress(), v2Factory, { kind: "uups" });
      expect(await upgraded.upgradeMarker()).to.equal("v2");
      expect(await registry.statusOf(ID)).to.equal(CertificateStatus.Issued);
      expect((await registry.certificateType(types.permitType)).name).to.equal("Residence permit");
    });

    it("refuses an upgrade by anyone but governance with CertificateGovernanceRequired", async function () {
      const { registry, signers } = await loadFixture(deployCertificateFixture);
      const v2Factory = await ethers.getContractFactory("CertificateRegistryV2Mock", signers.civilAdmin);
      await expect(upgrades.upgradeProxy(await registry.getAddress(), v2Factory, { kind: "uups" }))
        .to.be.revertedWithCustomError(registry, "CertificateGovernanceRequired")
        .withArgs(signers.civilAdmin.address);
      const implementation = await v2Factory.deploy();
      await expect(registry.connect(signers.issuer).upgradeToAndCall(await implementation.getAddress(), "0x"))
        .to.be.revertedWithCustomError(registry, "CertificateGovernanceRequired")
        .withArgs(signers.issuer.address);
    });
  });

  describe("types", function () {
    it("registers a type for the operator's agency", async function () {
      const { registry, agencies, signers } = await loadFixture(deployCertificateFixture);
      const count = await registry.typeCount();
      await expect(
        registry.connect(signers.issuer).registerType(agencies.civil, "Marriage certificate", SCHEMA_HASH, false, 0),
      )
        .to.emit(registry, "CertificateTypeRegistered")
        .withArgs(count + 1n, agencies.civil, SCHEMA_HASH, "Marriage certificate", false, 0);
      const type = await registry.certificateType(count + 1n);
      expect(type.agencyId).to.equal(agencies.civil);
      expect(type.revocable).to.equal(false);
      expect(type.retired).to.equal(false);
      expect(type.defaultValidity).to.equal(0);
      expect(type.schemaHash).to.equal(SCHEMA_HASH);
      expect(type.name).to.equal("Marriage certificate");
      expect(await registry.typeCount()).to.equal(count + 1n);
    });

    it("lets governance register a type for an agency that may issue", async function () {
      const { registry, agencies, signers } = await loadFixture(deployCertificateFixture);
      const typeId = await registerType(registry, signers.governance, agencies.health, "Death certificate", false, 0n);
      expect((await registry.certificateType(typeId)).agencyId).to.equal(agencies.health);
    });

    it("refuses governance registering for an agency without ISSUE_CERTIFICATES with CertificateAgencyNotCapable", async function () {
      const { registry, agencies } = await loadFixture(deployCertificateFixture);
      await expect(registry.registerType(agencies.archive, "Archive extract", SCHEMA_HASH, true, 0))
        .to.be.revertedWithCustomError(registry, "CertificateAgencyNotCapable")
        .withArgs(agencies.archive);
      await expect(registry.registerType(0, "Nobody's certificate", SCHEMA_HASH, true, 0))
        .to.be.revertedWithCustomError(registry, "CertificateAgencyNotCapable")
        .withArgs(0);
    });

    it("refuses a non-operator with CertificateIssuerUnauthorized", async function () {
      const { registry, agencies, signers } = await loadFixture(deployCertificateFixture);
      await expect(registry.connect(signers.outsider).registerType(agencies.civil, "Fake", SCHEMA_HASH, true, 0))
        .to.be.revertedWithCustomError(registry, "CertificateIssuerUnauthorized")
        .withArgs(signers.outsider.address, agencies.civil);
    });

    it("refuses another agency's operator with CertificateIssuerUnauthorized", async function () {
      const { registry, agencies, signers } = await loadFixture(deployCertificateFixture);
      await expect(registry.connect(signers.otherIssuer).registerType(agencies.civil, "Fake", SCHEMA_HASH, true, 0))
        .to.be.revertedWithCustomError(registry, "CertificateIssuerUnauthorized")
        .withArgs(signers.otherIssuer.address, agencies.civil);
    });

    it("refuses an operator of an agency without ISSUE_CERTIFICATES with CertificateIssuerUnauthorized", async function () {
      const { registry, agencies, signers } = await loadFixture(deployCertificateFixture);
      await expect(registry.connect(signers.archivist).registerType(agencies.archive, "Extract", SCHEMA_HASH, true, 0))
        .to.be.revertedWithCustomError(registry, "CertificateIssuerUnauthorized")
        .withArgs(signers.archivist.address, agencies.archive);
    });

    it("refuses an empty or overlong name with CertificateTypeNameInvalid", async function () {
      const { registry, agencies, signers } = await loadFixture(deployCertificateFixture);
      const civil = registry.connect(signers.issuer);
      await expect(civil.registerType(agencies.civil, "", SCHEMA_HASH, true, 0))
        .to.be.revertedWithCustomError(registry, "CertificateTypeNameInvalid")
        .withArgs(0);
      await expect(civil.registerType(agencies.civil, "x".repeat(129), SCHEMA_HASH, true, 0))
        .to.be.revertedWithCustomError(registry, "CertificateTypeNameInvalid")
        .withArgs(129);
    });

    it("refuses an unknown type with CertificateTypeUnknown", async function () {
      const { registry } = await loadFixture(deployCertificateFixture);
      await expect(registry.certificateType(99))
        .to.be.revertedWithCustomError(registry, "CertificateTypeUnknown")
        .withArgs(99);
      await expect(registry.retireType(99))
        .to.be.revertedWithCustomError(registry, "CertificateTypeUnknown")
        .withArgs(99);
    });

    it("retires a type: no new certificates, existing ones stay valid", async function () {
      const { registry, types, signers } = await loadFixture(issuedPermitFixture);
      await expect(registry.connect(signers.secondIssuer).retireType(types.permitType))
        .to.emit(registry, "CertificateTypeRetired")
        .withArgs(types.permitType);
      expect((await registry.certificateType(types.permitType)).retired).to.equal(true);
      const newId = certificateId("after-retirement");
      await expect(registry.connect(signers.issuer).issue(newId, types.permitType, HOLDER, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateTypeNotActive")
        .withArgs(types.permitType);
      await expect(registry.connect(signers.issuer).issueBatch(types.permitType, [newId], [HOLDER], 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateTypeNotActive")
        .withArgs(types.permitType);
      await expect(registry.connect(signers.issuer).anchorBatch(newId, types.permitType, 1, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateTypeNotActive")
        .withArgs(types.permitType);
      const verification = await registry.verifyStatus(ID);
      expect(verification.status).to.equal(CertificateStatus.Issued);
      expect(verification.valid).to.equal(true);
      await expect(registry.connect(signers.issuer).suspend(ID)).to.emit(registry, "CertificateSuspended");
    });

    it("refuses retiring a retired type with CertificateTypeNotActive", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      await registry.connect(signers.issuer).retireType(types.permitType);
      await expect(registry.connect(signers.issuer).retireType(types.permitType))
        .to.be.revertedWithCustomError(registry, "CertificateTypeNotActive")
        .withArgs(types.permitType);
    });

    it("refuses retiring another agency's type with CertificateManagerUnauthorized", async function () {
      const { registry, types, agencies, signers } = await loadFixture(deployCertificateFixture);
      await expect(registry.connect(signers.otherIssuer).retireType(types.permitType))
        .to.be.revertedWithCustomError(registry, "CertificateManagerUnauthorized")
        .withArgs(signers.otherIssuer.address, agencies.civil);
    });

    it("lets the successor, not the old keys, retire a dissolved agency's type", async function () {
      const { registry, directory, types, agencies, signers } = await loadFixture(deployCertificateFixture);
      await directory.dissolveAgency(agencies.civil, agencies.successor);
      await expect(registry.connect(signers.issuer).retireType(types.permitType))
        .to.be.revertedWithCustomError(registry, "CertificateManagerUnauthorized")
        .withArgs(signers.issuer.address, agencies.civil);
      await expect(registry.connect(signers.successorIssuer).retireType(types.permitType))
        .to.emit(registry, "CertificateTypeRetired")
        .withArgs(types.permitType);
    });
  });

  describe("issue", function () {
    it("records status, type, agency, issuer key and validity, and emits CertificateIssued", async function () {
      const fixture = await loadFixture(deployCertificateFixture);
      const { registry, types, agencies, signers } = fixture;
      await expect(registry.connect(signers.issuer).issue(ID, types.permitType, HOLDER, 0, 0))
        .to.emit(registry, "CertificateIssued")
        .withArgs(ID, types.permitType, HOLDER);
      const now = BigInt(await time.latest());
      const verification = await registry.verifyStatus(ID);
      expect(verification.status).to.equal(CertificateStatus.Issued);
      expect(verification.typeId).to.equal(types.permitType);
      expect(verification.agencyId).to.equal(agencies.civil);
      expect(verification.issuerKeyId).to.equal(await keyIdOf(fixture, agencies.civil, signers.issuer.address));
      expect(verification.issuedAt).to.equal(now);
      expect(verification.validFrom).to.equal(now);
      expect(verification.validUntil).to.equal(now + ONE_YEAR);
      expect(verification.revocationReason).to.equal(0);
      expect(verification.statusListIndex).to.equal(0);
      expect(verification.supersededBy).to.equal(ethers.ZeroHash);
      expect(verification.issuerAuthorized).to.equal(true);
      expect(verification.valid).to.equal(true);
      expect(await registry.statusOf(ID)).to.equal(CertificateStatus.Issued);
    });

    it("packs the record in one storage slot with the documented layout", async function () {
      const fixture = await loadFixture(deployCertificateFixture);
      const { registry, types, agencies, signers } = fixture;
      const validFrom = BigInt(await time.latest()) + 100n;
      const validUntil = validFrom + 1_000n;
      await registry.connect(signers.issuer).issue(ID, types.permitType, HOLDER, validFrom, validUntil);
      const issuedAt = BigInt(await time.latest());
      const keyId = await keyIdOf(fixture, agencies.civil, signers.issuer.address);
      // records is the fourth member of the namespaced struct (directory+typeCount, typeTerms, typeProfiles, records).
      const recordsSlot = BigInt("0x9c49ab578574b04779e6f2647b8e21503a3a981898c2d04554981eb7e93b2800") + 3n;
      const slot = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [ID, recordsSlot]),
      );
      const word = BigInt(await ethers.provider.getStorage(await registry.getAddress(), slot));
      const expected =
        BigInt(CertificateStatus.Issued) |
        (types.permitType << 8n) |
        (keyId << 40n) |
        (issuedAt << 72n) |
        (validFrom << 112n) |
        (validUntil << 152n);
      expect(word).to.equal(expected);
    });

    it("uses the type's default validity only when no end is given, and none for a type without one", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      const civil = registry.connect(signers.issuer);
      const start = BigInt(await time.latest()) + 1_000n;
      await civil.issue(certificateId("default"), types.permitType, HOLDER, start, 0);
      expect((await registry.verifyStatus(certificateId("default"))).validUntil).to.equal(start + ONE_YEAR);
      await civil.issue(certificateId("explicit"), types.permitType, HOLDER, start, start + 10n);
      expect((await registry.verifyStatus(certificateId("explicit"))).validUntil).to.equal(start + 10n);
      await civil.issue(certificateId("birth"), types.birthType, HOLDER, 0, 0);
      expect((await registry.verifyStatus(certificateId("birth"))).validUntil).to.equal(0);
    });

    it("refuses a validity that ends before it starts with CertificateValidityInvalid", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      const civil = registry.connect(signers.issuer);
      await expect(civil.issue(ID, types.permitType, HOLDER, 5_000_000_000n, 5_000_000_000n))
        .to.be.revertedWithCustomError(registry, "CertificateValidityInvalid")
        .withArgs(5_000_000_000n, 5_000_000_000n);
      const now = BigInt(await time.latest());
      await expect(civil.issue(ID, types.permitType, HOLDER, 0, now))
        .to.be.revertedWithCustomError(registry, "CertificateValidityInvalid")
        .withArgs(now + 1n, now);
    });

    it("refuses re-issuing an id with CertificateAlreadyIssued", async function () {
      const { registry, types, signers } = await loadFixture(issuedPermitFixture);
      await expect(registry.connect(signers.issuer).issue(ID, types.birthType, HOLDER, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateAlreadyIssued")
        .withArgs(ID);
    });

    it("refuses the zero id with CertificateIdZero", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      await expect(
        registry.connect(signers.issuer).issue(ethers.ZeroHash, types.permitType, HOLDER, 0, 0),
      ).to.be.revertedWithCustomError(registry, "CertificateIdZero");
    });

    it("refuses an unknown type with CertificateTypeUnknown", async function () {
      const { registry, signers } = await loadFixture(deployCertificateFixture);
      await expect(registry.connect(signers.issuer).issue(ID, 42, HOLDER, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateTypeUnknown")
        .withArgs(42);
    });

    it("refuses a non-operator with CertificateIssuerUnauthorized", async function () {
      const { registry, types, agencies, signers } = await loadFixture(deployCertificateFixture);
      await expect(registry.connect(signers.outsider).issue(ID, types.permitType, HOLDER, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateIssuerUnauthorized")
        .withArgs(signers.outsider.address, agencies.civil);
    });

    it("refuses another agency's operator with CertificateIssuerUnauthorized", async function () {
      const { registry, types, agencies, signers } = await loadFixture(deployCertificateFixture);
      await expect(registry.connect(signers.otherIssuer).issue(ID, types.permitType, HOLDER, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateIssuerUnauthorized")
        .withArgs(signers.otherIssuer.address, agencies.civil);
    });

    it("refuses an operator of a suspended agency with CertificateIssuerUnauthorized", async function () {
      const { registry, directory, types, agencies, signers } = await loadFixture(deployCertificateFixture);
      await directory.suspendAgency(agencies.civil);
      await expect(registry.connect(signers.issuer).issue(ID, types.permitType, HOLDER, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateIssuerUnauthorized")
        .withArgs(signers.issuer.address, agencies.civil);
      await directory.reinstateAgency(agencies.civil);
      await expect(registry.connect(signers.issuer).issue(ID, types.permitType, HOLDER, 0, 0)).to.emit(
        registry,
        "CertificateIssued",
      );
    });

    it("refuses a removed key with CertificateIssuerUnauthorized", async function () {
      const { registry, directory, types, agencies, signers } = await loadFixture(deployCertificateFixture);
      await directory.connect(signers.civilAdmin).removeOperator(agencies.civil, signers.issuer.address);
      await expect(registry.connect(signers.issuer).issue(ID, types.permitType, HOLDER, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateIssuerUnauthorized")
        .withArgs(signers.issuer.address, agencies.civil);
    });

    it("refuses a dissolved agency's old keys, and its successor too, under the old agency's types", async function () {
      const { registry, directory, types, agencies, signers } = await loadFixture(deployCertificateFixture);
      await directory.dissolveAgency(agencies.civil, agencies.successor);
      await expect(registry.connect(signers.issuer).issue(ID, types.permitType, HOLDER, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateIssuerUnauthorized")
        .withArgs(signers.issuer.address, agencies.civil);
      await expect(registry.connect(signers.successorIssuer).issue(ID, types.permitType, HOLDER, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateIssuerUnauthorized")
        .withArgs(signers.successorIssuer.address, agencies.civil);
    });

    it("lets governance issue, recording issuer key 0", async function () {
      const { registry, types } = await loadFixture(deployCertificateFixture);
      await registry.issue(ID, types.permitType, HOLDER, 0, 0);
      const verification = await registry.verifyStatus(ID);
      expect(verification.issuerKeyId).to.equal(0);
      expect(verification.issuerAuthorized).to.equal(true);
      expect(await registry.issuerWasAuthorized(ID)).to.equal(true);
    });

    it("is not valid before validFrom nor from validUntil on, while its status stays Issued", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      const start = BigInt(await time.latest()) + 1_000n;
      await registry.connect(signers.issuer).issue(ID, types.permitType, HOLDER, start, start + 500n);
      expect((await registry.verifyStatus(ID)).valid).to.equal(false);
      await time.increaseTo(start);
      expect((await registry.verifyStatus(ID)).valid).to.equal(true);
      await time.increaseTo(start + 499n);
      expect((await registry.verifyStatus(ID)).valid).to.equal(true);
      await time.increaseTo(start + 500n);
      const expired = await registry.verifyStatus(ID);
      expect(expired.valid).to.equal(false);
      expect(expired.status).to.equal(CertificateStatus.Issued);
      expect(await registry.statusOf(ID)).to.equal(CertificateStatus.Issued);
    });
  });

  describe("issueBatch", function () {
    it("issues every certificate with its own record and event", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      const ids = certificateIds("many", 3);
      const holders = ids.map((_, i) => holderCommitment(`holder-${i}`));
      const tx = registry.connect(signers.issuer).issueBatch(types.birthType, ids, holders, 0, 0);
      for (let i = 0; i < ids.length; i++) {
        await expect(tx).to.emit(registry, "CertificateIssued").withArgs(ids[i], types.birthType, holders[i]);
      }
      expect(await registry.statusOfMany(ids)).to.deep.equal(ids.map(() => BigInt(CertificateStatus.Issued)));
    });

    it("refuses an empty batch with CertificateBatchEmpty", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      await expect(
        registry.connect(signers.issuer).issueBatch(types.permitType, [], [], 0, 0),
      ).to.be.revertedWithCustomError(registry, "CertificateBatchEmpty");
    });

    it("refuses arrays of different lengths with CertificateBatchLengthMismatch", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      await expect(
        registry.connect(signers.issuer).issueBatch(types.permitType, certificateIds("m", 2), [HOLDER], 0, 0),
      )
        .to.be.revertedWithCustomError(registry, "CertificateBatchLengthMismatch")
        .withArgs(2, 1);
    });

    it("refuses a batch repeating an id with CertificateAlreadyIssued, issuing none of it", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      const [first, second] = certificateIds("dup", 2);
      await expect(
        registry
          .connect(signers.issuer)
          .issueBatch(types.permitType, [first, second, first], [HOLDER, HOLDER, HOLDER], 0, 0),
      )
        .to.be.revertedWithCustomError(registry, "CertificateAlreadyIssued")
        .withArgs(first);
      expect(await registry.statusOfMany([first, second])).to.deep.equal([0n, 0n]);
    });

    it("refuses another agency's operator with CertificateIssuerUnauthorized", async function () {
      const { registry, types, agencies, signers } = await loadFixture(deployCertificateFixture);
      await expect(registry.connect(signers.otherIssuer).issueBatch(types.permitType, [ID], [HOLDER], 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateIssuerUnauthorized")
        .withArgs(signers.otherIssuer.address, agencies.civil);
    });
  });

  describe("anchored batches", function () {
    it("anchors a root and emits BatchAnchored", async function () {
      const fixture = await loadFixture(deployCertificateFixture);
      const { registry, types, agencies, signers } = fixture;
      const tree = batchTree(certificateIds("anchor", 10));
      const keyId = await keyIdOf(fixture, agencies.civil, signers.issuer.address);
      const start = BigInt(await time.latest()) + 10n;
      await expect(registry.connect(signers.issuer).anchorBatch(tree.root, types.permitType, 10, start, 0))
        .to.emit(registry, "BatchAnchored")
        .withArgs(tree.root, types.permitType, keyId, 10, start, start + ONE_YEAR);
      const [typeId, issuerKeyId, size, anchoredAt, validFrom, validUntil] = await registry.batch(tree.root);
      expect([typeId, issuerKeyId, size, validFrom, validUntil]).to.deep.equal([
        types.permitType,
        keyId,
        10n,
        start,
        start + ONE_YEAR,
      ]);
      expect(anchoredAt).to.equal(await time.latest());
    });

    it("verifies a certificate of the batch with its proof", async function () {
      const { registry, ids, tree, types, agencies } = await loadFixture(anchoredBatchFixture);
      const id = ids[123];
      expect(await registry.anchoredStatusOf(id, tree.root, proofOf(tree, id))).to.equal(CertificateStatus.Issued);
      const verification = await registry.verifyAnchoredStatus(id, tree.root, proofOf(tree, id));
      expect(verification.status).to.equal(CertificateStatus.Issued);
      expect(verification.typeId).to.equal(types.permitType);
      expect(verification.agencyId).to.equal(agencies.civil);
      expect(verification.issuerAuthorized).to.equal(true);
      expect(verification.valid).to.equal(true);
      expect(await registry.anchoredIssuerWasAuthorized(id, tree.root, proofOf(tree, id))).to.equal(true);
      // Anchored certificates have no record of their own until one is managed individually.
      expect(await registry.statusOf(id)).to.equal(CertificateStatus.None);
    });

    it("refuses a proof from another batch, a wrong leaf and an unknown root", async function () {
      const { registry, ids, tree, otherIds, otherTree } = await loadFixture(anchoredBatchFixture);
      const id = ids[0];
      expect(await registry.anchoredStatusOf(id, tree.root, proofOf(otherTree, otherIds[0]))).to.equal(
        CertificateStatus.None,
      );
      expect(await registry.anchoredStatusOf(id, otherTree.root, proofOf(tree, id))).to.equal(CertificateStatus.None);
      expect(await registry.anchoredStatusOf(certificateId("not-in-batch"), tree.root, proofOf(tree, id))).to.equal(
        CertificateStatus.None,
      );
      // The raw id is not a leaf: only the double-hashed StandardMerkleTree leaf is.
      const rawTree = batchTree([id, ids[1]]);
      expect(await registry.anchoredStatusOf(ids[1], tree.root, proofOf(rawTree, ids[1]))).to.equal(
        CertificateStatus.None,
      );
      expect(await registry.anchoredStatusOf(id, ethers.id("unknown root"), proofOf(tree, id))).to.equal(
        CertificateStatus.None,
      );
      expect((await registry.verifyAnchoredStatus(id, otherTree.root, proofOf(tree, id))).valid).to.equal(false);
      await expect(registry.anchoredIssuerWasAuthorized(id, otherTree.root, proofOf(tree, id)))
        .to.be.revertedWithCustomError(registry, "CertificateNotFound")
        .withArgs(id);
    });

    it("refuses anchoring a root twice with CertificateBatchAlreadyAnchored", async function () {
      const { registry, tree, types, signers } = await loadFixture(anchoredBatchFixture);
      await expect(registry.connect(signers.secondIssuer).anchorBatch(tree.root, types.permitType, 1, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateBatchAlreadyAnchored")
        .withArgs(tree.root);
    });

    it("refuses a zero root with CertificateIdZero and a zero size with CertificateBatchEmpty", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      const civil = registry.connect(signers.issuer);
      await expect(civil.anchorBatch(ethers.ZeroHash, types.permitType, 1, 0, 0)).to.be.revertedWithCustomError(
        registry,
        "CertificateIdZero",
      );
      await expect(civil.anchorBatch(ethers.id("root"), types.permitType, 0, 0, 0)).to.be.revertedWithCustomError(
        registry,
        "CertificateBatchEmpty",
      );
    });

    it("refuses a non-operator with CertificateIssuerUnauthorized", async function () {
      const { registry, types, agencies, signers } = await loadFixture(deployCertificateFixture);
      await expect(registry.connect(signers.outsider).anchorBatch(ethers.id("root"), types.permitType, 1, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateIssuerUnauthorized")
        .withArgs(signers.outsider.address, agencies.civil);
    });

    it("revokes one certificate inside a batch, leaving the others issued", async function () {
      const { registry, ids, tree, signers } = await loadFixture(anchoredBatchFixture);
      const [revoked, sibling] = [ids[7], ids[8]];
      const tx = registry
        .connect(signers.issuer)
        .revokeAnchored(revoked, tree.root, proofOf(tree, revoked), REASON_KEY_COMPROMISE);
      await expect(tx).to.emit(registry, "AnchoredCertificateDetached").withArgs(revoked, tree.root);
      await expect(tx).to.emit(registry, "CertificateRevoked").withArgs(revoked, REASON_KEY_COMPROMISE);
      expect(await registry.anchoredStatusOf(revoked, tree.root, proofOf(tree, revoked))).to.equal(
        CertificateStatus.Revoked,
      );
      expect(await registry.statusOf(revoked)).to.equal(CertificateStatus.Revoked);
      expect(await registry.anchoredStatusOf(sibling, tree.root, proofOf(tree, sibling))).to.equal(
        CertificateStatus.Issued,
      );
      const verification = await registry.verifyAnchoredStatus(revoked, tree.root, proofOf(tree, revoked));
      expect(verification.revocationReason).to.equal(REASON_KEY_COMPROMISE);
      expect(verification.valid).to.equal(false);
    });

    it("keeps the batch's terms when a certificate is detached", async function () {
      const { registry, ids, tree, signers } = await loadFixture(anchoredBatchFixture);
      const id = ids[3];
      const before = await registry.verifyAnchoredStatus(id, tree.root, proofOf(tree, id));
      await registry.connect(signers.issuer).suspendAnchored(id, tree.root, proofOf(tree, id));
      const after = await registry.verifyStatus(id);
      expect(after.status).to.equal(CertificateStatus.Suspended);
      expect([after.typeId, after.issuerKeyId, after.issuedAt, after.validFrom, after.validUntil]).to.deep.equal([
        before.typeId,
        before.issuerKeyId,
        before.issuedAt,
        before.validFrom,
        before.validUntil,
      ]);
    });

    it("manages a detached certificate like one issued on its own", async function () {
      const { registry, ids, tree, types, signers } = await loadFixture(anchoredBatchFixture);
      const id = ids[500];
      const civil = registry.connect(signers.issuer);
      await civil.suspendAnchored(id, tree.root, proofOf(tree, id));
      await expect(civil.reinstate(id)).to.emit(registry, "CertificateReinstated").withArgs(id);
      expect(await registry.anchoredStatusOf(id, tree.root, proofOf(tree, id))).to.equal(CertificateStatus.Issued);
      const corrected = certificateId("corrected-500");
      await expect(civil.supersede(id, corrected, types.permitType, HOLDER, 0, 0))
        .to.emit(registry, "CertificateSuperseded")
        .withArgs(id, corrected);
      expect((await registry.verifyAnchoredStatus(id, tree.root, proofOf(tree, id))).supersededBy).to.equal(corrected);
    });

    it("supersedes a certificate inside a batch in one call", async function () {
      const { registry, ids, tree, types, signers } = await loadFixture(anchoredBatchFixture);
      const id = ids[9];
      const corrected = certificateId("corrected-9");
      const tx = registry
        .connect(signers.issuer)
        .supersedeAnchored(id, tree.root, proofOf(tree, id), corrected, types.permitType, HOLDER, 0, 0);
      await expect(tx).to.emit(registry, "AnchoredCertificateDetached").withArgs(id, tree.root);
      await expect(tx).to.emit(registry, "CertificateSuperseded").withArgs(id, corrected);
      await expect(tx).to.emit(registry, "CertificateIssued").withArgs(corrected, types.permitType, HOLDER);
      expect(await registry.supersededBy(id)).to.equal(corrected);
      expect(await registry.statusOf(corrected)).to.equal(CertificateStatus.Issued);
    });

    it("refuses managing with a proof from another batch with CertificateProofInvalid", async function () {
      const { registry, ids, tree, otherTree, signers } = await loadFixture(anchoredBatchFixture);
      const id = ids[1];
      await expect(registry.connect(signers.issuer).revokeAnchored(id, otherTree.root, proofOf(tree, id), 1))
        .to.be.revertedWithCustomError(registry, "CertificateProofInvalid")
        .withArgs(id, otherTree.root);
    });

    it("refuses managing under an unknown root with CertificateBatchUnknown", async function () {
      const { registry, ids, tree, signers } = await loadFixture(anchoredBatchFixture);
      const root = ethers.id("never anchored");
      await expect(registry.connect(signers.issuer).suspendAnchored(ids[1], root, proofOf(tree, ids[1])))
        .to.be.revertedWithCustomError(registry, "CertificateBatchUnknown")
        .withArgs(root);
    });

    it("refuses another agency's operator managing a batch certificate with CertificateManagerUnauthorized", async function () {
      const { registry, ids, tree, agencies, signers } = await loadFixture(anchoredBatchFixture);
      await expect(registry.connect(signers.otherIssuer).revokeAnchored(ids[2], tree.root, proofOf(tree, ids[2]), 1))
        .to.be.revertedWithCustomError(registry, "CertificateManagerUnauthorized")
        .withArgs(signers.otherIssuer.address, agencies.civil);
      expect(await registry.statusOf(ids[2])).to.equal(CertificateStatus.None);
    });
  });

  describe("lifecycle", function () {
    it("revokes with a reason code", async function () {
      const { registry, signers } = await loadFixture(issuedPermitFixture);
      await expect(registry.connect(signers.issuer).revoke(ID, REASON_SUPERSEDED))
        .to.emit(registry, "CertificateRevoked")
        .withArgs(ID, REASON_SUPERSEDED);
      const verification = await registry.verifyStatus(ID);
      expect(verification.status).to.equal(CertificateStatus.Revoked);
      expect(verification.revocationReason).to.equal(REASON_SUPERSEDED);
      expect(verification.valid).to.equal(false);
    });

    it("refuses a revoked certificate with CertificateInvalidTransition", async function () {
      const { registry, types, signers } = await loadFixture(issuedPermitFixture);
      const civil = registry.connect(signers.issuer);
      await civil.revoke(ID, 1);
      await expect(civil.revoke(ID, 1))
        .to.be.revertedWithCustomError(registry, "CertificateInvalidTransition")
        .withArgs(ID, CertificateStatus.Revoked, CertificateStatus.Revoked);
      await expect(civil.suspend(ID))
        .to.be.revertedWithCustomError(registry, "CertificateInvalidTransition")
        .withArgs(ID, CertificateStatus.Revoked, CertificateStatus.Suspended);
      await expect(civil.reinstate(ID))
        .to.be.revertedWithCustomError(registry, "CertificateInvalidTransition")
        .withArgs(ID, CertificateStatus.Revoked, CertificateStatus.Issued);
      await expect(civil.supersede(ID, certificateId("new"), types.permitType, HOLDER, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateInvalidTransition")
        .withArgs(ID, CertificateStatus.Revoked, CertificateStatus.Superseded);
    });

    it("refuses revoking a certificate of a non-revocable type with CertificateTypeNotRevocable", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      const birth = certificateId("birth");
      await registry.connect(signers.issuer).issue(birth, types.birthType, HOLDER, 0, 0);
      await expect(registry.connect(signers.issuer).revoke(birth, 1))
        .to.be.revertedWithCustomError(registry, "CertificateTypeNotRevocable")
        .withArgs(types.birthType);
    });

    it("refuses managing an unknown certificate with CertificateNotFound", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      const civil = registry.connect(signers.issuer);
      for (const call of [
        civil.revoke(ID, 1),
        civil.suspend(ID),
        civil.reinstate(ID),
        civil.supersede(ID, certificateId("new"), types.permitType, HOLDER, 0, 0),
      ]) {
        await expect(call).to.be.revertedWithCustomError(registry, "CertificateNotFound").withArgs(ID);
      }
      await expect(registry.issuerWasAuthorized(ID))
        .to.be.revertedWithCustomError(registry, "CertificateNotFound")
        .withArgs(ID);
    });

    it("suspends and reinstates", async function () {
      const { registry, signers } = await loadFixture(issuedPermitFixture);
      const civil = registry.connect(signers.issuer);
      await expect(civil.suspend(ID)).to.emit(registry, "CertificateSuspended").withArgs(ID);
      expect(await registry.statusOf(ID)).to.equal(CertificateStatus.Suspended);
      expect((await registry.verifyStatus(ID)).valid).to.equal(false);
      await expect(civil.reinstate(ID)).to.emit(registry, "CertificateReinstated").withArgs(ID);
      expect(await registry.statusOf(ID)).to.equal(CertificateStatus.Issued);
      expect((await registry.verifyStatus(ID)).valid).to.equal(true);
    });

    it("refuses suspending a suspended certificate and reinstating an issued one with CertificateInvalidTransition", async function () {
      const { registry, signers } = await loadFixture(issuedPermitFixture);
      const civil = registry.connect(signers.issuer);
      await expect(civil.reinstate(ID))
        .to.be.revertedWithCustomError(registry, "CertificateInvalidTransition")
        .withArgs(ID, CertificateStatus.Issued, CertificateStatus.Issued);
      await civil.suspend(ID);
      await expect(civil.suspend(ID))
        .to.be.revertedWithCustomError(registry, "CertificateInvalidTransition")
        .withArgs(ID, CertificateStatus.Suspended, CertificateStatus.Suspended);
    });

    it("revokes a suspended certificate", async function () {
      const { registry, signers } = await loadFixture(issuedPermitFixture);
      const civil = registry.connect(signers.issuer);
      await civil.suspend(ID);
      await expect(civil.revoke(ID, 2)).to.emit(registry, "CertificateRevoked").withArgs(ID, 2);
      expect(await registry.statusOf(ID)).to.equal(CertificateStatus.Revoked);
    });

    it("supersedes: issues the correction and points the old certificate to it", async function () {
      const { registry, types, signers } = await loadFixture(issuedPermitFixture);
      const corrected = certificateId("permit-1-corrected");
      const tx = registry.connect(signers.issuer).supersede(ID, corrected, types.permitType, HOLDER, 0, 0);
      await expect(tx).to.emit(registry, "CertificateIssued").withArgs(corrected, types.permitType, HOLDER);
      await expect(tx).to.emit(registry, "CertificateSuperseded").withArgs(ID, corrected);
      expect(await registry.statusOf(ID)).to.equal(CertificateStatus.Superseded);
      expect(await registry.supersededBy(ID)).to.equal(corrected);
      const old = await registry.verifyStatus(ID);
      expect(old.supersededBy).to.equal(corrected);
      expect(old.valid).to.equal(false);
      expect((await registry.verifyStatus(corrected)).valid).to.equal(true);
      await expect(
        registry.connect(signers.issuer).supersede(ID, certificateId("again"), types.permitType, HOLDER, 0, 0),
      )
        .to.be.revertedWithCustomError(registry, "CertificateInvalidTransition")
        .withArgs(ID, CertificateStatus.Superseded, CertificateStatus.Superseded);
    });

    it("supersedes a certificate of a non-revocable type (a correction is not a revocation)", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      const [birth, corrected] = certificateIds("birth", 2);
      await registry.connect(signers.issuer).issue(birth, types.birthType, HOLDER, 0, 0);
      await registry.connect(signers.issuer).supersede(birth, corrected, types.birthType, HOLDER, 0, 0);
      expect(await registry.statusOf(birth)).to.equal(CertificateStatus.Superseded);
    });

    it("refuses superseding with an existing id with CertificateAlreadyIssued", async function () {
      const { registry, types, signers } = await loadFixture(issuedPermitFixture);
      const other = certificateId("other");
      await registry.connect(signers.issuer).issue(other, types.permitType, HOLDER, 0, 0);
      await expect(registry.connect(signers.issuer).supersede(ID, other, types.permitType, HOLDER, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateAlreadyIssued")
        .withArgs(other);
      await expect(registry.connect(signers.issuer).supersede(ID, ID, types.permitType, HOLDER, 0, 0))
        .to.be.revertedWithCustomError(registry, "CertificateAlreadyIssued")
        .withArgs(ID);
    });

    it("refuses superseding into a type the caller may not issue with CertificateIssuerUnauthorized", async function () {
      const { registry, types, agencies, signers } = await loadFixture(issuedPermitFixture);
      await expect(
        registry.connect(signers.issuer).supersede(ID, certificateId("new"), types.vaccinationType, HOLDER, 0, 0),
      )
        .to.be.revertedWithCustomError(registry, "CertificateIssuerUnauthorized")
        .withArgs(signers.issuer.address, agencies.health);
    });

    it("lets any operator of the issuing agency, and governance, manage its certificates", async function () {
      const { registry, signers } = await loadFixture(issuedPermitFixture);
      await expect(registry.connect(signers.secondIssuer).suspend(ID)).to.emit(registry, "CertificateSuspended");
      await expect(registry.connect(signers.governance).reinstate(ID)).to.emit(registry, "CertificateReinstated");
      await expect(registry.connect(signers.governance).revoke(ID, 1)).to.emit(registry, "CertificateRevoked");
    });

    it("refuses a non-operator and another agency's operator with CertificateManagerUnauthorized", async function () {
      const { registry, agencies, signers } = await loadFixture(issuedPermitFixture);
      for (const account of [signers.outsider, signers.otherIssuer, signers.civilAdmin]) {
        await expect(registry.connect(account).revoke(ID, 1))
          .to.be.revertedWithCustomError(registry, "CertificateManagerUnauthorized")
          .withArgs(account.address, agencies.civil);
        await expect(registry.connect(account).suspend(ID))
          .to.be.revertedWithCustomError(registry, "CertificateManagerUnauthorized")
          .withArgs(account.address, agencies.civil);
      }
    });

    it("refuses an operator of a suspended agency with CertificateManagerUnauthorized", async function () {
      const { registry, directory, agencies, signers } = await loadFixture(issuedPermitFixture);
      await directory.suspendAgency(agencies.civil);
      await expect(registry.connect(signers.issuer).revoke(ID, 1))
        .to.be.revertedWithCustomError(registry, "CertificateManagerUnauthorized")
        .withArgs(signers.issuer.address, agencies.civil);
    });

    it("refuses a removed key with CertificateManagerUnauthorized", async function () {
      const { registry, directory, agencies, signers } = await loadFixture(issuedPermitFixture);
      await directory.connect(signers.civilAdmin).removeOperator(agencies.civil, signers.issuer.address);
      await expect(registry.connect(signers.issuer).suspend(ID))
        .to.be.revertedWithCustomError(registry, "CertificateManagerUnauthorized")
        .withArgs(signers.issuer.address, agencies.civil);
    });

    it("hands a dissolved agency's certificates to its successor, not to its old keys", async function () {
      const { registry, directory, agencies, signers } = await loadFixture(issuedPermitFixture);
      await directory.dissolveAgency(agencies.civil, agencies.successor);
      await expect(registry.connect(signers.issuer).suspend(ID))
        .to.be.revertedWithCustomError(registry, "CertificateManagerUnauthorized")
        .withArgs(signers.issuer.address, agencies.civil);
      await expect(registry.connect(signers.successorIssuer).suspend(ID)).to.emit(registry, "CertificateSuspended");
      await expect(registry.connect(signers.successorIssuer).revoke(ID, 1)).to.emit(registry, "CertificateRevoked");
      // Issued before the dissolution by a key that could act then: still issued by an authorized key.
      expect(await registry.issuerWasAuthorized(ID)).to.equal(true);
    });

    it("lets the successor supersede a dissolved agency's certificate with one of its own types", async function () {
      const { registry, directory, agencies, signers } = await loadFixture(issuedPermitFixture);
      await directory.dissolveAgency(agencies.civil, agencies.successor);
      const successorType = await registerType(
        registry,
        signers.successorIssuer,
        agencies.successor,
        "Residence permit",
        true,
        ONE_YEAR,
      );
      const corrected = certificateId("permit-1-reissued");
      await registry.connect(signers.successorIssuer).supersede(ID, corrected, successorType, HOLDER, 0, 0);
      expect((await registry.verifyStatus(corrected)).agencyId).to.equal(agencies.successor);
      expect((await registry.verifyStatus(ID)).supersededBy).to.equal(corrected);
    });
  });

  describe("key rotation", function () {
    it("keeps certificates valid after their issuing key is removed", async function () {
      const { registry, directory, agencies, signers } = await loadFixture(issuedPermitFixture);
      await directory.connect(signers.civilAdmin).removeOperator(agencies.civil, signers.issuer.address);
      expect(await registry.issuerWasAuthorized(ID)).to.equal(true);
      const verification = await registry.verifyStatus(ID);
      expect(verification.issuerAuthorized).to.equal(true);
      expect(verification.valid).to.equal(true);
    });

    it("invalidates only what a compromised key issued at or after the reported time", async function () {
      const { registry, directory, types, agencies, signers } = await loadFixture(deployCertificateFixture);
      const [before, at, after] = certificateIds("rotation", 3);
      const civil = registry.connect(signers.issuer);
      const t0 = BigInt(await time.latest()) + 100n;
      await time.setNextBlockTimestamp(t0);
      await civil.issue(before, types.permitType, HOLDER, 0, 0);
      await time.setNextBlockTimestamp(t0 + 100n);
      await civil.issue(at, types.permitType, HOLDER, 0, 0);
      await time.setNextBlockTimestamp(t0 + 200n);
      await civil.issue(after, types.permitType, HOLDER, 0, 0);
      await directory
        .connect(signers.civilAdmin)
        .reportKeyCompromised(agencies.civil, signers.issuer.address, t0 + 100n);

      expect(await registry.issuerWasAuthorized(before)).to.equal(true);
      expect((await registry.verifyStatus(before)).valid).to.equal(true);
      for (const id of [at, after]) {
        expect(await registry.issuerWasAuthorized(id)).to.equal(false);
        const verification = await registry.verifyStatus(id);
        expect(verification.status).to.equal(CertificateStatus.Issued);
        expect(verification.issuerAuthorized).to.equal(false);
        expect(verification.valid).to.equal(false);
      }
    });

    it("invalidates a batch anchored by a compromised key at or after the reported time, not one before", async function () {
      const { registry, directory, types, agencies, signers } = await loadFixture(deployCertificateFixture);
      const early = batchTree(certificateIds("early", 4));
      const late = batchTree(certificateIds("late", 4));
      const civil = registry.connect(signers.issuer);
      await civil.anchorBatch(early.root, types.permitType, 4, 0, 0);
      const since = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(since);
      await civil.anchorBatch(late.root, types.permitType, 4, 0, 0);
      await directory.connect(signers.civilAdmin).reportKeyCompromised(agencies.civil, signers.issuer.address, since);

      const earlyId = certificateId("early-0");
      const lateId = certificateId("late-0");
      expect(await registry.anchoredIssuerWasAuthorized(earlyId, early.root, proofOf(early, earlyId))).to.equal(true);
      expect(await registry.anchoredIssuerWasAuthorized(lateId, late.root, proofOf(late, lateId))).to.equal(false);
      expect((await registry.verifyAnchoredStatus(lateId, late.root, proofOf(late, lateId))).valid).to.equal(false);
      // Detaching keeps the issuer and the time, so the answer does not change.
      await registry.connect(signers.secondIssuer).suspendAnchored(lateId, late.root, proofOf(late, lateId));
      expect(await registry.issuerWasAuthorized(lateId)).to.equal(false);
    });
  });

  describe("views", function () {
    it("answers many statuses in one call", async function () {
      const { registry, types, signers } = await loadFixture(issuedPermitFixture);
      const [suspended, unknown] = certificateIds("views", 2);
      await registry.connect(signers.issuer).issue(suspended, types.permitType, HOLDER, 0, 0);
      await registry.connect(signers.issuer).suspend(suspended);
      expect(await registry.statusOfMany([ID, suspended, unknown])).to.deep.equal([
        BigInt(CertificateStatus.Issued),
        BigInt(CertificateStatus.Suspended),
        BigInt(CertificateStatus.None),
      ]);
    });

    it("returns an empty verification for an unknown certificate", async function () {
      const { registry } = await loadFixture(deployCertificateFixture);
      const verification = await registry.verifyStatus(ID);
      expect(verification.status).to.equal(CertificateStatus.None);
      expect(verification.typeId).to.equal(0);
      expect(verification.issuerAuthorized).to.equal(false);
      expect(verification.valid).to.equal(false);
    });
  });

  describe("gas", function () {
    // Targets from the issue, measured as receipt.gasUsed with the registry AND the directory behind UUPS proxies.
    // Where a target cannot be met, the ceiling is the measured value (rounded up) and the comment says why; the
    // full breakdown is in docs/decisions/0005-certificate-registry-records-and-gas.md.

    it("issues one certificate within 71,000 gas (target 60,000 is unreachable behind two proxies)", async function () {
      // 21,000 base + 1,484 calldata + 22,100 new record slot + 13,168 directory.authorizedKey (cold directory proxy
      // and implementation 7,500) + 4,911 registry proxy + 4,200 directory address and type reads + 1,875 event
      // already exceed 60,000 before any code runs.
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      const gas = await gasUsed(registry.connect(signers.issuer).issue(ID, types.permitType, HOLDER, 0, 0));
      expect(gas).to.be.lte(71_000n);
    });

    it("issues a batch of 100 within 26,000 gas per certificate", async function () {
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      const ids = certificateIds("gas-batch", 100);
      const holders = ids.map((id) => holderCommitment(id));
      const gas = await gasUsed(registry.connect(signers.issuer).issueBatch(types.permitType, ids, holders, 0, 0));
      expect(gas / 100n).to.be.lte(26_000n);
    });

    it("anchors a batch within 72,200 gas whatever its size (target 60,000 is unreachable behind two proxies)", async function () {
      // Same fixed costs as a single issue (the batch record is one new slot), plus a four-word event.
      const { registry, types, signers } = await loadFixture(deployCertificateFixture);
      const small = batchTree(certificateIds("gas-small", 2));
      const large = batchTree(certificateIds("gas-large", 5_000));
      const civil = registry.connect(signers.issuer);
      const smallGas = await gasUsed(civil.anchorBatch(small.root, types.permitType, 2, 0, 0));
      const largeGas = await gasUsed(civil.anchorBatch(large.root, types.permitType, 5_000, 0, 0));
      expect(smallGas).to.be.lte(72_200n);
      expect(largeGas).to.be.lte(72_200n);
      expect(largeGas - smallGas).to.be.lte(100n);
    });

    it("revokes within 52,600 gas (target 35,000 is unreachable behind two proxies)", async function () {
      // 21,716 base and calldata + 13,370 directory.canActForRecordsOf through its proxy + 4,893 registry proxy
      // already make 39,979 before reading the record (2,100) and writing it (2,900).
      const { registry, signers } = await loadFixture(issuedPermitFixture);
      const gas = await gasUsed(registry.connect(signers.issuer).revoke(ID, REASON_KEY_COMPROMISE));
      expect(gas).to.be.lte(52_600n);
    });

    it("answers statusOf to another contract within 10,500 gas cold (target 10,000 is unreachable behind a proxy)", async function () {
      // Cold account access to the proxy (2,600) + implementation slot (2,100) + cold implementation (2,600) + the
      // record slot (2,100) = 9,400, plus 193 in the OpenZeppelin proxy and about 270 in GasProbe itself, leave
      // under 140 gas for dispatch and ABI coding, which no compiled function achieves.
      const { registry, probe } = await loadFixture(issuedPermitFixture);
      const data = registry.interface.encodeFunctionData("statusOf", [ID]);
      const [gas, success, result] = await probe.measure(await registry.getAddress(), data);
      expect(success).to.equal(true);
      expect(registry.interface.decodeFunctionResult("statusOf", result)[0]).to.equal(CertificateStatus.Issued);
      expect(gas).to.be.lte(10_500n);
    });
  });
});
