import type { ContractFactory, Signer, TransactionRequest } from "ethers";

import {
  AgencyDirectory__factory,
  CertificateRegistry__factory,
  DataSharingRegistry__factory,
  ERC1967Proxy__factory,
} from "../../../typechain-types";
import type { DeployedContract, Manifest, SuiteContractName } from "../utils/manifest";

/**
 * Deploys the GovChain suite behind ERC-1967 (UUPS) proxies, idempotently: a contract already in the manifest with
 * code at its address is kept, so re-running against a deployed network changes nothing and says so. Works over any
 * ethers signer (Hardhat's, or a local wallet on a Besu RPC URL).
 */

export interface DeploySuiteOptions {
  signer: Signer;
  /** Network name written into the manifest. */
  network: string;
  /** Governance account; defaults to the deployer. */
  governance?: string;
  /** The manifest from an earlier run, if any. */
  existing?: Manifest;
  /** Fee fields for every transaction, e.g. `{ gasPrice: 0n }` on a free-gas Besu network. */
  overrides?: Pick<TransactionRequest, "gasPrice" | "gasLimit">;
  /** Confirmations to wait for after each transaction. */
  confirmations?: number;
  /** Called after each contract is deployed, with the manifest so far: persist it so a killed run resumes. */
  onProgress?: (manifest: Manifest) => void | Promise<void>;
  /** Progress lines for a person. */
  log?: (line: string) => void;
}

export interface DeploySuiteResult {
  manifest: Manifest;
  /** Contracts deployed by this run; empty when the suite already existed. */
  deployed: SuiteContractName[];
}

interface Component {
  name: SuiteContractName;
  implementation: (signer: Signer) => ContractFactory;
  initializeData: (manifest: Manifest) => string;
}

/** The suite in dependency order; later components read earlier addresses from the manifest. */
const COMPONENTS: Component[] = [
  {
    name: "AgencyDirectory",
    implementation: (signer) => new AgencyDirectory__factory(signer),
    initializeData: (manifest) =>
      AgencyDirectory__factory.createInterface().encodeFunctionData("initialize", [manifest.governance]),
  },
  {
    name: "CertificateRegistry",
    implementation: (signer) => new CertificateRegistry__factory(signer),
    initializeData: (manifest) =>
      CertificateRegistry__factory.createInterface().encodeFunctionData("initialize", [
        addressOf(manifest, "AgencyDirectory"),
      ]),
  },
  {
    name: "DataSharingRegistry",
    implementation: (signer) => new DataSharingRegistry__factory(signer),
    initializeData: (manifest) =>
      DataSharingRegistry__factory.createInterface().encodeFunctionData("initialize", [
        addressOf(manifest, "AgencyDirectory"),
      ]),
  },
];

function addressOf(manifest: Manifest, name: SuiteContractName): string {
  const entry = manifest.contracts[name];
  if (!entry) throw new Error(`${name} must be deployed first`);
  return entry.address;
}

/** Reads `VERSION()` from any suite contract. */
async function versionOf(signer: Signer, address: string): Promise<string> {
  return AgencyDirectory__factory.connect(address, signer).VERSION();
}

export async function deploySuite(options: DeploySuiteOptions): Promise<DeploySuiteResult> {
  const { signer, overrides = {}, confirmations = 1, log = () => undefined } = options;
  const provider = signer.provider;
  if (!provider) throw new Error("the deployer signer has no provider");
  const chainId = Number((await provider.getNetwork()).chainId);
  const deployer = await signer.getAddress();

  if (options.existing && options.existing.chainId !== chainId) {
    throw new Error(
      `the manifest is for chain ${options.existing.chainId} but the RPC endpoint serves chain ${chainId}: refusing to mix deployments`,
    );
  }
  const manifest: Manifest = options.existing
    ? structuredClone(options.existing)
    : {
        format: 1,
        network: options.network,
        chainId,
        governance: options.governance ?? deployer,
        contracts: {},
        updatedAt: new Date().toISOString(),
      };

  const deployed: SuiteContractName[] = [];
  for (const component of COMPONENTS) {
    const known = manifest.contracts[component.name];
    if (known && (await provider.getCode(known.address)) !== "0x") {
      log(`${component.name}: already deployed at ${known.address} (version ${known.version}), unchanged`);
      continue;
    }
    log(`${component.name}: deploying implementation`);
    const implementation = await component.implementation(signer).deploy(overrides);
    await implementation.deploymentTransaction()!.wait(confirmations);
    const implementationAddress = await implementation.getAddress();

    log(`${component.name}: deploying proxy`);
    const proxy = await new ERC1967Proxy__factory(signer).deploy(
      implementationAddress,
      component.initializeData(manifest),
      overrides,
    );
    const receipt = await proxy.deploymentTransaction()!.wait(confirmations);
    const address = await proxy.getAddress();
    const entry: DeployedContract = {
      address,
      implementation: implementationAddress,
      deploymentBlock: receipt!.blockNumber,
      version: await versionOf(signer, address),
    };
    manifest.contracts[component.name] = entry;
    manifest.updatedAt = new Date().toISOString();
    deployed.push(component.name);
    log(
      `${component.name}: proxy ${address} (implementation ${implementationAddress}, block ${entry.deploymentBlock})`,
    );
    await options.onProgress?.(manifest);
  }
  if (deployed.length === 0) log("the suite is already deployed on this network: nothing to do");
  return { manifest, deployed };
}
