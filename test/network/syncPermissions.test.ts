import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers, upgrades } from "hardhat";

import { readDirectoryAllowlist } from "../../sdk/src/network/directoryAllowlist";
import { generateNodeKey, enodeUrl } from "../../sdk/src/network/keys";
import { parsePermissionsConfig, permissionsConfigToml } from "../../sdk/src/network/permissions";
import { syncPermissions, syncPermissionsFromDirectory } from "../../sdk/src/network/syncPermissions";
import type { Manifest } from "../../sdk/src/utils/manifest";
import { capabilityMask } from "../../sdk/src/utils/capabilities";
import { deployDirectory, onboard } from "../helpers/directory";
import { type MockPermNode, startMockPermNode } from "../helpers/permServer";

const lower = (accounts: string[]) => accounts.map((account) => account.toLowerCase()).sort();

describe("network kit: sync-permissions", function () {
  const DEPLOYER = ethers.Wallet.createRandom().address;
  const STALE = ethers.Wallet.createRandom().address;
  const nodes: MockPermNode[] = [];
  let workdir: string;

  before(async function () {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-sync-"));
  });
  after(async function () {
    await Promise.all(nodes.map((node) => node.close()));
    fs.rmSync(workdir, { recursive: true, force: true });
  });

  /** A mock node that starts like a freshly generated network: governance and the deployer allowed. */
  async function mockNode(extra: string[] = []): Promise<MockPermNode> {
    const [governance] = await ethers.getSigners();
    const node = await startMockPermNode({ accounts: [governance.address, DEPLOYER, ...extra] });
    nodes.push(node);
    return node;
  }

  async function directoryFixture() {
    const [governance, cityAdmin, landAdmin, cityOperator, landOperator, districtAdmin, districtOperator] =
      await ethers.getSigners();
    const directory = await deployDirectory();
    const proxy = await directory.getAddress();
    const deploymentBlock = await ethers.provider.getBlockNumber();
    const cityId = await onboard(directory, "City", "CN/31", cityAdmin.address, capabilityMask("AccreditAgencies"));
    const landId = await onboard(directory, "Land Registry", "CN/31", landAdmin.address, 0);
    await directory.connect(cityAdmin).accreditAgency(cityId, "District", "CN/31/04", districtAdmin.address, 0);
    const districtId = cityId + 2n;
    await directory.connect(cityAdmin).addOperator(cityId, cityOperator.address);
    await directory.connect(landAdmin).addOperator(landId, landOperator.address);
    await directory.connect(districtAdmin).addOperator(districtId, districtOperator.address);
    const manifest: Manifest = {
      format: 1,
      network: "hardhat",
      chainId: 31337,
      governance: governance.address,
      contracts: {
        AgencyDirectory: {
          address: proxy,
          implementation: await upgrades.erc1967.getImplementationAddress(proxy),
          deploymentBlock,
          version: await directory.VERSION(),
        },
      },
      updatedAt: new Date().toISOString(),
    };
    const agencyAccounts = [cityAdmin, landAdmin, districtAdmin, cityOperator, landOperator, districtOperator].map(
      (signer) => signer.address,
    );
    return {
      directory,
      manifest,
      governance,
      cityAdmin,
      landAdmin,
      districtAdmin,
      cityOperator,
      landOperator,
      districtOperator,
      cityId,
      landId,
      districtId,
      agencyAccounts,
    };
  }

  function sync(
    manifest: Manifest,
    urls: string[],
    extra: Partial<Parameters<typeof syncPermissionsFromDirectory>[0]> = {},
  ) {
    return syncPermissionsFromDirectory({
      provider: ethers.provider,
      manifest,
      nodeUrls: urls,
      protectedAccounts: [DEPLOYER],
      maxBlockRange: 3,
      ...extra,
    });
  }

  it("on onboarding, adds the agencies' admins and operator keys to every node, and removes strangers", async function () {
    const { manifest, governance, agencyAccounts } = await loadFixture(directoryFixture);
    const first = await mockNode([STALE]);
    const second = await mockNode();
    const report = await sync(manifest, [first.url, second.url]);

    expect(report.ok).to.be.true;
    for (const node of [first, second]) {
      const adds = node.calls.filter((call) => call.method === "perm_addAccountsToAllowlist");
      expect(adds).to.have.length(1);
      expect(adds[0].params[0]).to.deep.equal(lower(agencyAccounts));
      expect(lower([...node.accounts])).to.deep.equal(lower([governance.address, DEPLOYER, ...agencyAccounts]));
    }
    expect(first.calls.find((call) => call.method === "perm_removeAccountsFromAllowlist")?.params).to.deep.equal([
      [STALE.toLowerCase()],
    ]);
    expect(second.calls.some((call) => call.method === "perm_removeAccountsFromAllowlist")).to.be.false;

    // A second run finds nothing to do and changes nothing.
    const calls = first.calls.length;
    const again = await sync(manifest, [first.url]);
    expect(again.nodes[0].accounts).to.deep.include({ add: [], remove: [] });
    expect(first.calls.slice(calls).map((call) => call.method)).to.deep.equal(["perm_getAccountsAllowlist"]);
  });

  it("on key removal, removes exactly that key", async function () {
    const { manifest, directory, cityAdmin, cityOperator, cityId } = await loadFixture(directoryFixture);
    const node = await mockNode();
    await sync(manifest, [node.url]);
    await directory.connect(cityAdmin).removeOperator(cityId, cityOperator.address);

    const before = node.calls.length;
    const report = await sync(manifest, [node.url]);
    const calls = node.calls.slice(before);
    expect(calls.map((call) => call.method)).to.deep.equal([
      "perm_getAccountsAllowlist",
      "perm_removeAccountsFromAllowlist",
    ]);
    expect(calls[1].params).to.deep.equal([[cityOperator.address.toLowerCase()]]);
    expect(report.directory.excluded).to.deep.include({
      account: cityOperator.address,
      agencyId: Number(cityId),
      role: "operator",
      reason: "key removed",
    });
  });

  it("on suspension, removes the agency's admin and keys and those of the agencies below it", async function () {
    const { manifest, directory, cityAdmin, cityOperator, districtAdmin, districtOperator, cityId } =
      await loadFixture(directoryFixture);
    const node = await mockNode();
    await sync(manifest, [node.url]);
    await directory.suspendAgency(cityId);

    const before = node.calls.length;
    const report = await sync(manifest, [node.url]);
    const removal = node.calls.slice(before).find((call) => call.method === "perm_removeAccountsFromAllowlist");
    expect(removal?.params[0]).to.deep.equal(
      lower([cityAdmin.address, cityOperator.address, districtAdmin.address, districtOperator.address]),
    );
    const reasons = Object.fromEntries(report.directory.excluded.map((entry) => [entry.account, entry.reason]));
    expect(reasons[cityOperator.address]).to.equal("agency suspended");
    expect(reasons[districtOperator.address]).to.equal("parent agency not active");

    // Reinstatement gives them back.
    await directory.reinstateAgency(cityId);
    const back = node.calls.length;
    await sync(manifest, [node.url]);
    const added = node.calls.slice(back).find((call) => call.method === "perm_addAccountsToAllowlist");
    expect(added?.params[0]).to.have.length(4);
  });

  it("removes a dissolved agency's accounts and a compromised key", async function () {
    const { manifest, directory, landAdmin, landOperator, cityOperator, cityAdmin, landId, cityId } =
      await loadFixture(directoryFixture);
    const node = await mockNode();
    await sync(manifest, [node.url]);
    await directory.dissolveAgency(landId, cityId);
    await directory.connect(cityAdmin).reportKeyCompromised(cityId, cityOperator.address, 1);
    const before = node.calls.length;
    const report = await sync(manifest, [node.url]);
    const removal = node.calls.slice(before).find((call) => call.method === "perm_removeAccountsFromAllowlist");
    expect(removal?.params[0]).to.deep.equal(lower([landAdmin.address, landOperator.address, cityOperator.address]));
    const reasons = Object.fromEntries(report.directory.excluded.map((entry) => [entry.account, entry.reason]));
    expect(reasons[landOperator.address]).to.equal("agency dissolved");
    expect(reasons[cityOperator.address]).to.equal("key compromised");
  });

  it("never removes governance or the deployer, and puts them back when a node lacks them", async function () {
    const { governance } = await loadFixture(directoryFixture);
    const node = await startMockPermNode({ accounts: [STALE] });
    nodes.push(node);
    // The directory allows nobody (as if every agency were suspended): only the protected accounts remain.
    const report = await syncPermissions({
      allowed: [],
      protectedAccounts: [governance.address, DEPLOYER],
      nodeUrls: [node.url],
    });
    expect(report.ok).to.be.true;
    expect(lower([...node.accounts])).to.deep.equal(lower([governance.address, DEPLOYER]));
    for (const call of node.calls.filter((c) => c.method === "perm_removeAccountsFromAllowlist")) {
      expect(call.params[0]).to.not.include(governance.address.toLowerCase());
      expect(call.params[0]).to.not.include(DEPLOYER.toLowerCase());
    }
  });

  it("makes no change in a dry run", async function () {
    const { manifest } = await loadFixture(directoryFixture);
    const node = await mockNode([STALE]);
    const report = await sync(manifest, [node.url], { dryRun: true });
    expect(report.nodes[0].accounts!.add).to.have.length(6);
    expect(report.nodes[0].accounts!.remove).to.deep.equal([STALE.toLowerCase()]);
    expect(node.calls.map((call) => call.method)).to.deep.equal(["perm_getAccountsAllowlist"]);
  });

  it("keeps going when one node is unreachable, and reports it", async function () {
    const { manifest } = await loadFixture(directoryFixture);
    const down = await startMockPermNode();
    await down.close();
    const up = await mockNode();
    const report = await sync(manifest, [down.url, up.url]);
    expect(report.ok).to.be.false;
    expect(report.nodes[0].error?.shortMessage).to.match(/cannot reach the node/);
    expect(report.nodes[1].error).to.equal(undefined);
    expect(up.accounts.size).to.equal(8);
  });

  it("rewrites the permissions files, keeping their nodes allowlist, and adds missing enodes", async function () {
    const { manifest, governance, agencyAccounts } = await loadFixture(directoryFixture);
    const enodes = [1, 2].map((index) => enodeUrl(generateNodeKey().nodeId, "127.0.0.1", 30_302 + index));
    const file = path.join(workdir, "permissions_config.toml");
    fs.writeFileSync(file, permissionsConfigToml({ accountsAllowlist: [STALE], nodesAllowlist: [enodes[0]] }));
    const node = await mockNode();
    node.nodes.add(enodes[0]);

    const report = await sync(manifest, [node.url], { permissionsFiles: [file] });
    expect(report.filesWritten).to.deep.equal([file]);
    const rewritten = parsePermissionsConfig(fs.readFileSync(file, "utf8"));
    expect(rewritten.accountsAllowlist).to.deep.equal(lower([governance.address, DEPLOYER, ...agencyAccounts]));
    expect(rewritten.nodesAllowlist).to.deep.equal([enodes[0]]);

    await sync(manifest, [node.url], { permissionsFiles: [file], enodes });
    expect([...node.nodes].sort()).to.deep.equal([...enodes].sort());
    expect(parsePermissionsConfig(fs.readFileSync(file, "utf8")).nodesAllowlist).to.deep.equal([...enodes].sort());
  });

  it("reads the allowlist in log pages of the size asked for", async function () {
    const { manifest } = await loadFixture(directoryFixture);
    const lines: string[] = [];
    const allowlist = await readDirectoryAllowlist({
      provider: ethers.provider,
      directory: manifest.contracts.AgencyDirectory!.address,
      fromBlock: manifest.contracts.AgencyDirectory!.deploymentBlock,
      maxBlockRange: 1,
      log: (line) => lines.push(line),
    });
    const pages = lines.filter((line) => line.startsWith("scanned blocks"));
    expect(pages.length).to.equal(allowlist.toBlock - allowlist.fromBlock + 1);
    expect(allowlist.accounts).to.have.length(6);
  });
});
