import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { expect } from "chai";
import { ethers, network, upgrades } from "hardhat";

import { AgencyStatus, Capability, capabilityMask, ALL_CAPABILITIES } from "../../sdk/src/utils/capabilities";
import { deployDirectory, onboard } from "../helpers/directory";

const { IssueCertificates, RegisterTitles, AccreditAgencies, FreezeTitles } = Capability;

/** Gas ceilings (deterministic): the hot view as another contract pays for it, and onboarding an agency. */
const CAN_ACT_GAS_CEILING = 15_000;
const CAN_ACT_CHILD_GAS_CEILING = 18_000;
// Onboarding stores the name and jurisdiction strings (front-ends read them) and the first history checkpoint.
const ONBOARD_GAS_CEILING = 230_000;
const ADD_OPERATOR_GAS_CEILING = 130_000;

describe("AgencyDirectory", function () {
  async function deployFixture() {
    const [governance, cityAdmin, districtAdmin, operator, secondOperator, outsider, streetAdmin] =
      await ethers.getSigners();
    const directory = await deployDirectory();
    const cityCapabilities = capabilityMask("IssueCertificates", "RegisterTitles", "AccreditAgencies");
    const cityId = await onboard(
      directory,
      "Shanghai Municipal Government",
      "CN/31",
      cityAdmin.address,
      cityCapabilities,
    );
    return { directory, governance, cityAdmin, districtAdmin, operator, secondOperator, outsider, streetAdmin, cityId };
  }

  async function withDistrictFixture() {
    const base = await loadFixture(deployFixture);
    const { directory, cityAdmin, districtAdmin, cityId } = base;
    await directory
      .connect(cityAdmin)
      .accreditAgency(
        cityId,
        "Xuhui District Government",
        "CN/31/04",
        districtAdmin.address,
        IssueCertificates | AccreditAgencies,
      );
    const districtId = cityId + 1n;
    await directory.connect(districtAdmin).addOperator(districtId, base.operator.address);
    return { ...base, districtId };
  }

  describe("initialize", function () {
    it("makes the given account governance and nobody else", async function () {
      const { directory, governance, outsider } = await loadFixture(deployFixture);
      expect(await directory.isGovernor(governance.address)).to.be.true;
      expect(await directory.isGovernor(outsider.address)).to.be.false;
    });

    it("refuses a zero governance account with ZeroAddress", async function () {
      const factory = await ethers.getContractFactory("AgencyDirectory");
      await expect(upgrades.deployProxy(factory, [ethers.ZeroAddress], { kind: "uups" })).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
    });

    it("cannot be initialised twice, nor the implementation at all", async function () {
      const { directory, outsider } = await loadFixture(deployFixture);
      await expect(directory.initialize(outsider.address)).to.be.revertedWithCustomError(
        directory,
        "InvalidInitialization",
      );
      const implementation = await ethers.getContractAt(
        "AgencyDirectory",
        await upgrades.erc1967.getImplementationAddress(await directory.getAddress()),
      );
      await expect(implementation.initialize(outsider.address)).to.be.revertedWithCustomError(
        directory,
        "InvalidInitialization",
      );
    });
  });

  describe("onboardAgency", function () {
    it("records the agency and emits AgencyOnboarded", async function () {
      const { directory, cityAdmin, cityId } = await loadFixture(deployFixture);
      const record = await directory.agency(cityId);
      expect(record.id).to.equal(cityId);
      expect(record.name).to.equal("Shanghai Municipal Government");
      expect(record.jurisdiction).to.equal("CN/31");
      expect(record.admin).to.equal(cityAdmin.address);
      expect(record.parentId).to.equal(0n);
      expect(record.depth).to.equal(1n);
      expect(record.status).to.equal(BigInt(AgencyStatus.Active));
      expect(record.capabilities).to.equal(BigInt(IssueCertificates | RegisterTitles | AccreditAgencies));
      expect(record.onboardedAt).to.equal(BigInt(await time.latest()));
      expect(await directory.agencyCount()).to.equal(1n);

      await expect(directory.onboardAgency("Beijing", "CN/11", cityAdmin.address, FreezeTitles))
        .to.emit(directory, "AgencyOnboarded")
        .withArgs(2n, 0n, cityAdmin.address, "Beijing", "CN/11", FreezeTitles);
    });

    it("is governance only", async function () {
      const { directory, outsider } = await loadFixture(deployFixture);
      await expect(directory.connect(outsider).onboardAgency("X", "CN", outsider.address, 0))
        .to.be.revertedWithCustomError(directory, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ethers.ZeroHash);
    });

    it("refuses bad names, jurisdictions, admins and capabilities", async function () {
      const { directory, outsider } = await loadFixture(deployFixture);
      await expect(directory.onboardAgency("", "CN", outsider.address, 0))
        .to.be.revertedWithCustomError(directory, "InvalidAgencyName")
        .withArgs(0n);
      const longName = "x".repeat(129);
      await expect(directory.onboardAgency(longName, "CN", outsider.address, 0))
        .to.be.revertedWithCustomError(directory, "InvalidAgencyName")
        .withArgs(129n);
      for (const bad of ["", "/CN", "CN/", "CN//31", "C".repeat(65)]) {
        await expect(directory.onboardAgency("X", bad, outsider.address, 0))
          .to.be.revertedWithCustomError(directory, "InvalidJurisdiction")
          .withArgs(bad);
      }
      await expect(directory.onboardAgency("X", "CN", ethers.ZeroAddress, 0)).to.be.revertedWithCustomError(
        directory,
        "ZeroAddress",
      );
      const unknownBit = 1 << 20;
      await expect(directory.onboardAgency("X", "CN", outsider.address, unknownBit))
        .to.be.revertedWithCustomError(directory, "UnknownCapabilities")
        .withArgs(unknownBit);
    });

    it("stays under its gas ceiling", async function () {
      const { directory, outsider } = await loadFixture(deployFixture);
      const receipt = await (
        await directory.onboardAgency(
          "Shanghai Housing Administration Bureau",
          "CN/31",
          outsider.address,
          ALL_CAPABILITIES,
        )
      ).wait();
      expect(receipt!.gasUsed).to.be.lessThanOrEqual(ONBOARD_GAS_CEILING);
    });
  });

  describe("accreditAgency (hierarchy)", function () {
    it("lets a parent's admin accredit a child with a subset of its capabilities inside its jurisdiction", async function () {
      const { directory, cityAdmin, districtAdmin, cityId, districtId } = await loadFixture(withDistrictFixture);
      const child = await directory.agency(districtId);
      expect(child.parentId).to.equal(cityId);
      expect(child.depth).to.equal(2n);
      expect(child.jurisdiction).to.equal("CN/31/04");
      expect((await directory.agency(cityId)).liveChildren).to.equal(1n);
      await expect(
        directory.connect(cityAdmin).accreditAgency(cityId, "Huangpu", "CN/31", districtAdmin.address, RegisterTitles),
      )
        .to.emit(directory, "AgencyOnboarded")
        .withArgs(districtId + 1n, cityId, districtAdmin.address, "Huangpu", "CN/31", RegisterTitles);
    });

    it("lets governance accredit below any agency", async function () {
      const { directory, districtAdmin, cityId } = await loadFixture(deployFixture);
      await expect(directory.accreditAgency(cityId, "Minhang", "CN/31/12", districtAdmin.address, IssueCertificates)).to
        .not.be.reverted;
    });

    it("refuses anyone but the parent's admin or governance with AgencyAdminRequired", async function () {
      const { directory, outsider, cityId } = await loadFixture(deployFixture);
      await expect(directory.connect(outsider).accreditAgency(cityId, "X", "CN/31/01", outsider.address, 0))
        .to.be.revertedWithCustomError(directory, "AgencyAdminRequired")
        .withArgs(cityId, outsider.address);
    });

    it("refuses an unknown parent with UnknownAgency", async function () {
      const { directory, outsider } = await loadFixture(deployFixture);
      await expect(directory.accreditAgency(99, "X", "CN", outsider.address, 0))
        .to.be.revertedWithCustomError(directory, "UnknownAgency")
        .withArgs(99n);
    });

    it("never grants more than the parent holds", async function () {
      const { directory, cityAdmin, outsider, cityId } = await loadFixture(deployFixture);
      await expect(directory.connect(cityAdmin).accreditAgency(cityId, "X", "CN/31/01", outsider.address, FreezeTitles))
        .to.be.revertedWithCustomError(directory, "CapabilitiesExceedParent")
        .withArgs(FreezeTitles, IssueCertificates | RegisterTitles | AccreditAgencies);
    });

    it("keeps a child's jurisdiction inside the parent's, segment by segment", async function () {
      const { directory, cityAdmin, outsider, cityId } = await loadFixture(deployFixture);
      for (const outside of ["CN/32", "CN/310", "CN"]) {
        await expect(directory.connect(cityAdmin).accreditAgency(cityId, "X", outside, outsider.address, 0))
          .to.be.revertedWithCustomError(directory, "JurisdictionOutsideParent")
          .withArgs(outside, "CN/31");
      }
      await expect(directory.connect(cityAdmin).accreditAgency(cityId, "X", "CN/31//4", outsider.address, 0))
        .to.be.revertedWithCustomError(directory, "InvalidJurisdiction")
        .withArgs("CN/31//4");
    });

    it("needs the parent to hold ACCREDIT_AGENCIES and be active", async function () {
      const { directory, cityAdmin, outsider, cityId } = await loadFixture(deployFixture);
      const courtId = await onboard(directory, "Court", "CN/31", cityAdmin.address, FreezeTitles);
      await expect(directory.connect(cityAdmin).accreditAgency(courtId, "X", "CN/31", outsider.address, 0))
        .to.be.revertedWithCustomError(directory, "AccreditationNotAllowed")
        .withArgs(courtId);
      await directory.suspendAgency(cityId);
      await expect(directory.connect(cityAdmin).accreditAgency(cityId, "X", "CN/31", outsider.address, 0))
        .to.be.revertedWithCustomError(directory, "AgencyNotActive")
        .withArgs(cityId, AgencyStatus.Suspended);
    });

    it("stops at the maximum depth with HierarchyTooDeep", async function () {
      const { directory, cityAdmin, cityId } = await loadFixture(deployFixture);
      const maxDepth = await directory.MAX_DEPTH();
      let parentId = cityId;
      let jurisdiction = "CN/31";
      for (let depth = 2n; depth <= maxDepth; depth++) {
        jurisdiction += `/${depth}`;
        await directory
          .connect(cityAdmin)
          .accreditAgency(parentId, `Level ${depth}`, jurisdiction, cityAdmin.address, AccreditAgencies);
        parentId = (await directory.agencyCount()) as bigint;
      }
      expect((await directory.agency(parentId)).depth).to.equal(maxDepth);
      await expect(
        directory.connect(cityAdmin).accreditAgency(parentId, "Too deep", jurisdiction, cityAdmin.address, 0),
      )
        .to.be.revertedWithCustomError(directory, "HierarchyTooDeep")
        .withArgs(parentId, maxDepth);
    });
  });

  describe("setCapabilities", function () {
    it("withdrawing a parent's capability withdraws it below at once, and granting it back restores it", async function () {
      const { directory, operator, cityId, districtId } = await loadFixture(withDistrictFixture);
      expect(await directory.canAct(operator.address, districtId, IssueCertificates)).to.be.true;
      await expect(directory.setCapabilities(cityId, RegisterTitles | AccreditAgencies))
        .to.emit(directory, "CapabilitiesChanged")
        .withArgs(cityId, IssueCertificates | RegisterTitles | AccreditAgencies, RegisterTitles | AccreditAgencies);
      expect(await directory.canAct(operator.address, districtId, IssueCertificates)).to.be.false;
      expect(await directory.effectiveCapabilities(districtId)).to.equal(BigInt(AccreditAgencies));
      await directory.setCapabilities(cityId, IssueCertificates | RegisterTitles | AccreditAgencies);
      expect(await directory.canAct(operator.address, districtId, IssueCertificates)).to.be.true;
    });

    it("lets the parent's admin change a child's capabilities, within its own", async function () {
      const { directory, cityAdmin, districtId } = await loadFixture(withDistrictFixture);
      await expect(directory.connect(cityAdmin).setCapabilities(districtId, RegisterTitles)).to.emit(
        directory,
        "CapabilitiesChanged",
      );
      await expect(directory.connect(cityAdmin).setCapabilities(districtId, FreezeTitles))
        .to.be.revertedWithCustomError(directory, "CapabilitiesExceedParent")
        .withArgs(FreezeTitles, IssueCertificates | RegisterTitles | AccreditAgencies);
    });

    it("refuses the agency's own admin, outsiders, unknown bits and dissolved agencies", async function () {
      const { directory, cityAdmin, districtAdmin, outsider, cityId, districtId } =
        await loadFixture(withDistrictFixture);
      await expect(directory.connect(districtAdmin).setCapabilities(districtId, 0))
        .to.be.revertedWithCustomError(directory, "ParentAuthorityRequired")
        .withArgs(districtId, districtAdmin.address);
      await expect(directory.connect(cityAdmin).setCapabilities(cityId, 0))
        .to.be.revertedWithCustomError(directory, "ParentAuthorityRequired")
        .withArgs(cityId, cityAdmin.address);
      await expect(directory.connect(outsider).setCapabilities(districtId, 0))
        .to.be.revertedWithCustomError(directory, "ParentAuthorityRequired")
        .withArgs(districtId, outsider.address);
      await expect(directory.setCapabilities(cityId, 1 << 30))
        .to.be.revertedWithCustomError(directory, "UnknownCapabilities")
        .withArgs(1 << 30);
      await expect(directory.setCapabilities(77, 0))
        .to.be.revertedWithCustomError(directory, "UnknownAgency")
        .withArgs(77);
      const otherId = await onboard(directory, "Other", "CN/31", outsider.address, IssueCertificates);
      await directory.dissolveAgency(districtId, otherId);
      await expect(directory.setCapabilities(districtId, 0))
        .to.be.revertedWithCustomError(directory, "AgencyNotActive")
        .withArgs(districtId, AgencyStatus.Dissolved);
    });
  });

  describe("operators", function () {
    it("adds an operator with a stable key id and removes it at once", async function () {
      const { directory, cityAdmin, operator, cityId } = await loadFixture(deployFixture);
      await expect(directory.connect(cityAdmin).addOperator(cityId, operator.address))
        .to.emit(directory, "OperatorAdded")
        .withArgs(cityId, operator.address, 1n);
      expect(await directory.canAct(operator.address, cityId, IssueCertificates)).to.be.true;
      expect(await directory.authorizedKey(operator.address, cityId, IssueCertificates)).to.equal(1n);
      expect(await directory.operatorKey(1)).to.deep.equal([operator.address, cityId]);

      await expect(directory.connect(cityAdmin).removeOperator(cityId, operator.address))
        .to.emit(directory, "OperatorRemoved")
        .withArgs(cityId, operator.address);
      expect(await directory.canAct(operator.address, cityId, IssueCertificates)).to.be.false;
      expect(await directory.authorizedKey(operator.address, cityId, IssueCertificates)).to.equal(0n);

      // The same pair keeps its key id when it comes back.
      await expect(directory.connect(cityAdmin).addOperator(cityId, operator.address))
        .to.emit(directory, "OperatorAdded")
        .withArgs(cityId, operator.address, 1n);
      expect(await directory.operatorStatus(cityId, operator.address)).to.deep.equal([true, 0n, 1n]);
    });

    it("lets governance manage any agency's operators", async function () {
      const { directory, operator, cityId } = await loadFixture(deployFixture);
      await directory.addOperator(cityId, operator.address);
      await directory.removeOperator(cityId, operator.address);
      expect((await directory.operatorStatus(cityId, operator.address))[0]).to.be.false;
    });

    it("refuses everyone else with AgencyAdminRequired", async function () {
      const { directory, operator, outsider, districtAdmin, cityId } = await loadFixture(withDistrictFixture);
      await expect(directory.connect(outsider).addOperator(cityId, operator.address))
        .to.be.revertedWithCustomError(directory, "AgencyAdminRequired")
        .withArgs(cityId, outsider.address);
      // A child's admin has no power over the parent.
      await expect(directory.connect(districtAdmin).removeOperator(cityId, operator.address))
        .to.be.revertedWithCustomError(directory, "AgencyAdminRequired")
        .withArgs(cityId, districtAdmin.address);
      await expect(directory.connect(outsider).reportKeyCompromised(cityId, operator.address, 1))
        .to.be.revertedWithCustomError(directory, "AgencyAdminRequired")
        .withArgs(cityId, outsider.address);
    });

    it("refuses duplicates, removals of non-operators, zero addresses and unknown key ids", async function () {
      const { directory, cityAdmin, operator, outsider, cityId } = await loadFixture(deployFixture);
      await directory.connect(cityAdmin).addOperator(cityId, operator.address);
      await expect(directory.connect(cityAdmin).addOperator(cityId, operator.address))
        .to.be.revertedWithCustomError(directory, "OperatorAlreadyActive")
        .withArgs(cityId, operator.address);
      await expect(directory.connect(cityAdmin).removeOperator(cityId, outsider.address))
        .to.be.revertedWithCustomError(directory, "OperatorNotActive")
        .withArgs(cityId, outsider.address);
      await expect(directory.connect(cityAdmin).addOperator(cityId, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        directory,
        "ZeroAddress",
      );
      await expect(directory.operatorKey(9)).to.be.revertedWithCustomError(directory, "UnknownKey").withArgs(9);
      await expect(directory.couldKeyActAt(9, 0, 0))
        .to.be.revertedWithCustomError(directory, "UnknownKey")
        .withArgs(9);
    });

    it("stays under its gas ceiling", async function () {
      const { directory, cityAdmin, operator, cityId } = await loadFixture(deployFixture);
      const receipt = await (await directory.connect(cityAdmin).addOperator(cityId, operator.address)).wait();
      expect(receipt!.gasUsed).to.be.lessThanOrEqual(ADD_OPERATOR_GAS_CEILING);
    });
  });

  describe("admin hand-over", function () {
    it("lets the admin or governance hand over, and the old admin loses its power", async function () {
      const { directory, cityAdmin, outsider, operator, cityId } = await loadFixture(deployFixture);
      await expect(directory.connect(cityAdmin).setAgencyAdmin(cityId, outsider.address))
        .to.emit(directory, "AgencyAdminChanged")
        .withArgs(cityId, cityAdmin.address, outsider.address);
      await expect(directory.connect(cityAdmin).addOperator(cityId, operator.address))
        .to.be.revertedWithCustomError(directory, "AgencyAdminRequired")
        .withArgs(cityId, cityAdmin.address);
      await directory.setAgencyAdmin(cityId, cityAdmin.address);
      expect((await directory.agency(cityId)).admin).to.equal(cityAdmin.address);
      await expect(
        directory.connect(cityAdmin).setAgencyAdmin(cityId, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(directory, "ZeroAddress");
      await expect(directory.connect(operator).setAgencyAdmin(cityId, operator.address))
        .to.be.revertedWithCustomError(directory, "AgencyAdminRequired")
        .withArgs(cityId, operator.address);
    });
  });

  describe("suspension", function () {
    it("stops every account of the agency and of its children at once, and reinstating restores them", async function () {
      const { directory, cityAdmin, operator, secondOperator, cityId, districtId } =
        await loadFixture(withDistrictFixture);
      await directory.connect(cityAdmin).addOperator(cityId, secondOperator.address);
      await expect(directory.suspendAgency(cityId)).to.emit(directory, "AgencySuspended").withArgs(cityId);
      expect(await directory.canAct(secondOperator.address, cityId, 0)).to.be.false;
      expect(await directory.canAct(operator.address, districtId, IssueCertificates)).to.be.false;
      expect(await directory.effectiveCapabilities(districtId)).to.equal(0n);
      await expect(directory.reinstateAgency(cityId)).to.emit(directory, "AgencyReinstated").withArgs(cityId);
      expect(await directory.canAct(secondOperator.address, cityId, 0)).to.be.true;
      expect(await directory.canAct(operator.address, districtId, IssueCertificates)).to.be.true;
    });

    it("lets the parent's admin suspend a child, but not the child's own admin", async function () {
      const { directory, cityAdmin, districtAdmin, districtId } = await loadFixture(withDistrictFixture);
      await expect(directory.connect(districtAdmin).suspendAgency(districtId))
        .to.be.revertedWithCustomError(directory, "ParentAuthorityRequired")
        .withArgs(districtId, districtAdmin.address);
      await directory.connect(cityAdmin).suspendAgency(districtId);
      await expect(directory.connect(districtAdmin).reinstateAgency(districtId))
        .to.be.revertedWithCustomError(directory, "ParentAuthorityRequired")
        .withArgs(districtId, districtAdmin.address);
      await directory.connect(cityAdmin).reinstateAgency(districtId);
    });

    it("a suspended parent's admin loses authority over its children", async function () {
      const { directory, cityAdmin, cityId, districtId } = await loadFixture(withDistrictFixture);
      await directory.suspendAgency(cityId);
      await expect(directory.connect(cityAdmin).suspendAgency(districtId))
        .to.be.revertedWithCustomError(directory, "ParentAuthorityRequired")
        .withArgs(districtId, cityAdmin.address);
    });

    it("refuses to suspend twice or reinstate an active agency", async function () {
      const { directory, cityId } = await loadFixture(deployFixture);
      await expect(directory.reinstateAgency(cityId))
        .to.be.revertedWithCustomError(directory, "AgencyNotSuspended")
        .withArgs(cityId, AgencyStatus.Active);
      await directory.suspendAgency(cityId);
      await expect(directory.suspendAgency(cityId))
        .to.be.revertedWithCustomError(directory, "AgencyNotActive")
        .withArgs(cityId, AgencyStatus.Suspended);
    });
  });

  describe("succession", function () {
    it("hands a dissolved agency's records to its successor, not to its old keys", async function () {
      const { directory, cityAdmin, districtAdmin, operator, secondOperator, cityId, districtId } =
        await loadFixture(withDistrictFixture);
      await directory
        .connect(cityAdmin)
        .accreditAgency(cityId, "Xuhui-Minhang Merged District", "CN/31/04", districtAdmin.address, IssueCertificates);
      const mergedId = districtId + 1n;
      await directory.connect(districtAdmin).addOperator(mergedId, secondOperator.address);

      await expect(directory.connect(cityAdmin).dissolveAgency(districtId, mergedId))
        .to.emit(directory, "AgencyDissolved")
        .withArgs(districtId, mergedId);
      expect(await directory.recordKeeper(districtId)).to.equal(mergedId);
      expect(await directory.canAct(operator.address, districtId, IssueCertificates)).to.be.false;
      expect(await directory.canActForRecordsOf(operator.address, districtId, IssueCertificates)).to.be.false;
      expect(await directory.canActForRecordsOf(secondOperator.address, districtId, IssueCertificates)).to.be.true;
      expect((await directory.agency(cityId)).liveChildren).to.equal(1n);
      const dissolved = await directory.agency(districtId);
      expect(dissolved.status).to.equal(BigInt(AgencyStatus.Dissolved));
      expect(dissolved.successorId).to.equal(mergedId);
    });

    it("follows a chain of successions", async function () {
      const { directory, outsider, operator, cityId, districtId } = await loadFixture(withDistrictFixture);
      const a = await onboard(directory, "A", "CN/31", outsider.address, IssueCertificates);
      const b = await onboard(directory, "B", "CN/31", outsider.address, IssueCertificates);
      await directory.dissolveAgency(districtId, a);
      await directory.dissolveAgency(a, b);
      expect(await directory.recordKeeper(districtId)).to.equal(b);
      expect(await directory.recordKeeper(cityId)).to.equal(cityId);
      await directory.connect(outsider).addOperator(b, operator.address);
      expect(await directory.canActForRecordsOf(operator.address, districtId, IssueCertificates)).to.be.true;
    });

    it("refuses bad successors, live children, repeated dissolution and outsiders", async function () {
      const { directory, outsider, districtAdmin, cityId, districtId } = await loadFixture(withDistrictFixture);
      await expect(directory.dissolveAgency(districtId, districtId))
        .to.be.revertedWithCustomError(directory, "InvalidSuccessor")
        .withArgs(districtId, districtId);
      await expect(directory.dissolveAgency(districtId, 99))
        .to.be.revertedWithCustomError(directory, "InvalidSuccessor")
        .withArgs(districtId, 99);
      const suspendedId = await onboard(directory, "S", "CN/31", outsider.address, 0);
      await directory.suspendAgency(suspendedId);
      await expect(directory.dissolveAgency(districtId, suspendedId))
        .to.be.revertedWithCustomError(directory, "InvalidSuccessor")
        .withArgs(districtId, suspendedId);
      await expect(directory.dissolveAgency(cityId, districtId))
        .to.be.revertedWithCustomError(directory, "AgencyHasLiveChildren")
        .withArgs(cityId, 1);
      await expect(directory.connect(districtAdmin).dissolveAgency(districtId, cityId))
        .to.be.revertedWithCustomError(directory, "ParentAuthorityRequired")
        .withArgs(districtId, districtAdmin.address);
      await directory.dissolveAgency(districtId, cityId);
      await expect(directory.dissolveAgency(districtId, cityId))
        .to.be.revertedWithCustomError(directory, "AgencyNotActive")
        .withArgs(districtId, AgencyStatus.Dissolved);
      await expect(directory.reinstateAgency(districtId))
        .to.be.revertedWithCustomError(directory, "AgencyNotSuspended")
        .withArgs(districtId, AgencyStatus.Dissolved);
      await expect(directory.connect(districtAdmin).addOperator(districtId, outsider.address))
        .to.be.revertedWithCustomError(directory, "AgencyNotActive")
        .withArgs(districtId, AgencyStatus.Dissolved);
    });

    it("dissolves a suspended agency too", async function () {
      const { directory, cityId, districtId } = await loadFixture(withDistrictFixture);
      await directory.suspendAgency(districtId);
      await expect(directory.dissolveAgency(districtId, cityId)).to.emit(directory, "AgencyDissolved");
    });
  });

  describe("point-in-time answers", function () {
    it("answers for any past time across key changes, suspensions and capability changes", async function () {
      const { directory, cityAdmin, operator, cityId } = await loadFixture(deployFixture);
      const beforeAdd = await time.latest();
      await time.increase(10);
      await directory.connect(cityAdmin).addOperator(cityId, operator.address);
      const added = await time.latest();
      await time.increase(10);
      await directory.suspendAgency(cityId);
      const suspended = await time.latest();
      await time.increase(10);
      await directory.reinstateAgency(cityId);
      const reinstated = await time.latest();
      await time.increase(10);
      await directory.setCapabilities(cityId, RegisterTitles);
      const withdrawn = await time.latest();
      await time.increase(10);
      await directory.connect(cityAdmin).removeOperator(cityId, operator.address);
      const removed = await time.latest();
      await time.increase(5);

      const at = (t: number) => directory.couldActAt(operator.address, cityId, IssueCertificates, t);
      expect(await at(beforeAdd)).to.be.false;
      expect(await at(added)).to.be.true;
      // A withdrawal shows in history from the next second: what the key did earlier in its block was allowed.
      expect(await at(suspended)).to.be.true;
      expect(await at(suspended + 1)).to.be.false;
      expect(await at(reinstated)).to.be.true;
      expect(await at(withdrawn)).to.be.true;
      expect(await at(withdrawn + 1)).to.be.false;
      expect(await directory.couldActAt(operator.address, cityId, RegisterTitles, removed)).to.be.true;
      expect(await directory.couldActAt(operator.address, cityId, RegisterTitles, removed + 1)).to.be.false;
      expect(await directory.couldKeyActAt(1, IssueCertificates, added)).to.be.true;
    });

    it("keeps history ordered when a key is removed and added back in the same block", async function () {
      const { directory, cityAdmin, operator, cityId } = await loadFixture(deployFixture);
      await directory.connect(cityAdmin).addOperator(cityId, operator.address);
      await network.provider.send("evm_setAutomine", [false]);
      try {
        const removal = await directory.connect(cityAdmin).removeOperator(cityId, operator.address);
        const readd = await directory.connect(cityAdmin).addOperator(cityId, operator.address);
        await network.provider.send("evm_mine", []);
        expect((await removal.wait())!.status).to.equal(1);
        expect((await readd.wait())!.status).to.equal(1);
      } finally {
        await network.provider.send("evm_setAutomine", [true]);
      }
      const block = await time.latest();
      await time.increase(5);
      expect(await directory.couldActAt(operator.address, cityId, IssueCertificates, block)).to.be.true;
      expect(await directory.couldActAt(operator.address, cityId, IssueCertificates, block + 1)).to.be.true;
      expect(await directory.canAct(operator.address, cityId, IssueCertificates)).to.be.true;
    });

    it("follows the hierarchy as it was at that time", async function () {
      const { directory, operator, cityId, districtId } = await loadFixture(withDistrictFixture);
      const before = await time.latest();
      await time.increase(10);
      await directory.setCapabilities(cityId, AccreditAgencies);
      const after = (await time.latest()) + 1;
      await time.increase(5);
      expect(await directory.couldActAt(operator.address, districtId, IssueCertificates, before)).to.be.true;
      expect(await directory.couldActAt(operator.address, districtId, IssueCertificates, after)).to.be.false;
    });

    it("distrusts a compromised key from the reported time on, and never lets it back", async function () {
      const { directory, cityAdmin, operator, cityId } = await loadFixture(deployFixture);
      await directory.connect(cityAdmin).addOperator(cityId, operator.address);
      const added = await time.latest();
      await time.increase(100);
      const compromised = added + 50;
      await expect(directory.connect(cityAdmin).reportKeyCompromised(cityId, operator.address, compromised))
        .to.emit(directory, "OperatorKeyCompromised")
        .withArgs(cityId, operator.address, compromised)
        .and.to.emit(directory, "OperatorRemoved");
      expect(await directory.canAct(operator.address, cityId, 0)).to.be.false;
      expect(await directory.couldActAt(operator.address, cityId, IssueCertificates, compromised - 1)).to.be.true;
      expect(await directory.couldActAt(operator.address, cityId, IssueCertificates, compromised)).to.be.false;
      await expect(directory.connect(cityAdmin).addOperator(cityId, operator.address))
        .to.be.revertedWithCustomError(directory, "OperatorKeyWasCompromised")
        .withArgs(cityId, operator.address);
      // A later report can only move the start earlier.
      await directory.reportKeyCompromised(cityId, operator.address, compromised + 10);
      expect((await directory.operatorStatus(cityId, operator.address))[1]).to.equal(BigInt(compromised));
      await directory.reportKeyCompromised(cityId, operator.address, 0);
      expect((await directory.operatorStatus(cityId, operator.address))[1]).to.equal(1n);
    });

    it("refuses reports about unknown keys or future times, and questions about the future", async function () {
      const { directory, cityAdmin, operator, outsider, cityId } = await loadFixture(deployFixture);
      await expect(directory.connect(cityAdmin).reportKeyCompromised(cityId, outsider.address, 1))
        .to.be.revertedWithCustomError(directory, "OperatorUnknown")
        .withArgs(cityId, outsider.address);
      await directory.connect(cityAdmin).addOperator(cityId, operator.address);
      const now = await time.latest();
      await expect(directory.connect(cityAdmin).reportKeyCompromised(cityId, operator.address, now + 1000))
        .to.be.revertedWithCustomError(directory, "CompromiseInFuture")
        .withArgs(now + 1000, now + 1);
      await expect(directory.couldActAt(operator.address, cityId, 0, now + 1000))
        .to.be.revertedWithCustomError(directory, "TimepointInFuture")
        .withArgs(now + 1000, anyValue);
    });
  });

  describe("canAct", function () {
    it("needs every requested capability bit", async function () {
      const { directory, cityAdmin, operator, cityId } = await loadFixture(deployFixture);
      await directory.connect(cityAdmin).addOperator(cityId, operator.address);
      expect(await directory.canAct(operator.address, cityId, IssueCertificates | RegisterTitles)).to.be.true;
      expect(await directory.canAct(operator.address, cityId, IssueCertificates | FreezeTitles)).to.be.false;
      expect(await directory.canAct(operator.address, 42, 0)).to.be.false;
      expect(await directory.effectiveCapabilities(0)).to.equal(0n);
    });

    it("costs another contract at most its ceiling, cold, for a top-level and a child agency", async function () {
      const { directory, operator, cityAdmin, cityId, districtId } = await loadFixture(withDistrictFixture);
      await directory.connect(cityAdmin).addOperator(cityId, operator.address);
      const probe = await (await ethers.getContractFactory("GasProbe")).deploy();
      const measure = async (agencyId: bigint) => {
        const data = directory.interface.encodeFunctionData("canAct", [operator.address, agencyId, IssueCertificates]);
        const [gasUsed, success] = await probe.measure(await directory.getAddress(), data);
        expect(success).to.be.true;
        return gasUsed;
      };
      expect(await measure(cityId)).to.be.lessThanOrEqual(CAN_ACT_GAS_CEILING);
      expect(await measure(districtId)).to.be.lessThanOrEqual(CAN_ACT_CHILD_GAS_CEILING);
    });
  });

  describe("upgrades", function () {
    it("lets governance upgrade, keeping state, and refuses anyone else", async function () {
      const { directory, outsider, cityId } = await loadFixture(deployFixture);
      const factory = await ethers.getContractFactory("AgencyDirectory");
      const upgraded = await upgrades.upgradeProxy(await directory.getAddress(), factory, {
        kind: "uups",
        redeployImplementation: "always",
      });
      expect((await upgraded.agency(cityId)).name).to.equal("Shanghai Municipal Government");
      const newImplementation = await (await ethers.getContractFactory("AgencyDirectory")).deploy();
      await expect(directory.connect(outsider).upgradeToAndCall(await newImplementation.getAddress(), "0x"))
        .to.be.revertedWithCustomError(directory, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ethers.ZeroHash);
    });

    it("passes the upgrades plugin's storage-layout validation", async function () {
      const factory = await ethers.getContractFactory("AgencyDirectory");
      await upgrades.validateImplementation(factory, { kind: "uups" });
    });

    it("reports its version", async function () {
      const { directory } = await loadFixture(deployFixture);
      expect(await directory.VERSION()).to.equal("1.0.0");
    });
  });
});
