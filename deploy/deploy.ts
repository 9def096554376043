import hre, { ethers } from "hardhat";

import { deploySuite } from "../sdk/src/deploy/suite";
import { readManifestFile, writeManifestFile } from "../sdk/src/node/manifestFile";
import { manifestFileName } from "../sdk/src/utils/manifest";

/**
 * `npx hardhat run deploy/deploy.ts --network <name>`: deploys the whole suite, or confirms it is already there.
 * The manifest goes to `deployments/<network>.json` (or `GOVCHAIN_DEPLOYMENT`). Keys come from the network's
 * configuration (environment variables), never from committed files. `GOVCHAIN_GOVERNANCE` names a governance
 * account other than the deployer.
 */
async function main(): Promise<void> {
  const [signer] = await ethers.getSigners();
  if (!signer) throw new Error(`network ${hre.network.name} has no account: set GOVCHAIN_PRIVATE_KEY`);
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const file = process.env.GOVCHAIN_DEPLOYMENT || manifestFileName(hre.network.name, chainId);
  const existing = readManifestFile(file);
  // A free-gas network (Besu with min-gas-price 0) is configured with `gasPrice: 0`: send exactly that.
  const configuredGasPrice = (hre.network.config as { gasPrice?: unknown }).gasPrice;
  const overrides = configuredGasPrice === 0 ? { gasPrice: 0n } : {};

  const { manifest, deployed } = await deploySuite({
    signer,
    network: hre.network.name,
    governance: process.env.GOVCHAIN_GOVERNANCE,
    existing,
    overrides,
    onProgress: (partial) => writeManifestFile(file, partial),
    log: (line) => console.log(line),
  });
  writeManifestFile(file, manifest);
  console.log(deployed.length ? `deployed ${deployed.join(", ")}; manifest ${file}` : `unchanged; manifest ${file}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
