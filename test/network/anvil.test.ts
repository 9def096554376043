import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";
import hre from "hardhat";

import { DEMO_ACCOUNTS, devWallet } from "../../scripts/demo/accounts";
import { seedDemo, type DemoSummary } from "../../scripts/demo/seed";
import { GovChainClient } from "../../sdk/src/client";
import { deploySuite } from "../../sdk/src/deploy/suite";
import { readManifestAllowlist } from "../../sdk/src/network/directoryAllowlist";
import { type QbftGenesis, decodeQbftExtraData } from "../../sdk/src/network/genesis";
import { initNetwork } from "../../sdk/src/network/init";
import { SUITE_CONTRACTS, type Manifest } from "../../sdk/src/utils/manifest";
import { AgencyDirectory__factory, type AgencyDirectory } from "../../typechain-types";
import { type RunningAnvil, startAnvil } from "../helpers/anvil";
import { ALL_AGENCY_CAPABILITIES } from "../helpers/directory";

/**
 * anvil on a generated genesis: it reads chain id, fork milestones, base fee and alloc from the file; it has no
 * consensus engine (QBFT's extraData is unused) and takes the block gas limit from its own flag. Its ten
 * development accounts get no ether either: nobody on this chain has any.
 */
function startAnvilOnGenesis(genesisFile: string, genesis: QbftGenesis): Promise<RunningAnvil> {
  return startAnvil([
    "--init",
    genesisFile,
    "--base-fee",
    "0",
    "--gas-price",
    "0",
    "--hardfork",
    "cancun",
    "--gas-limit",
    BigInt(genesis.gasLimit).toString(),
    "--balance",
    "0",
  ]);
}

/**
 * The generated genesis.json runs: anvil starts from it (standing in for a Besu node, without QBFT consensus), and the
 * whole suite is deployed and used over JSON-RPC by wallets that hold no ether at all, sending gasPrice 0 and signing
 * locally, exactly as on the Besu network.
 */
describe("network kit: the generated genesis runs (anvil)", function () {
  const CHAIN_ID = 31_415;
  const FREE = { gasPrice: 0n };
  // Directory writes get a fixed gas limit (free, so headroom costs nothing): anvil estimates gas in the context of
  // the latest block, so a checkpoint written in that block looks like an in-place update (cheap), while the
  // transaction runs in a later second and appends a new checkpoint (dearer) and can run out of gas.
  const WRITE = { gasPrice: 0n, gasLimit: 1_000_000n };
  let workdir: string;
  let anvil: RunningAnvil | undefined;
  let provider: JsonRpcProvider;
  let genesis: QbftGenesis;
  let governance: Wallet;
  let admin: Wallet;
  let operator: Wallet;
  let manifest: Manifest;
  let directory: AgencyDirectory;
  let agencyId: bigint;

  before(async function () {
    // Under `npm run coverage` the typechain bytecode is instrumented and exceeds the 24 KiB code-size limit that
    // this chain (like Besu) enforces; this suite is about the genesis, not about coverage.
    if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-anvil-"));
    governance = new Wallet(Wallet.createRandom().privateKey);
    admin = new Wallet(Wallet.createRandom().privateKey);
    operator = new Wallet(Wallet.createRandom().privateKey);
    await initNetwork({
      directory: path.join(workdir, "net"),
      chainId: CHAIN_ID,
      blockPeriodSeconds: 1,
      protectedAccounts: [governance.address],
    });
    const genesisFile = path.join(workdir, "net", "genesis.json");
    genesis = JSON.parse(fs.readFileSync(genesisFile, "utf8")) as QbftGenesis;
    anvil = await startAnvilOnGenesis(genesisFile, genesis);
    provider = new JsonRpcProvider(anvil.url, undefined, {
      staticNetwork: true,
      pollingInterval: 50,
      // anvil mines at once: a 250 ms cache would hand the next transaction a stale nonce.
      cacheTimeout: -1,
    });
    governance = governance.connect(provider);
    admin = admin.connect(provider);
    operator = operator.connect(provider);
  });

  after(async function () {
    provider?.destroy();
    await anvil?.stop();
    if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
  });

  it("serves the genesis chain id with a zero base fee", async function () {
    expect(Number((await provider.getNetwork()).chainId)).to.equal(CHAIN_ID);
    expect(genesis.config.chainId).to.equal(CHAIN_ID);
    const block = await provider.getBlock("latest");
    expect(block!.baseFeePerGas).to.equal(0n);
    expect(decodeQbftExtraData(genesis.extraData).validators).to.have.length(4);
    expect(await provider.getBalance(governance.address)).to.equal(0n);
  });

  it("deploys the suite from a wallet holding zero ether, with gasPrice 0", async function () {
    const result = await deploySuite({ signer: governance, network: "qbft-anvil", overrides: FREE });
    manifest = result.manifest;
    expect(result.deployed).to.deep.equal([...SUITE_CONTRACTS]);
    expect(manifest.chainId).to.equal(CHAIN_ID);
    expect(manifest.governance).to.equal(governance.address);
    directory = AgencyDirectory__factory.connect(manifest.contracts.AgencyDirectory!.address, governance);
    // The implementation was compiled for Cancun (OpenZeppelin 5 uses mcopy) and runs here.
    expect(await directory.isGovernor(governance.address)).to.be.true;
    expect(await provider.getBalance(governance.address)).to.equal(0n);

    const again = await deploySuite({ signer: governance, network: "qbft-anvil", existing: manifest, overrides: FREE });
    expect(again.deployed).to.deep.equal([]);
  });

  it("onboards an agency, adds an operator, and answers canAct over the node", async function () {
    const receipt = await (
      await directory.onboardAgency(
        "Shanghai Municipal Government",
        "CN/31",
        admin.address,
        ALL_AGENCY_CAPABILITIES,
        WRITE,
      )
    ).wait();
    const onboarded = receipt!.logs
      .map((entry) => directory.interface.parseLog(entry))
      .find((parsed) => parsed?.name === "AgencyOnboarded");
    agencyId = onboarded!.args.agencyId as bigint;
    await (await directory.connect(admin).addOperator(agencyId, operator.address, WRITE)).wait();
    expect(await directory.canAct(operator.address, agencyId, 0)).to.be.true;
    expect(await directory.canAct(operator.address, agencyId, ALL_AGENCY_CAPABILITIES)).to.be.true;
    expect(await provider.getBalance(admin.address)).to.equal(0n);
  });

  it("reads the node-level allowlist from the directory in bounded log ranges", async function () {
    const lines: string[] = [];
    const allowlist = await readManifestAllowlist(provider, manifest, { maxBlockRange: 2, log: (l) => lines.push(l) });
    expect(allowlist.accounts).to.have.members([admin.address, operator.address]);
    // Several eth_getLogs pages were needed for these few blocks.
    expect(lines.filter((line) => line.startsWith("scanned blocks")).length).to.be.greaterThan(1);
  });

  it("drops a removed key and a suspended agency from the allowlist", async function () {
    await (await directory.connect(admin).removeOperator(agencyId, operator.address, WRITE)).wait();
    let allowlist = await readManifestAllowlist(provider, manifest);
    expect(allowlist.accounts).to.deep.equal([admin.address]);
    expect(allowlist.excluded).to.deep.include({
      account: operator.address,
      agencyId: Number(agencyId),
      role: "operator",
      reason: "key removed",
    });

    await (await directory.connect(admin).addOperator(agencyId, operator.address, WRITE)).wait();
    await (await directory.suspendAgency(agencyId, WRITE)).wait();
    allowlist = await readManifestAllowlist(provider, manifest);
    expect(allowlist.accounts).to.deep.equal([]);
    expect(allowlist.excluded.map((entry) => entry.reason)).to.deep.equal(["agency suspended", "agency suspended"]);
  });
});

