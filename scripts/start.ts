import fs from "node:fs";
import path from "node:path";

import { JsonRpcProvider } from "ethers";

import { runGateway, type RunningGateway } from "../gateway/src";
import { GovChainClient } from "../sdk/src/client";
import { deploySuite } from "../sdk/src/deploy/suite";
import { GatewayClient } from "../sdk/src/gateway/client";
import { purposeCode } from "../sdk/src/utils/datasharing";
import { buildPortal } from "../web/scripts/build";
import { startPortalServer, type PortalServer } from "../web/scripts/serve";
import { writeManifestFile } from "../sdk/src/node/manifestFile";
import { DEMO_ACCOUNTS, devWallet } from "./demo/accounts";
import { seedDemo } from "./demo/seed";
import { startHardhatNode } from "./localChain";

/**
 * `npm start`: a local chain on 127.0.0.1, the whole suite deployed, a realistic demo seeded, and what it did
 * printed. Ctrl-C stops everything. Development keys only (the public Hardhat mnemonic).
 */

const ROOT = path.resolve(__dirname, "..");
const PORT = Number(process.env.GOVCHAIN_PORT ?? 8545);
const PORTAL_PORT = Number(process.env.PORTAL_PORT ?? 5173);
const GATEWAY_PORTS = [Number(process.env.GATEWAY_PORT_1 ?? 8081), Number(process.env.GATEWAY_PORT_2 ?? 8082)];
const DEMO_DIR = path.join(ROOT, ".demo");

async function main(): Promise<void> {
  const log = (line: string) => console.log(`[govchain] ${line}`);
  const chain = await startHardhatNode(PORT, log);
  const gateways: RunningGateway[] = [];
  let portal: PortalServer | undefined;
  const stop = async (code: number) => {
    await portal?.close();
    await Promise.allSettled(gateways.map((gateway) => gateway.close()));
    await chain.stop();
    process.exit(code);
  };
  process.once("SIGINT", () => void stop(0));
  process.once("SIGTERM", () => void stop(0));

  try {
    const provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const deployer = devWallet(DEMO_ACCOUNTS.governance, provider);
    const { manifest } = await deploySuite({ signer: deployer, network: "localhost", log });
    provider.destroy();
    const manifestFile = path.join(ROOT, "deployments", "localhost.json");
    writeManifestFile(manifestFile, manifest);
    log(`manifest written to ${path.relative(ROOT, manifestFile)}`);

    fs.rmSync(DEMO_DIR, { recursive: true, force: true });
    const summary = await seedDemo({ rpcUrl: chain.rpcUrl, manifest, outDir: DEMO_DIR, log });
    log("demo seeded:");
    log(`  agencies: ${JSON.stringify(summary.agencies)}`);
    log(`  certificate types: ${JSON.stringify(summary.certificateTypes)}`);
    log(`  datasets: ${JSON.stringify(summary.datasets)}`);
    log(`  titles (look up by parcel number): ${Object.values(summary.titles).join(", ")}`);
    log(
      `  wrapped certificates in ${path.relative(ROOT, DEMO_DIR)}/: ${summary.files.map((f) => path.basename(f)).join(", ")}`,
    );
    log(`  citizen Zhang: ${summary.subjects.zhang}`);

    // Each data-owning agency runs a gateway in front of its records (embedded PostgreSQL, nothing to install).
    const A = DEMO_ACCOUNTS;
    const { agencies, datasets, subjects } = summary;
    gateways.push(
      await runGateway({
        manifest,
        rpcUrl: chain.rpcUrl,
        agencyId: agencies.civilAffairs,
        datasets: [datasets.householdRegistry],
        gatewayKey: devWallet(A.gatewayCivilAffairs).privateKey,
        port: GATEWAY_PORTS[0],
        seed: [
          {
            datasetId: datasets.householdRegistry,
            subject: subjects.zhang,
            payload: { maritalStatus: "married", registeredOn: "2024-05-20", registry: "上海市民政局婚姻登记处" },
          },
        ],
        log: "warn",
      }),
      await runGateway({
        manifest,
        rpcUrl: chain.rpcUrl,
        agencyId: agencies.marketRegulation,
        datasets: [datasets.enterpriseRegistry],
        gatewayKey: devWallet(A.gatewayMarketRegulation).privateKey,
        port: GATEWAY_PORTS[1],
        seed: [
          {
            datasetId: datasets.enterpriseRegistry,
            subject: "0x0000000000000000000000000000000000000000",
            payload: { enterprises: 3, updated: "2026-11-25" },
          },
        ],
        log: "warn",
      }),
    );
    log(`data gateways: civil affairs ${gateways[0].url}, market regulation ${gateways[1].url}`);

    // The bank uses the citizen's consent for real: it asks the civil-affairs gateway for her marriage record, and
    // the access receipt lands on chain for her "who used my data" view.
    const bankProvider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const bank = devWallet(A.bankOperator, bankProvider);
    const record = await new GatewayClient({
      url: gateways[0].url,
      chain: await GovChainClient.connect({ manifest, provider: bankProvider }),
      signer: bank,
      requesterAgencyId: agencies.bank,
    }).get({ dataset: datasets.householdRegistry, subject: subjects.zhang, purpose: purposeCode("loan-application") });
    bankProvider.destroy();
    log(
      `  the bank read Zhang's marriage record through the gateway (grant ${record.grantId}); receipt queued on chain`,
    );
    // The verification portal: static files plus config.json, and a development relay for citizens' signed consents.
    log("building the verification portal ...");
    await buildPortal();
    portal = await startPortalServer({
      rpcUrl: chain.rpcUrl,
      manifest,
      port: PORTAL_PORT,
      relaySigner: devWallet(A.governance, new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true })),
      purposeLabels: ["loan-application", "housing-purchase", "tax-registration", "license-review"],
    });
    log(`verification portal: ${portal.url}  (drop a file from .demo/ on it; look up ${summary.titles.apartment})`);
    log(`RPC ${chain.rpcUrl} (chain ${manifest.chainId}). Press Ctrl-C to stop.`);
  } catch (error) {
    console.error(`[govchain] start failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

void main();
