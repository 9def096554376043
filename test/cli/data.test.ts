import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider } from "ethers";

import { runGateway, type RunningGateway } from "../../gateway/src";
import { DEMO_ACCOUNTS, devWallet } from "../../scripts/demo/accounts";
import { seedDemo, type DemoSummary } from "../../scripts/demo/seed";
import { startHardhatNode, type LocalChain } from "../../scripts/localChain";
import { GovChainClient } from "../../sdk/src/client";
import { deploySuite } from "../../sdk/src/deploy/suite";
import { writeManifestFile } from "../../sdk/src/node/manifestFile";
import { freePort } from "../helpers/anvil";
import { cliEnv, runCli, spawnCli } from "../helpers/cli";

describe("govchain data get and govchain gateway", function () {
  this.timeout(300_000);
  let chain: LocalChain;
  let provider: JsonRpcProvider;
  let workdir: string;
  let manifestFile: string;
  let summary: DemoSummary;
  let gateway: RunningGateway;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    chain = await startHardhatNode(await freePort());
    provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const { manifest } = await deploySuite({
      signer: devWallet(DEMO_ACCOUNTS.governance, provider),
      network: "localhost",
    });
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-data-cli-"));
    manifestFile = path.join(workdir, "manifest.json");
    writeManifestFile(manifestFile, manifest);
    summary = await seedDemo({ rpcUrl: chain.rpcUrl, manifest, outDir: path.join(workdir, "demo") });
    gateway = await runGateway({
      manifest,
      rpcUrl: chain.rpcUrl,
      agencyId: summary.agencies.civilAffairs,
      datasets: [summary.datasets.householdRegistry],
      gatewayKey: devWallet(DEMO_ACCOUNTS.gatewayCivilAffairs).privateKey,
      port: 0,
      seed: [
        { datasetId: summary.datasets.householdRegistry, subject: summary.subjects.zhang, payload: { married: true } },
      ],
      log: "silent",
    });
    env = cliEnv({ GOVCHAIN_RPC_URL: chain.rpcUrl, GOVCHAIN_DEPLOYMENT: manifestFile });
  });

  after(async function () {
    await gateway?.close();
    provider?.destroy();
    await chain?.stop();
    if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
  });

  const getArgs = (agency: number) => [
    "data",
    "get",
    String(summary.datasets.householdRegistry),
    summary.subjects.zhang,
    "--purpose",
    "loan-application",
    "--gateway",
    gateway.url,
    "--agency",
    String(agency),
    "--json",
  ];

  it("releases a consented record to the bank's operator and leaves a receipt on chain", async function () {
    const result = await runCli(getArgs(summary.agencies.bank), {
      ...env,
      GOVCHAIN_PRIVATE_KEY: devWallet(DEMO_ACCOUNTS.bankOperator).privateKey,
    });
    expect(result.code, result.stderr).to.equal(0);
    const released = JSON.parse(result.stdout) as { record: unknown; grantId: string };
    expect(released.record).to.deep.equal({ married: true });
    const client = await GovChainClient.connect({
      manifest: summary && JSON.parse(fs.readFileSync(manifestFile, "utf8")),
      provider,
    });
    for (
      let attempt = 0;
      attempt < 60 && (await client.dataSharing.receiptsOf(summary.subjects.zhang)).length < 2;
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // The seeded demo recorded one access; the gateway anchors this one.
    expect(await client.dataSharing.receiptsOf(summary.subjects.zhang)).to.have.length(2);
  });

  it("refuses an agency without consent with a clear message and a non-zero exit", async function () {
    const result = await runCli(getArgs(summary.agencies.tax), {
      ...env,
      GOVCHAIN_PRIVATE_KEY: devWallet(DEMO_ACCOUNTS.taxOperator).privateKey,
    });
    expect(result.code).to.not.equal(0);
    expect(result.stderr).to.match(/^error: .*NoPermission/m);
    expect(result.stderr).to.not.contain("    at ");
  });

  it("runs a gateway that answers health checks, and stops on SIGTERM", async function () {
    const port = await freePort();
    const child = spawnCli(["gateway", "--agency", String(summary.agencies.marketRegulation), "--port", String(port)], {
      ...env,
      GOVCHAIN_PRIVATE_KEY: devWallet(DEMO_ACCOUNTS.gatewayMarketRegulation).privateKey,
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      let healthy = false;
      for (let attempt = 0; attempt < 240 && !healthy; attempt++) {
        healthy = await fetch(`http://127.0.0.1:${port}/health`)
          .then((response) => response.ok)
          .catch(() => false);
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(healthy).to.be.true;
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).to.not.equal(null);
  });
});
