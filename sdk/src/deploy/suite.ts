import type { BaseContract, Signer, TransactionRequest } from "ethers";

import {
  AgencyDirectory__factory,
  CertificateRegistry__factory,
  DataSharingRegistry__factory,
  ERC1967Proxy__factory,
  ITitleRegistry__factory,
  LienRegistry__factory,
  ParcelLineage__factory,
  RestrictionRegistry__factory,
  TitleRegistry__factory,
  TitleRegistryExtension__factory,
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
  /** The jurisdiction whose parcels the title registry records (title ids derive from it); at most 31 bytes. */
  titleJurisdiction?: string;
  /** Base URI of title metadata. */
  titleBaseUri?: string;
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

export const DEFAULT_TITLE_JURISDICTION = "CN/31";
const DEFAULT_TITLE_BASE_URI = "https://titles.govchain.local/";

type Overrides = DeploySuiteOptions["overrides"] & object;

interface Component {
  name: SuiteContractName;
  /** Deploys the implementation (and any helper contract it needs); returns it and extra manifest fields. */
  implementation: (
    signer: Signer,
    manifest: Manifest,
    overrides: Overrides,
  ) => Promise<{ contract: BaseContract; extension?: string }>;
  /** The call the proxy makes at construction (the initializer). */
  initializeData: (manifest: Manifest) => string;
}

function addressOf(manifest: Manifest, name: SuiteContractName): string {
  const entry = manifest.contracts[name];
  if (!entry) throw new Error(`${name} must be deployed first`);
  return entry.address;
}

/** The title registry's companions share a constructor: the directory and the title registry (immutables). */
function companion(
  name: SuiteContractName,
  factory: typeof LienRegistry__factory | typeof RestrictionRegistry__factory | typeof ParcelLineage__factory,
  initializer: boolean,
): Component {
  return {
    name,
    implementation: async (signer, manifest, overrides) => ({
      contract: await new factory(signer).deploy(
        addressOf(manifest, "AgencyDirectory"),
        addressOf(manifest, "TitleRegistry"),
        overrides,
      ),
    }),
    // OpenZeppelin 5's ERC1967Proxy refuses empty construction data; a contract without an initializer gets a call
    // to its VERSION() view, which changes nothing.
    initializeData: () =>
      initializer
        ? LienRegistry__factory.createInterface().encodeFunctionData("initialize")
        : ParcelLineage__factory.createInterface().encodeFunctionData("VERSION"),
  };
}

/** The suite in dependency order; later components read earlier addresses from the manifest. */
function components(options: DeploySuiteOptions): Component[] {
  const jurisdiction = options.titleJurisdiction ?? DEFAULT_TITLE_JURISDICTION;
  return [
    {
      name: "AgencyDirectory",
      implementation: async (signer, _manifest, overrides) => ({
        contract: await new AgencyDirectory__factory(signer).deploy(overrides),
      }),
      initializeData: (manifest) =>
        AgencyDirectory__factory.createInterface().encodeFunctionData("initialize", [manifest.governance]),
    },
    {
      name: "CertificateRegistry",
      implementation: async (signer, _manifest, overrides) => ({
        contract: await new CertificateRegistry__factory(signer).deploy(overrides),
      }),
      initializeData: (manifest) =>
        CertificateRegistry__factory.createInterface().encodeFunctionData("initialize", [
          addressOf(manifest, "AgencyDirectory"),
        ]),
    },
    {
      name: "DataSharingRegistry",
      implementation: async (signer, _manifest, overrides) => ({
        contract: await new DataSharingRegistry__factory(signer).deploy(overrides),
      }),
      initializeData: (manifest) =>
        DataSharingRegistry__factory.createInterface().encodeFunctionData("initialize", [
          addressOf(manifest, "AgencyDirectory"),
        ]),
    },
    {
      name: "TitleRegistry",
      // Two implementation contracts share the proxy's storage: the core (hot paths) delegates the rest to its
      // extension, to stay under the 24 KiB code-size limit (docs/decisions/0006).
      implementation: async (signer, manifest, overrides) => {
        const directory = addressOf(manifest, "AgencyDirectory");
        const certificates = addressOf(manifest, "CertificateRegistry");
        const extension = await new TitleRegistryExtension__factory(signer).deploy(
          directory,
          certificates,
          jurisdiction,
          overrides,
        );
        await extension.waitForDeployment();
        const extensionAddress = await extension.getAddress();
        const contract = await new TitleRegistry__factory(signer).deploy(
          directory,
          certificates,
          jurisdiction,
          extensionAddress,
          overrides,
        );
        return { contract, extension: extensionAddress };
      },
      initializeData: () =>
        TitleRegistry__factory.createInterface().encodeFunctionData("initialize", [
          options.titleBaseUri ?? DEFAULT_TITLE_BASE_URI,
        ]),
    },
    companion("LienRegistry", LienRegistry__factory, true),
    companion("RestrictionRegistry", RestrictionRegistry__factory, false),
    companion("ParcelLineage", ParcelLineage__factory, false),
  ];
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
  for (const component of components(options)) {
    const known = manifest.contracts[component.name];
    if (known && (await provider.getCode(known.address)) !== "0x") {
      log(`${component.name}: already deployed at ${known.address} (version ${known.version}), unchanged`);
      continue;
    }
    log(`${component.name}: deploying implementation`);
    const { contract: implementation, extension } = await component.implementation(signer, manifest, overrides);
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
      ...(extension ? { extension } : {}),
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

  await wireTitleCompanions(signer, manifest, overrides, confirmations, log);
  if (deployed.length === 0) log("the suite is already deployed on this network: nothing to do");
  return { manifest, deployed };
}

/** Points the title registry at its companions, once (governance only; skipped when already done). */
async function wireTitleCompanions(
  signer: Signer,
  manifest: Manifest,
  overrides: Overrides,
  confirmations: number,
  log: (line: string) => void,
): Promise<void> {
  // The proxy answers the whole ITitleRegistry interface (the core forwards what it lacks to its extension).
  const titles = ITitleRegistry__factory.connect(addressOf(manifest, "TitleRegistry"), signer);
  const wanted = [
    addressOf(manifest, "LienRegistry"),
    addressOf(manifest, "RestrictionRegistry"),
    addressOf(manifest, "ParcelLineage"),
  ];
  const current = await titles.companions();
  if (current.map((a) => a.toLowerCase()).join() === wanted.map((a) => a.toLowerCase()).join()) return;
  if (manifest.governance.toLowerCase() !== (await signer.getAddress()).toLowerCase()) {
    log(`TitleRegistry: governance ${manifest.governance} must call setCompanions(${wanted.join(", ")})`);
    return;
  }
  log("TitleRegistry: wiring its lien, restriction and lineage companions");
  await (await titles.setCompanions(wanted[0], wanted[1], wanted[2], overrides)).wait(confirmations);
}
