import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";

import { capabilityMask } from "../../sdk/src/utils/capabilities";
import { deployDirectory, onboard } from "../helpers/directory";

/** What Besu pays to ask the rules about a registered operator of a top-level agency (cold). */
const TRANSACTION_ALLOWED_GAS_CEILING = 30_000;

describe("AccountRules", function () {
  async function deployFixture() {
    const [governance, cityAdmin, districtAdmin, operator, districtOperator, outsider, otherAdmin, platform] =
      await ethers.getSigners();
    const directory = await deployDirectory();
    const cityId = await onboard(
      directory,
      "Shanghai Municipal Government",
      "CN/31",
      cityAdmin.address,
      capabilityMask("IssueCertificates", "AccreditAgencies"),
    );
    await directory
      .connect(cityAdmin)
      .accreditAgency(
        cityId,
        "Xuhui District Government",
        "CN/31/04",
        districtAdmin.address,
        capabilityMask("IssueCertificates"),
      );
    const districtId = cityId + 1n;
    const otherId = await onboard(directory, "Land Registry", "CN/31", otherAdmin.address, 0);
    await directory.connect(cityAdmin).addOperator(cityId, operator.address);
    await directory.connect(districtAdmin).addOperator(districtId, districtOperator.address);

    const rules = await (await ethers.getContractFactory("AccountRules")).deploy(await directory.getAddress());
    await rules.connect(cityAdmin).registerAccount(operator.address, cityId);
    await rules.connect(districtAdmin).registerAccount(districtOperator.address, districtId);
    return {
      directory,
      rules,
      governance,
      cityAdmin,
      districtAdmin,
      operator,
      districtOperator,
      outsider,
      otherAdmin,
      platform,
      cityId,
      districtId,
      otherId,
    };
  }

  /** `transactionAllowed` with the fixed arguments Besu passes; only the sender matters. */
  async function allowed(rules: Awaited<ReturnType<typeof deployFixture>>["rules"], sender: string) {
    const viaHook = await rules.transactionAllowed(sender, ethers.ZeroAddress, 0n, 0n, 30_000_000n, "0x1234");
    expect(await rules.isAccountAllowed(sender)).to.equal(viaHook);
    return viaHook;
  }

  describe("constructor", function () {
    it("refuses a zero directory with AccountRulesZeroAddress", async function () {
      const factory = await ethers.getContractFactory("AccountRules");
      await expect(factory.deploy(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        factory,
        "AccountRulesZeroAddress",
      );
    });

    it("points at the directory and carries a version", async function () {
      const { rules, directory } = await loadFixture(deployFixture);
      expect(await rules.DIRECTORY()).to.equal(await directory.getAddress());
      expect(await rules.VERSION()).to.equal("1.0.0");
    });
  });

  describe("transactionAllowed", function () {
    it("allows governance without any registration", async function () {
      const { rules, governance } = await loadFixture(deployFixture);
      expect(await allowed(rules, governance.address)).to.be.true;
    });

    it("allows a registered active operator of an active agency, whatever the other arguments", async function () {
      const { rules, operator, districtOperator } = await loadFixture(deployFixture);
      expect(await allowed(rules, operator.address)).to.be.true;
      expect(await allowed(rules, districtOperator.address)).to.be.true;
      expect(await rules.transactionAllowed(operator.address, operator.address, 1n, 7n, 21_000n, "0x")).to.be.true;
    });

    it("refuses an outsider and an active operator nobody registered", async function () {
      const { rules, directory, cityAdmin, outsider, cityId } = await loadFixture(deployFixture);
      expect(await allowed(rules, outsider.address)).to.be.false;
      await directory.connect(cityAdmin).addOperator(cityId, outsider.address);
      expect(await directory.canAct(outsider.address, cityId, 0)).to.be.true;
      expect(await allowed(rules, outsider.address)).to.be.false;
    });

    it("refuses a registered operator once its key is removed, and again after it is re-added", async function () {
      const { rules, directory, cityAdmin, operator, cityId } = await loadFixture(deployFixture);
      await directory.connect(cityAdmin).removeOperator(cityId, operator.address);
      expect(await allowed(rules, operator.address)).to.be.false;
      await directory.connect(cityAdmin).addOperator(cityId, operator.address);
      expect(await allowed(rules, operator.address)).to.be.true;
    });

    it("refuses a registered operator whose key was reported compromised", async function () {
      const { rules, directory, cityAdmin, operator, cityId } = await loadFixture(deployFixture);
      await directory.connect(cityAdmin).reportKeyCompromised(cityId, operator.address, 1);
      expect(await allowed(rules, operator.address)).to.be.false;
    });

    it("refuses operators and admin of a suspended agency, and allows them again on reinstatement", async function () {
      const { rules, directory, operator, districtOperator, districtAdmin, cityAdmin, districtId } =
        await loadFixture(deployFixture);
      await rules.connect(districtAdmin).registerAccount(districtAdmin.address, districtId);
      await directory.connect(cityAdmin).suspendAgency(districtId);
      expect(await allowed(rules, districtOperator.address)).to.be.false;
      expect(await allowed(rules, districtAdmin.address)).to.be.false;
      expect(await allowed(rules, operator.address)).to.be.true;
      await directory.connect(cityAdmin).reinstateAgency(districtId);
      expect(await allowed(rules, districtOperator.address)).to.be.true;
      expect(await allowed(rules, districtAdmin.address)).to.be.true;
    });

    it("refuses a child's operator and admin while the parent is suspended", async function () {
      const { rules, directory, districtOperator, districtAdmin, operator, cityId, districtId } =
        await loadFixture(deployFixture);
      await rules.connect(districtAdmin).registerAccount(districtAdmin.address, districtId);
      await directory.suspendAgency(cityId);
      expect(await allowed(rules, districtOperator.address)).to.be.false;
      expect(await allowed(rules, districtAdmin.address)).to.be.false;
      expect(await allowed(rules, operator.address)).to.be.false;
      await directory.reinstateAgency(cityId);
      expect(await allowed(rules, districtOperator.address)).to.be.true;
      expect(await allowed(rules, districtAdmin.address)).to.be.true;
    });

    it("refuses the operators and admin of a dissolved agency", async function () {
      const { rules, directory, districtOperator, districtAdmin, cityId, districtId } =
        await loadFixture(deployFixture);
      await rules.connect(districtAdmin).registerAccount(districtAdmin.address, districtId);
      await directory.dissolveAgency(districtId, cityId);
      expect(await allowed(rules, districtOperator.address)).to.be.false;
      expect(await allowed(rules, districtAdmin.address)).to.be.false;
    });

    it("allows an agency's registered admin, and stops when the admin is replaced", async function () {
      const { rules, directory, otherAdmin, outsider, otherId } = await loadFixture(deployFixture);
      await rules.connect(otherAdmin).registerAccount(otherAdmin.address, otherId);
      expect(await allowed(rules, otherAdmin.address)).to.be.true;
      await directory.connect(otherAdmin).setAgencyAdmin(otherId, outsider.address);
      expect(await allowed(rules, otherAdmin.address)).to.be.false;
    });

    it("allows a platform account while governance allows it", async function () {
      const { rules, governance, platform } = await loadFixture(deployFixture);
      expect(await allowed(rules, platform.address)).to.be.false;
      await expect(rules.connect(governance).setPlatformAccount(platform.address, true))
        .to.emit(rules, "PlatformAccountSet")
        .withArgs(platform.address, true);
      expect(await rules.isPlatformAccount(platform.address)).to.be.true;
      expect(await allowed(rules, platform.address)).to.be.true;
      await rules.connect(governance).setPlatformAccount(platform.address, false);
      expect(await allowed(rules, platform.address)).to.be.false;
    });

    it("stops allowing a former governor once the role is revoked", async function () {
      const { rules, directory, governance, outsider } = await loadFixture(deployFixture);
      const role = await directory.DEFAULT_ADMIN_ROLE();
      await directory.connect(governance).grantRole(role, outsider.address);
      expect(await allowed(rules, outsider.address)).to.be.true;
      await directory.connect(governance).revokeRole(role, outsider.address);
      expect(await allowed(rules, outsider.address)).to.be.false;
    });

    it(`costs a node under ${TRANSACTION_ALLOWED_GAS_CEILING} gas for a registered operator`, async function () {
      const { rules, operator } = await loadFixture(deployFixture);
      const probe = await (await ethers.getContractFactory("GasProbe")).deploy();
      const data = rules.interface.encodeFunctionData("transactionAllowed", [
        operator.address,
        ethers.ZeroAddress,
        0n,
        0n,
        30_000_000n,
        "0x",
      ]);
      const [gasUsed, success] = await probe.measure(await rules.getAddress(), data);
      expect(success).to.be.true;
      expect(gasUsed).to.be.lessThan(TRANSACTION_ALLOWED_GAS_CEILING);
    });
  });

  describe("registerAccount", function () {
    it("records the agency and emits AccountRegistered", async function () {
      const { rules, cityAdmin, cityId, operator } = await loadFixture(deployFixture);
      expect(await rules.registeredAgency(operator.address)).to.equal(cityId);
      await expect(rules.connect(cityAdmin).registerAccount(cityAdmin.address, cityId))
        .to.emit(rules, "AccountRegistered")
        .withArgs(cityAdmin.address, cityId, cityAdmin.address);
    });

    it("lets governance register for any agency", async function () {
      const { rules, directory, governance, otherAdmin, outsider, otherId } = await loadFixture(deployFixture);
      await directory.connect(otherAdmin).addOperator(otherId, outsider.address);
      await rules.connect(governance).registerAccount(outsider.address, otherId);
      expect(await allowed(rules, outsider.address)).to.be.true;
    });

    it("refuses a caller who is neither governance nor the agency's admin with AccountRulesUnauthorized", async function () {
      const { rules, directory, cityAdmin, districtAdmin, outsider, cityId, districtId } =
        await loadFixture(deployFixture);
      await directory.connect(cityAdmin).addOperator(cityId, outsider.address);
      await expect(rules.connect(outsider).registerAccount(outsider.address, cityId))
        .to.be.revertedWithCustomError(rules, "AccountRulesUnauthorized")
        .withArgs(outsider.address, cityId);
      // The parent's admin manages its children through the directory, not the child's registrations here.
      await expect(rules.connect(cityAdmin).registerAccount(districtAdmin.address, districtId))
        .to.be.revertedWithCustomError(rules, "AccountRulesUnauthorized")
        .withArgs(cityAdmin.address, districtId);
    });

    it("refuses an account the agency does not entitle with AccountNotEntitled", async function () {
      const { rules, cityAdmin, otherAdmin, outsider, operator, cityId, otherId } = await loadFixture(deployFixture);
      await expect(rules.connect(cityAdmin).registerAccount(outsider.address, cityId))
        .to.be.revertedWithCustomError(rules, "AccountNotEntitled")
        .withArgs(outsider.address, cityId);
      // Another agency's admin cannot park the city's operator key under its own agency.
      await expect(rules.connect(otherAdmin).registerAccount(operator.address, otherId))
        .to.be.revertedWithCustomError(rules, "AccountNotEntitled")
        .withArgs(operator.address, otherId);
    });

    it("refuses to register for a suspended agency with AccountNotEntitled", async function () {
      const { rules, directory, cityAdmin, districtAdmin, districtId } = await loadFixture(deployFixture);
      await directory.connect(cityAdmin).suspendAgency(districtId);
      await expect(rules.connect(districtAdmin).registerAccount(districtAdmin.address, districtId))
        .to.be.revertedWithCustomError(rules, "AccountNotEntitled")
        .withArgs(districtAdmin.address, districtId);
    });

    it("refuses the zero address with AccountRulesZeroAddress", async function () {
      const { rules, cityAdmin, cityId } = await loadFixture(deployFixture);
      await expect(rules.connect(cityAdmin).registerAccount(ethers.ZeroAddress, cityId)).to.be.revertedWithCustomError(
        rules,
        "AccountRulesZeroAddress",
      );
    });

    it("refuses an unknown agency with the directory's UnknownAgency", async function () {
      const { rules, directory, governance, outsider } = await loadFixture(deployFixture);
      await expect(rules.connect(governance).registerAccount(outsider.address, 99))
        .to.be.revertedWithCustomError(directory, "UnknownAgency")
        .withArgs(99);
    });

    it("refuses to move a registration that still entitles the account with AccountAlreadyRegistered", async function () {
      const { rules, directory, otherAdmin, operator, cityId, otherId } = await loadFixture(deployFixture);
      await directory.connect(otherAdmin).addOperator(otherId, operator.address);
      await expect(rules.connect(otherAdmin).registerAccount(operator.address, otherId))
        .to.be.revertedWithCustomError(rules, "AccountAlreadyRegistered")
        .withArgs(operator.address, cityId);
    });

    it("lets another entitling agency take over a stale registration", async function () {
      const { rules, directory, cityAdmin, otherAdmin, operator, cityId, otherId } = await loadFixture(deployFixture);
      await directory.connect(otherAdmin).addOperator(otherId, operator.address);
      await directory.connect(cityAdmin).removeOperator(cityId, operator.address);
      expect(await allowed(rules, operator.address)).to.be.false;
      await expect(rules.connect(otherAdmin).registerAccount(operator.address, otherId))
        .to.emit(rules, "AccountRegistered")
        .withArgs(operator.address, otherId, otherAdmin.address);
      expect(await allowed(rules, operator.address)).to.be.true;
    });
  });

  describe("unregisterAccount", function () {
    it("removes the registration and emits AccountUnregistered", async function () {
      const { rules, cityAdmin, operator, cityId } = await loadFixture(deployFixture);
      await expect(rules.connect(cityAdmin).unregisterAccount(operator.address))
        .to.emit(rules, "AccountUnregistered")
        .withArgs(operator.address, cityId, cityAdmin.address);
      expect(await rules.registeredAgency(operator.address)).to.equal(0);
      expect(await allowed(rules, operator.address)).to.be.false;
    });

    it("lets governance unregister any account", async function () {
      const { rules, governance, districtOperator } = await loadFixture(deployFixture);
      await rules.connect(governance).unregisterAccount(districtOperator.address);
      expect(await allowed(rules, districtOperator.address)).to.be.false;
    });

    it("refuses an account that is not registered with AccountNotRegistered", async function () {
      const { rules, governance, outsider } = await loadFixture(deployFixture);
      await expect(rules.connect(governance).unregisterAccount(outsider.address))
        .to.be.revertedWithCustomError(rules, "AccountNotRegistered")
        .withArgs(outsider.address);
    });

    it("refuses another agency's admin with AccountRulesUnauthorized", async function () {
      const { rules, otherAdmin, operator, cityId } = await loadFixture(deployFixture);
      await expect(rules.connect(otherAdmin).unregisterAccount(operator.address))
        .to.be.revertedWithCustomError(rules, "AccountRulesUnauthorized")
        .withArgs(otherAdmin.address, cityId);
    });
  });

  describe("setPlatformAccount", function () {
    it("refuses anyone but governance with AccountRulesGovernanceRequired", async function () {
      const { rules, cityAdmin, platform } = await loadFixture(deployFixture);
      await expect(rules.connect(cityAdmin).setPlatformAccount(platform.address, true))
        .to.be.revertedWithCustomError(rules, "AccountRulesGovernanceRequired")
        .withArgs(cityAdmin.address);
    });

    it("refuses the zero address with AccountRulesZeroAddress", async function () {
      const { rules, governance } = await loadFixture(deployFixture);
      await expect(
        rules.connect(governance).setPlatformAccount(ethers.ZeroAddress, true),
      ).to.be.revertedWithCustomError(rules, "AccountRulesZeroAddress");
    });
  });
});
