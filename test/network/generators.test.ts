import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { Wallet } from "ethers";
import { parse as parseToml } from "smol-toml";

import { RPC_HTTP_APIS } from "../../sdk/src/network/besuConfig";
import { NetworkKitError } from "../../sdk/src/network/errors";
import { BFT_MIX_HASH, buildQbftGenesis, decodeQbftExtraData, qbftExtraData } from "../../sdk/src/network/genesis";
import { initNetwork } from "../../sdk/src/network/init";
import {
  addressFromNodeId,
  enodeUrl,
  generateNodeKey,
  nodeKeyFromPrivateKey,
  parseEnodeUrl,
} from "../../sdk/src/network/keys";
import { defaultNodeSpecs, inIpv4Subnet, parseNetworkDescription } from "../../sdk/src/network/layout";
import { parsePermissionsConfig, planAllowlistSync } from "../../sdk/src/network/permissions";

// js-yaml ships with mocha (the test runner), so it is always here when tests run; it has no bundled types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as { load: (text: string) => unknown };

const GOVERNANCE = "0x00000000000000000000000000000000000000aa";
const DEPLOYER = "0x00000000000000000000000000000000000000bb";

describe("network kit: generators", function () {
  const temporary: string[] = [];
  function tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-net-"));
    temporary.push(dir);
    return dir;
  }
  after(function () {
    for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("node keys", function () {
    it("derives the node id, public key and address Besu derives from a private key", function () {
      const wallet = Wallet.createRandom();
      const key = nodeKeyFromPrivateKey(wallet.privateKey);
      expect(key.address).to.equal(wallet.address);
      expect(key.nodeId).to.match(/^[0-9a-f]{128}$/);
      expect(key.publicKey).to.equal(`0x${key.nodeId}`);
      expect(wallet.signingKey.publicKey).to.equal(`0x04${key.nodeId}`);
      expect(addressFromNodeId(key.nodeId)).to.equal(wallet.address);
    });

    it("generates different keys every time", function () {
      expect(generateNodeKey().privateKey).to.not.equal(generateNodeKey().privateKey);
    });

    it("builds and parses enode URLs, refusing malformed ones with NetworkKitError", function () {
      const key = generateNodeKey();
      const url = enodeUrl(key.nodeId, "10.0.0.5", 30303);
      expect(url).to.equal(`enode://${key.nodeId}@10.0.0.5:30303`);
      expect(parseEnodeUrl(url)).to.deep.equal({ nodeId: key.nodeId, host: "10.0.0.5", port: 30303 });
      expect(() => parseEnodeUrl(`enode://${key.nodeId.slice(2)}@10.0.0.5:30303`)).to.throw(NetworkKitError);
      expect(() => enodeUrl(key.nodeId, "10.0.0.5", 70_000)).to.throw(NetworkKitError, /port/);
      expect(() => nodeKeyFromPrivateKey("0x1234")).to.throw(NetworkKitError);
    });
  });

  describe("QBFT genesis", function () {
    const validators = Array.from({ length: 4 }, () => generateNodeKey().address);

    it("encodes extraData that RLP-decodes back to the sorted validator set", function () {
      const extraData = qbftExtraData(validators);
      const decoded = decodeQbftExtraData(extraData);
      const sorted = [...validators].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
      expect(decoded.validators).to.deep.equal(sorted);
      expect(decoded.vanity).to.equal("0x" + "00".repeat(32));
      expect(decoded.vote).to.deep.equal([]);
      expect(decoded.round).to.equal("0x");
      expect(decoded.seals).to.deep.equal([]);
      // The shape of Besu's documented 4-validator QBFT extraData: list header, vanity, 4 x 20 bytes, c0 80 c0.
      expect(extraData).to.match(/^0xf87aa0(00){32}f854(94[0-9a-f]{40}){4}c080c0$/);
      // Order of the input does not matter.
      expect(qbftExtraData([...validators].reverse())).to.equal(extraData);
    });

    it("refuses duplicate or missing validators with NetworkKitError", function () {
      expect(() => qbftExtraData([validators[0], validators[0].toLowerCase()])).to.throw(NetworkKitError, /twice/);
      expect(() => qbftExtraData([])).to.throw(NetworkKitError, /at least one validator/);
      expect(() => qbftExtraData(["0x1234"])).to.throw(NetworkKitError);
    });

    it("enables every fork through Cancun at block 0 and makes gas free", function () {
      const genesis = buildQbftGenesis({ chainId: 1337, validators });
      const { config } = genesis;
      for (const fork of [
        "homesteadBlock",
        "eip150Block",
        "eip155Block",
        "eip158Block",
        "byzantiumBlock",
        "constantinopleBlock",
        "petersburgBlock",
        "istanbulBlock",
        "muirGlacierBlock",
        "berlinBlock",
        "londonBlock",
        "shanghaiTime",
        "cancunTime",
      ] as const) {
        expect(config[fork], fork).to.equal(0);
      }
      expect(config.chainId).to.equal(1337);
      expect(config.zeroBaseFee).to.be.true;
      expect(genesis.baseFeePerGas).to.equal("0x0");
      expect(genesis.difficulty).to.equal("0x1");
      expect(genesis.mixHash).to.equal(BFT_MIX_HASH);
      expect(config.qbft).to.deep.equal({ blockperiodseconds: 2, epochlength: 30000, requesttimeoutseconds: 10 });
      expect(genesis.alloc).to.deep.equal({});
    });

    it("takes block period, epoch, timeout, gas limit and an alloc", function () {
      const funded = Wallet.createRandom().address;
      const genesis = buildQbftGenesis({
        chainId: 4242,
        validators,
        blockPeriodSeconds: 5,
        epochLength: 100,
        requestTimeoutSeconds: 12,
        gasLimit: 30_000_000n,
        alloc: { [funded]: 10n ** 18n },
      });
      expect(genesis.config.qbft).to.deep.equal({ blockperiodseconds: 5, epochlength: 100, requesttimeoutseconds: 12 });
      expect(genesis.gasLimit).to.equal("0x1c9c380");
      expect(genesis.alloc).to.deep.equal({ [funded.toLowerCase()]: { balance: "0xde0b6b3a7640000" } });
    });

    it("refuses a request timeout not longer than the block period with NetworkKitError", function () {
      expect(() =>
        buildQbftGenesis({ chainId: 1, validators, blockPeriodSeconds: 5, requestTimeoutSeconds: 5 }),
      ).to.throw(NetworkKitError, /request timeout/);
      expect(() => buildQbftGenesis({ chainId: 0, validators })).to.throw(NetworkKitError, /chain id/);
    });
  });

  describe("permissions", function () {
    it("plans adds and removals, never removing protected accounts", function () {
      const a = Wallet.createRandom().address;
      const b = Wallet.createRandom().address;
      const c = Wallet.createRandom().address;
      const plan = planAllowlistSync({
        current: [a, b.toLowerCase(), GOVERNANCE],
        desired: [b, c],
        protectedEntries: [GOVERNANCE, DEPLOYER],
      });
      expect(plan.add).to.deep.equal([c.toLowerCase(), DEPLOYER.toLowerCase()].sort());
      expect(plan.remove).to.deep.equal([a.toLowerCase()]);
      expect(plan.result).to.include(GOVERNANCE.toLowerCase());
    });
  });

  describe("initNetwork", function () {
    it("writes a complete, valid network folder for four validators", async function () {
      const directory = path.join(tempDir(), "net");
      const operator = Wallet.createRandom().address;
      const result = await initNetwork({
        directory,
        chainId: 31415,
        operators: ["City IT", "Land Registry", "Courts", "Data Office"],
        allowlist: [operator],
        protectedAccounts: [GOVERNANCE, DEPLOYER],
      });
      const read = (file: string) => fs.readFileSync(path.join(directory, file), "utf8");

      // genesis.json: JSON, validators = the four node addresses.
      const genesis = JSON.parse(read("genesis.json"));
      const description = parseNetworkDescription(read("network.json"));
      expect(description.nodes).to.have.length(4);
      expect(description.dockerMode).to.equal("bridge");
      expect(decodeQbftExtraData(genesis.extraData).validators).to.have.members(
        description.nodes.map((node) => node.address),
      );
      expect(genesis.config.cancunTime).to.equal(0);
      expect(genesis.config.zeroBaseFee).to.be.true;
      expect(genesis.baseFeePerGas).to.equal("0x0");

      // The master permissions file: governance, deployer and the operator; every node's enode.
      const master = parsePermissionsConfig(read("permissions_config.toml"));
      expect(master.accountsAllowlist).to.have.members([GOVERNANCE, DEPLOYER, operator].map((a) => a.toLowerCase()));
      expect(master.nodesAllowlist).to.have.members(description.nodes.map((node) => node.enode));

      const p2pPorts = new Set<number>();
      const rpcPorts = new Set<number>();
      for (const node of description.nodes) {
        const dir = node.name;
        // Keys: private key 0600, matching public key, address and enode.
        const privateKey = read(`${dir}/key`);
        expect(fs.statSync(path.join(directory, dir, "key")).mode & 0o777).to.equal(0o600);
        const key = nodeKeyFromPrivateKey(privateKey);
        expect(key.address).to.equal(node.address);
        expect(read(`${dir}/address`)).to.equal(node.address);
        expect(read(`${dir}/key.pub`)).to.equal(key.publicKey);
        const enode = parseEnodeUrl(read(`${dir}/enode`).trim());
        expect(enode).to.deep.equal({ nodeId: key.nodeId, host: node.host, port: node.p2pPort });
        p2pPorts.add(node.p2pPort);
        rpcPorts.add(node.rpcPort);

        // config.toml: valid TOML with the options the brief and Besu's documentation call for.
        const config = parseToml(read(`${dir}/config.toml`)) as Record<string, unknown>;
        expect(config).to.include({
          profile: "ENTERPRISE",
          "revert-reason-enabled": true,
          "min-gas-price": 0,
          "data-path": "data",
          "genesis-file": "genesis.json",
          "node-private-key-file": "key",
          "rpc-http-enabled": true,
          "rpc-http-port": node.rpcPort,
          "p2p-port": node.p2pPort,
          "p2p-host": node.host,
          "permissions-nodes-config-file-enabled": true,
          "permissions-accounts-config-file-enabled": true,
          "permissions-nodes-config-file": "permissions_config.toml",
          "permissions-accounts-config-file": "permissions_config.toml",
        });
        expect(config["rpc-http-api"]).to.deep.equal([...RPC_HTTP_APIS]);
        expect(config["host-allowlist"]).to.include.members(["localhost", "127.0.0.1"]);
        // Bootnodes: every other node, each of which is in the nodes allowlist (Besu refuses to start otherwise).
        const bootnodes = config.bootnodes as string[];
        expect(bootnodes).to.have.members(description.nodes.filter((n) => n !== node).map((n) => n.enode));
        for (const bootnode of bootnodes) expect(master.nodesAllowlist).to.include(bootnode);

        // The node's own copies are identical to the master copies.
        expect(read(`${dir}/genesis.json`)).to.equal(read("genesis.json"));
        expect(read(`${dir}/permissions_config.toml`)).to.equal(read("permissions_config.toml"));
        const script = read(`${dir}/start-${dir}.sh`);
        expect(script).to.match(/^#!\/bin\/sh/);
        expect(script).to.include("--config-file=config.toml");
        expect(fs.statSync(path.join(directory, dir, `start-${dir}.sh`)).mode & 0o111).to.not.equal(0);
        expect(fs.statSync(path.join(directory, dir, "data")).isDirectory()).to.be.true;
      }
      expect(p2pPorts.size).to.equal(4);
      expect(rpcPorts.size).to.equal(4);

      // docker-compose.yml: YAML, one service per node, official image, fixed addresses on the bridge network.
      const compose = yaml.load(read("docker-compose.yml")) as {
        services: Record<string, { image: string; command: string[]; volumes: string[]; networks: unknown }>;
        networks: { govchain: { ipam: { config: { subnet: string }[] } } };
      };
      expect(Object.keys(compose.services)).to.deep.equal(description.nodes.map((node) => node.name));
      for (const node of description.nodes) {
        const service = compose.services[node.name];
        expect(service.image).to.match(/^hyperledger\/besu:/);
        expect(service.command).to.include("--config-file=/var/lib/besu/config.toml");
        expect(service.volumes).to.deep.equal([`./${node.name}:/var/lib/besu`]);
        expect(service.networks).to.deep.equal({ govchain: { ipv4_address: node.host } });
        expect(inIpv4Subnet(node.host, compose.networks.govchain.ipam.config[0].subnet)).to.be.true;
      }

      // Keys never committed; an operator README.
      expect(read(".gitignore")).to.include("*/key");
      expect(read("README.txt")).to.include("chain id 31415").and.include("Land Registry");
      expect(result.files).to.include("node-1/key");
    });

    it("uses host networking when the nodes run on their own servers", async function () {
      const hosts = ["10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4"];
      const directory = path.join(tempDir(), "servers");
      const { description } = await initNetwork({ directory, chainId: 7, hosts });
      expect(description.dockerMode).to.equal("host");
      // One server each: the same well-known ports everywhere.
      expect(description.nodes.map((node) => node.p2pPort)).to.deep.equal([30303, 30303, 30303, 30303]);
      expect(description.nodes.map((node) => node.rpcUrl)).to.deep.equal(hosts.map((host) => `http://${host}:8545`));
      const compose = yaml.load(fs.readFileSync(path.join(directory, "docker-compose.yml"), "utf8")) as {
        services: Record<string, { network_mode: string }>;
        networks?: unknown;
      };
      expect(compose.services["node-3"].network_mode).to.equal("host");
      expect(compose.networks).to.equal(undefined);
    });

    it("refuses a folder that is not empty, and two nodes on the same endpoint, with NetworkKitError", async function () {
      const directory = tempDir();
      fs.writeFileSync(path.join(directory, "something"), "x");
      let caught: unknown;
      try {
        await initNetwork({ directory, chainId: 7 });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(NetworkKitError);
      expect((caught as NetworkKitError).shortMessage).to.match(/not empty/);

      const specs = defaultNodeSpecs(2, { hosts: ["10.0.0.1", "10.0.0.1"], p2pBasePort: 30303, rpcBasePort: 30304 });
      caught = undefined;
      try {
        await initNetwork({ directory: path.join(tempDir(), "clash"), chainId: 7, nodes: specs });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(NetworkKitError);
      expect((caught as NetworkKitError).shortMessage).to.match(/10\.0\.0\.1:30304/);
    });
  });
});
