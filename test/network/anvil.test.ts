import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";
import hre from "hardhat";

import { deploySuite } from "../../sdk/src/deploy/suite";
import { readManifestAllowlist } from "../../sdk/src/network/directoryAllowlist";
import { type QbftGenesis, decodeQbftExtraData } from "../../sdk/src/network/genesis";
import { initNetwork } from "../../sdk/src/network/init";
import { SUITE_CONTRACTS, type Manifest } from "../../sdk/src/utils/manifest";
import { AgencyDirectory__factory, type AgencyDirectory } from "../../typechain-types";
import { type RunningAnvil, startAnvil } from "../helpers/anvil";
import { ALL_AGENCY_CAPABILITIES } from "../helpers/directory";

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
    // anvil reads chain id, fork milestones, base fee and alloc from the genesis; it has no consensus engine, so
    // QBFT's extraData is not used, and it takes the block gas limit from its own flag.
    anvil = await startAnvil([
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
      // Its ten development accounts get no ether either: nobody on this chain has any.
      "--balance",
      "0",
    ]);
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
