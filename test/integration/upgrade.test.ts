import { expect } from "chai";
import hre, { ethers } from "hardhat";

import { upgradeSuite } from "../../deploy/upgradeSuite";
import { capabilityMask } from "../../sdk/src/utils/capabilities";
import { SUITE_CONTRACTS } from "../../sdk/src/utils/manifest";
import { clientFor, deployedSuite, devWallet } from "../helpers/sdk";

describe("upgrading the deployed suite", function () {
  it("validates storage layouts, swaps every implementation and keeps the state", async function () {
    const manifest = await deployedSuite();
    const gov = await clientFor(manifest, devWallet(0));
    const { agencyId } = await gov.directory.onboardAgency({
      name: "Shanghai Civil Affairs Bureau",
      jurisdiction: "CN/31",
      admin: devWallet(1).address,
      capabilities: capabilityMask("IssueCertificates"),
    });

    const { manifest: next, upgraded } = await upgradeSuite(hre, manifest);
    expect(upgraded).to.deep.equal([...SUITE_CONTRACTS]);
    for (const name of SUITE_CONTRACTS) {
      expect(next.contracts[name]!.address).to.equal(manifest.contracts[name]!.address);
      expect(next.contracts[name]!.implementation).to.not.equal(manifest.contracts[name]!.implementation);
    }
    expect(next.contracts.TitleRegistry!.extension).to.not.equal(manifest.contracts.TitleRegistry!.extension);
    const after = await clientFor(next);
    expect((await after.directory.agency(agencyId))!.name).to.equal("Shanghai Civil Affairs Bureau");
    expect(await after.titles.jurisdiction()).to.equal("CN/31");
  });

  it("refuses a signer that is not governance", async function () {
    const manifest = await deployedSuite();
    const [, outsider] = await ethers.getSigners();
    const error = await upgradeSuite(hre, { ...manifest, governance: outsider.address }).catch((e: unknown) => e);
    expect(String(error)).to.contain("upgrades need the governance account");
  });
});
