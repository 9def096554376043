import { HDNodeWallet, Mnemonic, type Provider, type Wallet } from "ethers";
import { ethers } from "hardhat";

import { GovChainClient } from "../../sdk/src/client";
import { deploySuite } from "../../sdk/src/deploy/suite";
import type { Manifest } from "../../sdk/src/utils/manifest";

/** Hardhat's and anvil's well-known development mnemonic: test accounts only, never real keys. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** The development account at `index`, as a local-signing wallet (what agency scripts and the CLI use). */
export function devWallet(index: number, provider?: Provider): HDNodeWallet {
  const wallet = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`);
  return provider ? wallet.connect(provider) : wallet;
}

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