describe("network kit: the SDK smoke test on the generated genesis (anvil, nobody holds ether)", function () {
  this.timeout(240_000);
  let workdir: string;
  let anvil: RunningAnvil | undefined;
  let provider: JsonRpcProvider;
  let summary: DemoSummary;
  let client: GovChainClient;

  before(async function () {
    if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-anvil-smoke-"));
    await initNetwork({ directory: path.join(workdir, "net"), chainId: 31_416, blockPeriodSeconds: 1 });
    const genesisFile = path.join(workdir, "net", "genesis.json");
    const genesis = JSON.parse(fs.readFileSync(genesisFile, "utf8")) as QbftGenesis;
    anvil = await startAnvilOnGenesis(genesisFile, genesis);
    provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    // Every demo role signs locally with a key holding no ether; the SDK sees base fee 0 and sends gasPrice 0.
    const { manifest } = await deploySuite({
      signer: devWallet(DEMO_ACCOUNTS.governance, provider),
      network: "qbft-anvil",
      overrides: { gasPrice: 0n },
    });
    summary = await seedDemo({ rpcUrl: anvil.url, manifest, outDir: path.join(workdir, "demo") });
    client = await GovChainClient.connect({ manifest, provider });
  });

  after(async function () {
    provider?.destroy();
    await anvil?.stop();
    if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
  });

  it("issues, verifies and revokes certificates, registers and sells a title, and grants consent, for free", async function () {
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(workdir, "demo", file), "utf8"));
    expect((await client.verifyCertificate(read("business-licence-valid.json"))).valid).to.be.true;
    const revoked = await client.verifyCertificate(read("business-licence-revoked.json"));
    expect(revoked.checks.status.issues[0].code).to.equal("CERTIFICATE_REVOKED");
    const apartment = await client.titles.titleByParcel(summary.titles.apartment);
    expect(apartment!.owners).to.have.length(2);
    expect((await client.titles.liensOf(apartment!.titleId))[0].lenderAgencyId).to.equal(summary.agencies.bank);
    const [consent] = await client.dataSharing.consentsOf(summary.subjects.zhang);
    expect(consent.requesterAgencyId).to.equal(summary.agencies.bank);
    for (const index of Object.values(DEMO_ACCOUNTS)) {
      expect(await provider.getBalance(devWallet(index).address)).to.equal(0n);
    }
  });
});
