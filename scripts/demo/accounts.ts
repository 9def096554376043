import { HDNodeWallet, Mnemonic, type Provider } from "ethers";

/**
 * Hardhat's and anvil's well-known development mnemonic. Its keys are public knowledge: they exist only so the local
 * demo and the tests have funded accounts. Never use them on a real network.
 */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** The development account at `index`, as a local-signing wallet. */
export function devWallet(index: number, provider?: Provider): HDNodeWallet {
  const wallet = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`);
  return provider ? wallet.connect(provider) : wallet;
}

/** Who is who in the demo: one development account per role. */
export const DEMO_ACCOUNTS = {
  governance: 0,
  marketRegulationAdmin: 1,
  marketRegulationOperator: 2,
  realEstateAdmin: 3,
  realEstateRegistrar: 4,
  civilAffairsOperator: 5,
  bankOperator: 6,
  courtOperator: 7,
  taxOperator: 8,
  citizenZhang: 9,
  citizenLi: 10,
  enterprise: 11,
  gatewayMarketRegulation: 12,
  gatewayCivilAffairs: 13,
} as const;
