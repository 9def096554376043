import fs from "node:fs";
import path from "node:path";

import { JsonRpcProvider } from "ethers";

import { deploySuite } from "../sdk/src/deploy/suite";
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
const DEMO_DIR = path.join(ROOT, ".demo");

async function main(): Promise<void> {
  const log = (line: string) => console.log(`[govchain] ${line}`);
  const chain = await startHardhatNode(PORT, log);
  const stop = async (code: number) => {
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
    log(
      `  wrapped certificates in ${path.relative(ROOT, DEMO_DIR)}/: ${summary.files.map((f) => path.basename(f)).join(", ")}`,
    );
    log(`  citizen Zhang: ${summary.subjects.zhang}`);
    log(`RPC ${chain.rpcUrl} (chain ${manifest.chainId}). Press Ctrl-C to stop.`);
  } catch (error) {
    console.error(`[govchain] start failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

void main();
