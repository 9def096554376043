import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import { ethers } from "hardhat";

import { deploySuite } from "../sdk/src/deploy/suite";
import {
  AgencyDirectory__factory,
  CertificateRegistry__factory,
  DataSharingRegistry__factory,
  GasProbe__factory,
  ITitleRegistry__factory,
  LienRegistry__factory,
  RestrictionRegistry__factory,
  type AgencyDirectory,
  type CertificateRegistry,
  type DataSharingRegistry,
  type GasProbe,
  type ITitleRegistry,
  type LienRegistry,
  type RestrictionRegistry,
} from "../typechain-types";

/**
 * The GovChain contracts the benchmark measures, deployed as production deploys them: the SDK's `deploySuite` puts
 * the directory and every registry behind its own ERC-1967 (UUPS) proxy (the title registry's core and extension
 * behind one) and wires the title registry's companions.
 */
export interface GovChainSuite {
  governance: HardhatEthersSigner;
  directory: AgencyDirectory;
  certificates: CertificateRegistry;
  dataSharing: DataSharingRegistry;
  /** The title registry's proxy, typed with the whole interface (core and extension selectors). */
  titles: ITitleRegistry;
  liens: LienRegistry;
  restrictions: RestrictionRegistry;
  probe: GasProbe;
}

/** The jurisdiction of the title registry: the same as the title tests', so the numbers compare with theirs. */
export const TITLE_JURISDICTION = "CN/310000";

export async function deployGovChain(governance: HardhatEthersSigner): Promise<GovChainSuite> {
  const { manifest } = await deploySuite({
    signer: governance,
    network: "hardhat",
    titleJurisdiction: TITLE_JURISDICTION,
  });
  const address = (name: keyof typeof manifest.contracts) => manifest.contracts[name]!.address;
  return {
    governance,
    directory: AgencyDirectory__factory.connect(address("AgencyDirectory"), governance),
    certificates: CertificateRegistry__factory.connect(address("CertificateRegistry"), governance),
    dataSharing: DataSharingRegistry__factory.connect(address("DataSharingRegistry"), governance),
    titles: ITitleRegistry__factory.connect(address("TitleRegistry"), governance),
    liens: LienRegistry__factory.connect(address("LienRegistry"), governance),
    restrictions: RestrictionRegistry__factory.connect(address("RestrictionRegistry"), governance),
    probe: await new GasProbe__factory(governance).deploy(),
  };
}

/** The gas a transaction used and its receipt's logs, for reading ids out of events. */
export async function sent(tx: Promise<ContractTransactionResponse>) {
  const receipt = (await (await tx).wait())!;
  return { gas: Number(receipt.gasUsed), receipt };
}

/** Onboards a top-level agency (governance) and returns its id, read from the event, and the gas it took. */
export async function onboardAgency(
  directory: AgencyDirectory,
  name: string,
  jurisdiction: string,
  admin: string,
  capabilities: number,
): Promise<{ agencyId: bigint; gas: number }> {
  const { gas, receipt } = await sent(directory.onboardAgency(name, jurisdiction, admin, capabilities));
  const event = receipt.logs
    .map((log) => directory.interface.parseLog(log))
    .find((parsed) => parsed?.name === "AgencyOnboarded");
  return { agencyId: event!.args.agencyId as bigint, gas };
}

/** What a view costs another contract, cold, through {GasProbe}; throws if the call reverted. */
export async function probeGas(probe: GasProbe, target: string, data: string): Promise<number> {
  const [gas, success] = await probe.measure(target, data);
  if (!success) throw new Error(`the probed call to ${target} reverted`);
  return Number(gas);
}

/**
 * A moment far ahead for signed messages (consent and lien deadlines): fixed, so that the signature, and the zero
 * bytes of the calldata that carries it, are the same in every run. 2100-01-01T00:00:01Z, no zero byte.
 */
export const SIGNED_DEADLINE = 4_102_444_801;

/**
 * A timestamp at least `seconds` after the latest block, nudged forward until none of its four bytes is zero, so
 * that calldata carrying it costs the same gas whatever the clock says.
 */
export async function stableTimestamp(seconds: number): Promise<number> {
  const latest = (await ethers.provider.getBlock("latest"))!.timestamp;
  let time = latest + seconds;
  while ([0, 8, 16, 24].some((shift) => ((time >>> shift) & 0xff) === 0)) time++;
  return time;
}
