import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import { ethers } from "hardhat";

import { deploySuite } from "../sdk/src/deploy/suite";
import {
  AgencyDirectory__factory,
  CertificateRegistry__factory,
  DataSharingRegistry__factory,
  ERC1967Proxy__factory,
  GasProbe__factory,
  type AgencyDirectory,
  type CertificateRegistry,
  type DataSharingRegistry,
  type GasProbe,
} from "../typechain-types";

/**
 * The GovChain contracts the benchmark measures, deployed as production deploys them: every registry is an
 * implementation behind an ERC-1967 (UUPS) proxy. The directory and the certificate and data-sharing registries come
 * from the SDK's `deploySuite`; the title registries, which it does not deploy yet, are put behind the same proxy by
 * {deployBehindProxy}.
 */
export interface GovChainSuite {
  governance: HardhatEthersSigner;
  directory: AgencyDirectory;
  certificates: CertificateRegistry;
  dataSharing: DataSharingRegistry;
  probe: GasProbe;
}

/** Deploys `implementation` and an ERC-1967 proxy to it that runs `initializeData`; returns the proxy's address. */
export async function deployBehindProxy(
  signer: HardhatEthersSigner,
  implementation: { deploy: () => Promise<{ getAddress: () => Promise<string> }> },
  initializeData: string,
): Promise<string> {
  const logic = await implementation.deploy();
  const proxy = await new ERC1967Proxy__factory(signer).deploy(await logic.getAddress(), initializeData);
  await proxy.waitForDeployment();
  return proxy.getAddress();
}

export async function deployGovChain(governance: HardhatEthersSigner): Promise<GovChainSuite> {
  const { manifest } = await deploySuite({ signer: governance, network: "hardhat" });
  const address = (name: keyof typeof manifest.contracts) => manifest.contracts[name]!.address;
  return {
    governance,
    directory: AgencyDirectory__factory.connect(address("AgencyDirectory"), governance),
    certificates: CertificateRegistry__factory.connect(address("CertificateRegistry"), governance),
    dataSharing: DataSharingRegistry__factory.connect(address("DataSharingRegistry"), governance),
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
