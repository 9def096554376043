import type { HDNodeWallet, Wallet } from "ethers";
import { ethers } from "hardhat";

import { GovChainClient } from "../../sdk/src/client";
import { deploySuite } from "../../sdk/src/deploy/suite";
import type { Manifest } from "../../sdk/src/utils/manifest";

export { DEV_MNEMONIC, devWallet } from "../../scripts/demo/accounts";

/** Deploys the suite on the in-process Hardhat network and returns its manifest. */
export async function deployedSuite(): Promise<Manifest> {
  const [deployer] = await ethers.getSigners();
  const { manifest } = await deploySuite({ signer: deployer, network: "hardhat" });
  return manifest;
}

/** A client for the in-process network, signing locally with `wallet` (or read-only). */
export function clientFor(manifest: Manifest, wallet?: HDNodeWallet | Wallet): Promise<GovChainClient> {
  return GovChainClient.connect({ manifest, provider: ethers.provider, signer: wallet?.connect(ethers.provider) });
}
