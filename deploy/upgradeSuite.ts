import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { Manifest, SuiteContractName } from "../sdk/src/utils/manifest";

/**
 * Upgrades the implementations behind the suite's proxies, with OpenZeppelin's storage-layout validation (the
 * upgrades plugin compares the new layout with the deployed one and refuses an unsafe change). Only governance can
 * upgrade: the signer must be the manifest's governance account.
 */

interface UpgradePlan {
  name: SuiteContractName;
  /** Constructor arguments of the new implementation (immutables). */
  constructorArgs: (manifest: Manifest, hre: HardhatRuntimeEnvironment) => Promise<unknown[]>;
  unsafeAllow?: ("delegatecall" | "constructor" | "state-variable-immutable")[];
}

const companionArgs = async (manifest: Manifest) => [
  manifest.contracts.AgencyDirectory!.address,
  manifest.contracts.TitleRegistry!.address,
];

const PLANS: UpgradePlan[] = [
  { name: "AgencyDirectory", constructorArgs: async () => [] },
  { name: "CertificateRegistry", constructorArgs: async () => [] },
  { name: "DataSharingRegistry", constructorArgs: async () => [] },
  {
    name: "TitleRegistry",
    // The core forwards to its extension; a new core comes with a new extension built with the same immutables.
    constructorArgs: async (manifest, hre) => {
      const titles = await hre.ethers.getContractAt("ITitleRegistry", manifest.contracts.TitleRegistry!.address);
      const jurisdiction = await titles.jurisdiction();
      const directory = manifest.contracts.AgencyDirectory!.address;
      const certificates = manifest.contracts.CertificateRegistry!.address;
      const extension = await (
        await hre.ethers.getContractFactory("TitleRegistryExtension")
      ).deploy(directory, certificates, jurisdiction);
      await extension.waitForDeployment();
      return [directory, certificates, jurisdiction, await extension.getAddress()];
    },
    unsafeAllow: ["delegatecall"],
  },
  { name: "LienRegistry", constructorArgs: companionArgs },
  { name: "RestrictionRegistry", constructorArgs: companionArgs },
  { name: "ParcelLineage", constructorArgs: companionArgs },
];

export interface UpgradeResult {
  manifest: Manifest;
  upgraded: SuiteContractName[];
}

/** Upgrades `only` (or every contract in the manifest) to the implementations compiled now. */
export async function upgradeSuite(
  hre: HardhatRuntimeEnvironment,
  manifest: Manifest,
  options: { only?: SuiteContractName[]; log?: (line: string) => void } = {},
): Promise<UpgradeResult> {
  const log = options.log ?? (() => undefined);
  const [signer] = await hre.ethers.getSigners();
  if (signer.address.toLowerCase() !== manifest.governance.toLowerCase()) {
    throw new Error(
      `upgrades need the governance account ${manifest.governance}; the configured key is ${signer.address}`,
    );
  }
  const next = structuredClone(manifest);
  const upgraded: SuiteContractName[] = [];
  for (const plan of PLANS) {
    if (options.only && !options.only.includes(plan.name)) continue;
    const entry = next.contracts[plan.name];
    if (!entry) continue;
    const factory = await hre.ethers.getContractFactory(plan.name);
    const constructorArgs = await plan.constructorArgs(next, hre);
    const settings = { kind: "uups" as const, constructorArgs, unsafeAllow: plan.unsafeAllow };
    // Registers the deployed proxy with the plugin (it was deployed by the SDK, not the plugin), so that the new
    // implementation's storage layout is validated against the one running now.
    const current = await hre.ethers.getContractFactory(plan.name);
    await hre.upgrades.forceImport(entry.address, current, settings);
    log(`${plan.name}: validating and upgrading ${entry.address}`);
    const proxy = await hre.upgrades.upgradeProxy(entry.address, factory, {
      ...settings,
      redeployImplementation: "always",
    });
    await proxy.waitForDeployment();
    entry.implementation = await hre.upgrades.erc1967.getImplementationAddress(entry.address);
    if (plan.name === "TitleRegistry") entry.extension = String(constructorArgs[3]);
    entry.version = await (await hre.ethers.getContractAt("AgencyDirectory", entry.address)).VERSION();
    upgraded.push(plan.name);
    log(`${plan.name}: now implementation ${entry.implementation} (version ${entry.version})`);
  }
  next.updatedAt = new Date().toISOString();
  return { manifest: next, upgraded };
}
