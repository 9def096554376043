import { ethers, upgrades } from "hardhat";

import { capabilityMask } from "../../sdk/src/utils/capabilities";
import type { AgencyDirectory } from "../../typechain-types";

/** Deploys the agency directory behind a UUPS proxy, governed by the first signer. */
export async function deployDirectory(): Promise<AgencyDirectory> {
  const [governance] = await ethers.getSigners();
  const factory = await ethers.getContractFactory("AgencyDirectory");
  const proxy = await upgrades.deployProxy(factory, [governance.address], { kind: "uups" });
  await proxy.waitForDeployment();
  return proxy as unknown as AgencyDirectory;
}

/** Onboards a top-level agency and returns its id (read from the event, not guessed). */
export async function onboard(
  directory: AgencyDirectory,
  name: string,
  jurisdiction: string,
  admin: string,
  capabilities: number,
): Promise<bigint> {
  const receipt = await (await directory.onboardAgency(name, jurisdiction, admin, capabilities)).wait();
  const event = receipt!.logs
    .map((log) => directory.interface.parseLog(log))
    .find((parsed) => parsed?.name === "AgencyOnboarded");
  return event!.args.agencyId as bigint;
}

export const ALL_AGENCY_CAPABILITIES = capabilityMask(
  "IssueCertificates",
  "RegisterTitles",
  "HoldLiens",
  "FreezeTitles",
  "PublishDatasets",
  "RequestData",
  "AccreditAgencies",
  "RunServices",
);
