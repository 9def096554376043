import hre, { ethers } from "hardhat";

import { readManifestFile, writeManifestFile } from "../sdk/src/node/manifestFile";
import { manifestFileName, SUITE_CONTRACTS, type SuiteContractName } from "../sdk/src/utils/manifest";
import { upgradeSuite } from "./upgradeSuite";

/**
 * `npx hardhat run deploy/upgrade.ts --network <name>`: upgrades the suite's implementations with storage-layout
 * validation. `GOVCHAIN_UPGRADE=CertificateRegistry,TitleRegistry` limits it to some contracts. The governance key
 * comes from the network configuration (GOVCHAIN_PRIVATE_KEY), never from a committed file.
 */
async function main(): Promise<void> {
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const file = process.env.GOVCHAIN_DEPLOYMENT || manifestFileName(hre.network.name, chainId);
  const manifest = readManifestFile(file);
  if (!manifest) throw new Error(`no deployment manifest at ${file}: deploy first`);
  const only = process.env.GOVCHAIN_UPGRADE?.split(",").map((name) => name.trim()) as SuiteContractName[] | undefined;
  const unknown = only?.filter((name) => !SUITE_CONTRACTS.includes(name));
  if (unknown?.length) throw new Error(`unknown contracts to upgrade: ${unknown.join(", ")}`);
  const { manifest: next, upgraded } = await upgradeSuite(hre, manifest, { only, log: (line) => console.log(line) });
  writeManifestFile(file, next);
  console.log(`upgraded ${upgraded.join(", ") || "nothing"}; manifest ${file}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
