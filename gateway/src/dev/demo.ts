import { type HDNodeWallet, JsonRpcProvider, ZeroAddress, id as keccakText } from "ethers";

import { GovChainClient } from "../../../sdk/src/client";
import { deploySuite } from "../../../sdk/src/deploy/suite";
import { capabilityMask } from "../../../sdk/src/utils/capabilities";
import { agencyRequester, purposeCode, Sensitivity, SharingCategory } from "../../../sdk/src/utils/datasharing";
import type { Manifest } from "../../../sdk/src/utils/manifest";
import { devWallet } from "../../../scripts/demo/accounts";
import type { SeedRecord } from "../db/store";

/**
 * The demo world behind `npm start`, the gateway tests and the gateway benchmark: the suite on a local chain, two
 * agencies that each publish datasets and run a gateway, two citizens, consents, and seeded records. Development
 * keys only (Hardhat's well-known mnemonic).
 */

export { DEV_MNEMONIC } from "../../../scripts/demo/accounts";

/** A development key of the public Hardhat mnemonic (tests and the gateway demo only). */
export function devKey(index: number): HDNodeWallet {
  return devWallet(index);
}

export const DEMO_PURPOSES = {
  benefits: purposeCode("social-benefits-eligibility"),
  housing: purposeCode("housing-subsidy"),
  statistics: purposeCode("official-statistics"),
};

export interface DemoAgency {
  id: number;
  name: string;
  admin: HDNodeWallet;
  /** Requests data for the agency (REQUEST_DATA). */
  operator: HDNodeWallet;
  /** The agency's gateway key (an operator too: PUBLISH_DATASETS). */
  gatewayKey: HDNodeWallet;
  datasets: number[];
  records: SeedRecord[];
}

export interface DemoWorld {
  rpcUrl: string;
  manifest: Manifest;
  governance: HDNodeWallet;
  civilAffairs: DemoAgency;
  health: DemoAgency;
  citizens: [HDNodeWallet, HDNodeWallet];
  datasets: { households: number; centres: number; vaccinations: number };
}

/** A client for `rpcUrl`, signing with `key` (or read-only). */
export async function connect(rpcUrl: string, manifest: Manifest, key?: HDNodeWallet): Promise<GovChainClient> {
  const provider = new JsonRpcProvider(rpcUrl, manifest.chainId, { staticNetwork: true, cacheTimeout: -1 });
  return GovChainClient.connect({ manifest, provider, signer: key?.connect(provider) });
}

/** Deploys the suite and sets up the demo world on a fresh local chain. */
export async function setUpDemo(rpcUrl: string, log: (line: string) => void = () => undefined): Promise<DemoWorld> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const governance = devKey(0);
  const { manifest } = await deploySuite({ signer: governance.connect(provider), network: "localhost", log });
  const gov = await connect(rpcUrl, manifest, governance);
  const capabilities = capabilityMask("PublishDatasets", "RequestData");

  async function agency(name: string, jurisdiction: string, first: number): Promise<DemoAgency> {
    const [admin, operator, gatewayKey] = [devKey(first), devKey(first + 1), devKey(first + 2)];
    const { agencyId } = await gov.directory.onboardAgency({ name, jurisdiction, admin: admin.address, capabilities });
    const asAdmin = await connect(rpcUrl, manifest, admin);
    await asAdmin.directory.addOperator(agencyId, operator.address);
    await asAdmin.directory.addOperator(agencyId, gatewayKey.address);
    await gov.dataSharing.syncAgency(agencyId);
    log(`agency ${agencyId} ${name}: operator ${operator.address}, gateway ${gatewayKey.address}`);
    return { id: agencyId, name, admin, operator, gatewayKey, datasets: [], records: [] };
  }
  const civilAffairs = await agency("Civil Affairs Bureau", "CN/31/CA", 1);
  const health = await agency("Health Commission", "CN/31/HC", 4);
  const citizens: [HDNodeWallet, HDNodeWallet] = [devKey(7), devKey(8)];

  const asCivil = await connect(rpcUrl, manifest, civilAffairs.operator);
  const asHealth = await connect(rpcUrl, manifest, health.operator);
  const { datasetId: households } = await asCivil.dataSharing.publishDataset(civilAffairs.id, {
    title: "Household registration records",
    schemaHash: keccakText("schema:households:v1"),
    sensitivity: Sensitivity.Personal,
    sharing: SharingCategory.Conditional,
    purposes: [DEMO_PURPOSES.benefits, DEMO_PURPOSES.housing],
  });
  const { datasetId: centres } = await asCivil.dataSharing.publishDataset(civilAffairs.id, {
    title: "Community service centres",
    schemaHash: keccakText("schema:centres:v1"),
    sensitivity: Sensitivity.Public,
    sharing: SharingCategory.Unconditional,
    purposes: [DEMO_PURPOSES.statistics],
  });
  const { datasetId: vaccinations } = await asHealth.dataSharing.publishDataset(health.id, {
    title: "Vaccination records",
    schemaHash: keccakText("schema:vaccinations:v1"),
    sensitivity: Sensitivity.Personal,
    sharing: SharingCategory.NotShared,
    purposes: [DEMO_PURPOSES.benefits],
  });
  civilAffairs.datasets.push(households, centres);
  health.datasets.push(vaccinations);
  civilAffairs.records.push(
    {
      datasetId: households,
      subject: citizens[0].address,
      payload: { name: "Li Wei", household: "Xuhui 12-3-401", members: 3, registeredSince: "2015-06-01" },
    },
    {
      datasetId: households,
      subject: citizens[1].address,
      payload: { name: "Zhang Min", household: "Pudong 88-1-202", members: 1, registeredSince: "2021-01-15" },
    },
    {
      datasetId: centres,
      subject: ZeroAddress,
      payload: { centres: [{ name: "Xuhui community centre", phone: "021-0000-0001" }] },
    },
  );
  health.records.push({
    datasetId: vaccinations,
    subject: citizens[0].address,
    payload: { doses: [{ vaccine: "influenza", date: "2025-10-02" }] },
  });

  // Citizen 1 lets the Health Commission read their household record, and the Civil Affairs Bureau their
  // vaccination record, for benefits eligibility, for a year.
  const asCitizen = await connect(rpcUrl, manifest, citizens[0]);
  const year = (await gov.directory.latestTimestamp()) + 365 * 24 * 3600;
  await asCitizen.dataSharing.grantConsent({
    requester: agencyRequester(health.id),
    datasetId: households,
    purpose: DEMO_PURPOSES.benefits,
    expiresAt: year,
  });
  await asCitizen.dataSharing.grantConsent({
    requester: agencyRequester(civilAffairs.id),
    datasetId: vaccinations,
    purpose: DEMO_PURPOSES.benefits,
    expiresAt: year,
  });
  log(`datasets: households ${households}, centres ${centres}, vaccinations ${vaccinations}`);
  return {
    rpcUrl,
    manifest,
    governance,
    civilAffairs,
    health,
    citizens,
    datasets: { households, centres, vaccinations },
  };
}
