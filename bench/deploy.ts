import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";

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
 * implementation behind an ERC-1967 (UUPS) proxy. The directory comes from the SDK's `deploySuite`; the registries it
 * does not deploy yet are put behind the same proxy here, with their own `initialize`.
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
  const directoryAddress = manifest.contracts.AgencyDirectory!.address;
  const directory = AgencyDirectory__factory.connect(directoryAddress, governance);
  const certificatesAddress = await deployBehindProxy(
    governance,
    new CertificateRegistry__factory(governance),
    CertificateRegistry__factory.createInterface().encodeFunctionData("initialize", [directoryAddress]),
  );
  const dataSharingAddress = await deployBehindProxy(
    governance,
    new DataSharingRegistry__factory(governance),
    DataSharingRegistry__factory.createInterface().encodeFunctionData("initialize", [directoryAddress]),
  );
  const probe = await new GasProbe__factory(governance).deploy();
  return {
    governance,
    directory,
    certificates: CertificateRegistry__factory.connect(certificatesAddress, governance),
    dataSharing: DataSharingRegistry__factory.connect(dataSharingAddress, governance),
    probe,
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
