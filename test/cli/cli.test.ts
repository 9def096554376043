import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { id, JsonRpcProvider, zeroPadValue, toBeHex } from "ethers";

import { devWallet } from "../../scripts/demo/accounts";
import { startHardhatNode } from "../../scripts/localChain";
import { GovChainClient } from "../../sdk/src/client";
import { CertificateStatus, checkIntegrity } from "../../sdk/src/utils/documents";
import type { WrappedCertificate } from "../../sdk/src/utils/documents/format";
import { parseManifest, type Manifest } from "../../sdk/src/utils/manifest";
import { freePort, startAnvil } from "../helpers/anvil";
import {
  cliEnv,
  EXAMPLES,
  journalEntries,
  licenceCsv,
  runCli,
  runOk,
  spawnCli,
  waitFor,
  type CliResult,
} from "../helpers/cli";

/**
 * The `govchain` CLI end to end: a real node in a child process (Hardhat's `hardhat node`, then anvil, an independent
 * implementation), the suite deployed by `govchain deploy` over HTTP, and every step driven through
 * `node cli/bin/govchain.js` as a person or a script would. The node's state builds up from test to test (a
 * separate process cannot be snapshotted with loadFixture), so the tests of a suite run in order.
 */

const BATCH_ROWS = 200;
const BATCH_CHUNK = 10;

interface NodeUnderTest {
  name: string;
  start: () => Promise<{ url: string; stop: () => Promise<void> }>;
  /** Run the title workflow too (once is enough: it exercises the CLI, not the node). */
  titles: boolean;
}

const NODES: NodeUnderTest[] = [
  {
    name: "a separate Hardhat node over HTTP",
    start: async () => {
      const chain = await startHardhatNode(await freePort());
      return { url: chain.rpcUrl, stop: chain.stop };
    },
    titles: true,
  },
  {
    name: "anvil (an independent node implementation)",
    start: async () => {
      const anvil = await startAnvil([]);
      return { url: anvil.url, stop: anvil.stop };
    },
    titles: false,
  },
];

const key = (index: number) => devWallet(index).privateKey;
const address = (index: number) => devWallet(index).address;

const BUSINESS_SCHEMA = path.join(EXAMPLES, "business-licence.schema.json");
const RESIDENT_SCHEMA = path.join(EXAMPLES, "resident-certificate.schema.json");

/** Exactly one `error:` line and no stack trace: a person reads one clear message. */
function expectOneClearError(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).to.not.equal(0);
  const errors = result.stderr.split("\n").filter((line) => line.startsWith("error: "));
  expect(errors, result.stderr).to.have.length(1);
  expect(errors[0]).to.match(message);
  expect(result.stderr).to.not.match(/^\s+at /m);
}

function wrappedFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".json") && file !== "index.json")
    .map((file) => path.join(dir, file));
}

function readCertificate(file: string): WrappedCertificate {
  return JSON.parse(fs.readFileSync(file, "utf8")) as WrappedCertificate;
}

for (const node of NODES) {
  describe(`govchain CLI on ${node.name}`, function () {
    this.timeout(600_000);
    let chain: { url: string; stop: () => Promise<void> } | undefined;
    let work: string;
    let env: NodeJS.ProcessEnv;
    let manifestFile: string;
    let manifest: Manifest;
    let provider: JsonRpcProvider;
    let agencyId: number;
    let bankAgencyId: number;
    let typeId: number;
    let certificateId: string;
    const cli = (...args: string[]) => runCli(args, env);
    const ok = <T = Record<string, unknown>>(...args: string[]) => runOk<T>(args, env);
    const file = (name: string, contents: string) => {
      const target = path.join(work, name);
      fs.writeFileSync(target, contents);
      return target;
    };

    before(async function () {
      chain = await node.start();
      work = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-cli-"));
      manifestFile = path.join(work, "deployments", "local.json");
      env = cliEnv({ GOVCHAIN_RPC_URL: chain.url, GOVCHAIN_DEPLOYMENT: manifestFile });
      provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    });

    after(async function () {
      provider?.destroy();
      await chain?.stop();
      if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    it("deploys the whole suite over a bare RPC URL, and changes nothing when re-run", async function () {
      const bare = cliEnv();
      const first = await runOk<{ changed: boolean; manifestFile: string }>(
        ["deploy", "--rpc", chain!.url, "--key", key(0), "--deployment", manifestFile, "--json"],
        bare,
      );
      expect(first.changed).to.be.true;
      manifest = parseManifest(fs.readFileSync(manifestFile, "utf8"));
      expect(manifest.chainId).to.equal(Number((await provider.getNetwork()).chainId));
      expect(manifest.contracts.CertificateRegistry).to.not.be.undefined;
      const blockBefore = await provider.getBlockNumber();
      const again = await runOk<CliResult>(
        ["deploy", "--rpc", chain!.url, "--key", key(0), "--deployment", manifestFile],
        bare,
      );
      expect(again.stdout).to.contain("nothing changed");
      expect(await provider.getBlockNumber()).to.equal(blockBefore);
      expect(parseManifest(fs.readFileSync(manifestFile, "utf8")).contracts).to.deep.equal(manifest.contracts);
    });

    it("onboards an agency, adds its operator key and registers a certificate type from a JSON Schema", async function () {
      const onboarded = await ok<{ agencyId: number }>(
        ...["agency", "onboard", "--key", key(0), "--json", "--name", "上海市市场监督管理局"],
        ...["--jurisdiction", "CN/31", "--admin", address(1)],
        ...["--capabilities", "IssueCertificates,PublishDatasets,RequestData"],
      );
      agencyId = onboarded.agencyId;
      // The key may also come from the environment.
      await runOk(["agency", "operator", "add", String(agencyId), address(2)], {
        ...env,
        GOVCHAIN_PRIVATE_KEY: key(1),
      });
      const shown = await ok<{ operators: { account: string; active: boolean }[] }>(
        ...["agency", "show", String(agencyId), "--json"],
      );
      expect(shown.operators).to.deep.equal([
        { keyId: 1, agencyId, account: address(2), active: true, compromisedSince: 0 },
      ]);
      const type = await ok<{ typeId: number; schemaHash: string }>(
        ...["cert", "type", "add", "--key", key(2), "--json", "--agency", String(agencyId)],
        ...["--name", "营业执照 Business licence", "--schema", BUSINESS_SCHEMA, "--revocable"],
      );
      typeId = type.typeId;
      const onChain = await ok<{ schemaHash: string }>("cert", "type", "show", String(typeId), "--json");
      expect(onChain.schemaHash).to.equal(type.schemaHash);
    });

    it("issues, verifies, discloses and revokes a certificate; verify exits 0 valid and 1 invalid", async function () {
      const wrappedFile = path.join(work, "licence.wrapped.json");
      const issued = await ok<{ certificateId: string }>(
        ...["cert", "issue", path.join(EXAMPLES, "licence.json"), "--type", String(typeId)],
        ...["--schema", BUSINESS_SCHEMA, "--key", key(2), "--out", wrappedFile, "--json"],
      );
      certificateId = issued.certificateId;

      const valid = await cli("cert", "verify", wrappedFile);
      expect(valid.code, valid.stderr).to.equal(0);
      for (const check of ["integrity", "issuance", "status", "validity", "issuer"]) {
        expect(valid.stdout).to.match(new RegExp(`\\[passed\\s*\\] ${check}`));
      }
      expect(valid.stdout).to.contain("VALID");

      const tampered = readCertificate(wrappedFile);
      tampered.data["fields.registeredCapital"].value = 2_000_000;
      const tamperedFile = file("tampered.json", JSON.stringify(tampered));
      const invalid = await cli("cert", "verify", tamperedFile);
      expect(invalid.code).to.equal(1);
      expect(invalid.stdout).to.match(/\[failed\s*\] integrity/);
      expect(invalid.stdout).to.contain("INVALID");

      const disclosedFile = path.join(work, "disclosed.json");
      await ok("cert", "disclose", wrappedFile, "--hide", "fields.legalRepresentative,holder", "--out", disclosedFile);
      const disclosed = readCertificate(disclosedFile);
      expect(disclosed.data["fields.legalRepresentative"]).to.be.undefined;
      expect(disclosed.data["holder.id"]).to.be.undefined;
      expect((await cli("cert", "verify", disclosedFile)).code).to.equal(0);

      await ok("cert", "revoke", wrappedFile, "--reason", "fraud", "--key", key(2));
      const revoked = await cli("cert", "verify", "--json", wrappedFile);
      expect(revoked.code).to.equal(1);
      const result = JSON.parse(revoked.stdout) as {
        valid: boolean;
        checks: { status: { issues: { code: string }[] } };
      };
      expect(result.valid).to.be.false;
      expect(result.checks.status.issues[0].code).to.equal("CERTIFICATE_REVOKED");
    });

    it("issues a spreadsheet CSV export (BOM, CRLF, quoted commas, quotes and line breaks, Chinese) in chunks", async function () {
      const csv = file("licences.csv", licenceCsv(7));
      const out = path.join(work, "csv-batch");
      const summary = await ok<{ issuedNow: number; transactions: string[]; files: { file: string }[] }>(
        ...["cert", "issue-batch", csv, "--type", String(typeId), "--schema", BUSINESS_SCHEMA],
        ...["--out", out, "--chunk-size", "3", "--key", key(2), "--json"],
      );
      expect(summary.issuedNow).to.equal(7);
      expect(summary.transactions).to.have.length(3);
      expect(wrappedFiles(out)).to.have.length(7);
      const first = readCertificate(summary.files[0].file);
      expect(first.data["fields.companyName"].value).to.equal('上海"示例"第1号科技有限公司');
      expect(first.data["fields.address"].value).to.equal("上海市浦东新区张江路1号, 1楼");
      expect(first.data["fields.businessScope"].value).to.equal("技术开发\r\n技术咨询，技术服务");
      expect(first.data["fields.registeredCapital"].value).to.equal(101); // the schema's number, not the cell's text
      expect((await cli("cert", "verify", summary.files[6].file)).code).to.equal(0);
    });

    it("anchors a JSON batch as one Merkle root in one transaction", async function () {
      const out = path.join(work, "anchored");
      const summary = await ok<{ batchRoot: string; transactions: string[]; files: { file: string }[] }>(
        ...["cert", "issue-batch", path.join(EXAMPLES, "business-licences.csv"), "--anchor"],
        ...["--type", String(typeId), "--schema", BUSINESS_SCHEMA, "--out", out, "--key", key(2), "--json"],
      );
      expect(summary.transactions).to.have.length(1);
      const receipt = await provider.getTransactionReceipt(summary.transactions[0]);
      const anchored = receipt!.logs.filter(
        (log) => log.topics[0] === id("BatchAnchored(bytes32,uint32,uint32,uint32,uint40,uint40)"),
      );
      expect(anchored).to.have.length(1);
      expect(anchored[0].topics[1]).to.equal(summary.batchRoot);
      for (const { file: wrapped } of summary.files) {
        expect(readCertificate(wrapped).proof.batchRoot).to.equal(summary.batchRoot);
      }
      expect((await cli("cert", "verify", summary.files[1].file)).code).to.equal(0);
    });

    it("finishes a batch killed with SIGKILL mid-transaction, issuing every certificate exactly once", async function () {
      const killType = (
        await ok<{ typeId: number }>(
          ...["cert", "type", "add", "--key", key(2), "--json", "--agency", String(agencyId)],
          ...["--name", "营业执照 (kill test)", "--schema", BUSINESS_SCHEMA, "--revocable"],
        )
      ).typeId;
      const csv = file("big.csv", licenceCsv(BATCH_ROWS, 1_000));
      const out = path.join(work, "killed");
      const args = [
        ...["cert", "issue-batch", csv, "--type", String(killType), "--schema", BUSINESS_SCHEMA],
        ...["--out", out, "--chunk-size", String(BATCH_CHUNK), "--key", key(2)],
      ];
      const journal = path.join(out, ".govchain-journal.jsonl");
      const child = spawnCli(args, env);
      child.stdout!.resume();
      child.stderr!.resume();
      let exited = false;
      child.once("exit", () => (exited = true));
      // Kill once a transaction has landed and the next group is sealed: its transaction is in flight.
      await waitFor(
        () => {
          const entries = journalEntries(journal);
          const sealed = entries.filter((e) => e.kind === "sealed").length;
          const confirmed = entries.filter((e) => e.kind === "confirmed").length;
          return exited || (confirmed >= 1 && sealed > confirmed);
        },
        240_000,
        "the batch's first transaction",
      );
      expect(exited, "the batch finished before it could be killed").to.be.false;
      child.kill("SIGKILL");
      await new Promise((resolve) => (exited ? resolve(undefined) : child.once("exit", resolve)));
      const atKill = journalEntries(journal).filter((e) => e.kind === "confirmed").length;
      expect(atKill).to.be.lessThan(BATCH_ROWS / BATCH_CHUNK);

      const resumed = await runOk<{ resumed: boolean; total: number; issuedNow: number; alreadyOnChain: number }>(
        [...args, "--json"],
        env,
      );
      expect(resumed.resumed).to.be.true;
      expect(resumed.total).to.equal(BATCH_ROWS);
      expect(resumed.issuedNow + resumed.alreadyOnChain).to.equal(BATCH_ROWS);
      expect(resumed.alreadyOnChain).to.be.at.least(atKill * BATCH_CHUNK);

      // Every certificate issued exactly once, by the events.
      const logs = await provider.getLogs({
        address: manifest.contracts.CertificateRegistry!.address,
        topics: [id("CertificateIssued(bytes32,uint32,bytes32)"), null, zeroPadValue(toBeHex(killType), 32)],
        fromBlock: 0,
      });
      const issued = logs.map((log) => log.topics[1]);
      expect(issued).to.have.length(BATCH_ROWS);
      expect(new Set(issued).size).to.equal(BATCH_ROWS);

      // Every wrapped file written, intact, of an issued id, and verifying against the chain.
      const files = wrappedFiles(out);
      expect(files).to.have.length(BATCH_ROWS);
      const certificates = files.map(readCertificate);
      expect(new Set(certificates.map((c) => c.proof.certificateId))).to.deep.equal(new Set(issued));
      // Each one intact and issued on chain; every tenth verified in full (chain, status, validity, issuer).
      expect(certificates.every((c) => checkIntegrity(c).valid)).to.be.true;
      const client = await GovChainClient.connect({ manifest, provider });
      const statuses = await client.certificates.statusOfMany(certificates.map((c) => c.proof.certificateId));
      expect(statuses.every((status) => status === CertificateStatus.Issued)).to.be.true;
      const sample = certificates.filter((_, i) => i % 10 === 0);
      for (const result of await Promise.all(sample.map((c) => client.verifyCertificate(c)))) {
        expect(result.valid, JSON.stringify(result.checks)).to.be.true;
      }

      // A third run finds everything done and sends nothing.
      const blockBefore = await provider.getBlockNumber();
      const again = await runOk<CliResult>(args, env);
      expect(again.stdout).to.contain(`all ${BATCH_ROWS} certificates were already issued: nothing sent`);
      expect(await provider.getBlockNumber()).to.equal(blockBefore);
    });

    it("refuses bad input with one clear message and a non-zero exit, and sends nothing", async function () {
      let refusals = 0;
      const batch = (input: string) => [
        ...["cert", "issue-batch", input, "--type", String(typeId), "--schema", BUSINESS_SCHEMA],
        ...["--out", path.join(work, `refused-${++refusals}`), "--key", key(2)],
      ];
      const good = path.join(EXAMPLES, "business-licences.csv");
      const badRow = licenceCsv(3).replace(/(91310000MA0000002)./, "$1Z"); // row 3: a wrong check character
      const wrongChain = file("wrong-chain.json", JSON.stringify({ ...manifest, chainId: 1 }));
      const cases: [string, string[], RegExp][] = [
        [
          "malformed CSV",
          batch(file("malformed.csv", 'creditCode,companyName\r\n"91310000MA1FL8TQ0W,x\r\n')),
          /not valid CSV/,
        ],
        ["malformed JSON", batch(file("malformed.json", '[{"creditCode": "x",}')), /malformed\.json is not valid JSON/],
        [
          "a row with a bad check character",
          batch(file("bad-row.csv", badRow)),
          /row 3, field creditCode: is not a valid unified-social-credit-code/,
        ],
        [
          "an unknown type",
          batch(good).map((a) => (a === String(typeId) ? "999" : a)),
          /certificate type 999 does not exist/,
        ],
        [
          "a schema that is not the type's",
          batch(good).map((a) => (a === BUSINESS_SCHEMA ? RESIDENT_SCHEMA : a)),
          /is not the schema of type/,
        ],
        [
          "an unauthorised key",
          batch(good).map((a) => (a === key(2) ? key(5) : a)),
          /may not issue certificates for agency/,
        ],
        ["an unreachable RPC", [...batch(good), "--rpc", `http://127.0.0.1:${await freePort()}`], /cannot be reached/],
        [
          "a manifest of another chain",
          [...batch(good), "--deployment", wrongChain],
          /serves chain \d+, but the deployment manifest is for chain 1/,
        ],
        ["a missing input file", batch(path.join(work, "nope.csv")), /cannot read .*nope\.csv: no such file/],
        ["a bad private key", batch(good).map((a) => (a === key(2) ? "0x1234" : a)), /private key/],
      ];
      const blockBefore = await provider.getBlockNumber();
      const results = await Promise.all(cases.map(([, args]) => runCli(args, env)));
      results.forEach((result, i) => {
        const [name, , message] = cases[i];
        try {
          expectOneClearError(result, message);
        } catch (error) {
          throw new Error(`${name}: ${(error as Error).message}`);
        }
      });
      // Every bad row is listed, each with its row number and field.
      expect(results[2].code).to.equal(2);
      expect(await provider.getBlockNumber()).to.equal(blockBefore);
      for (const dir of fs.readdirSync(work).filter((d) => d.startsWith("refused-"))) {
        expect(wrappedFiles(path.join(work, dir)), dir).to.be.empty;
      }
    });

    it("publishes a dataset; grants, checks and revokes consent; requests and approves access; audits", async function () {
      const { datasetId } = await ok<{ datasetId: number }>(
        ...["dataset", "publish", "--key", key(2), "--json", "--agency", String(agencyId)],
        ...["--title", "企业登记信息 Business registrations", "--schema", BUSINESS_SCHEMA],
        ...["--sensitivity", "personal", "--sharing", "conditional", "--purposes", "loan-application,credit-check"],
      );
      const bank = await ok<{ agencyId: number }>(
        ...["agency", "onboard", "--key", key(0), "--json", "--name", "上海银行 Bank of Shanghai"],
        ...["--jurisdiction", "CN/31", "--admin", address(4), "--capabilities", "RequestData,HoldLiens"],
      );
      bankAgencyId = bank.agencyId;
      await ok("agency", "operator", "add", String(bank.agencyId), address(6), "--key", key(4));
      const consentKey = ["--requester", `agency:${bank.agencyId}`, "--dataset", String(datasetId)];
      const purpose = ["--purpose", "loan-application"];
      const check = [...consentKey, ...purpose, "--subject", address(3)];

      expect((await cli("consent", "check", ...check)).code).to.equal(1);
      await ok("consent", "grant", ...consentKey, ...purpose, "--expires", "+30d", "--key", key(3));
      const allowed = await cli("consent", "check", ...check);
      expect(allowed.code, allowed.stderr).to.equal(0);
      expect(allowed.stdout).to.contain("allowed");
      await ok(
        ...["access", "record", "--subject", address(3), ...consentKey, ...purpose],
        ...["--record-hash", "business-registration:91110108MA01C9QX4D", "--key", key(6)],
      );
      await ok("consent", "revoke", ...consentKey, ...purpose, "--key", key(3));
      const refused = await cli("consent", "check", ...check);
      expect(refused.code).to.equal(1);
      expect(refused.stdout).to.match(/not allowed: Revoked/);

      const { requestId } = await ok<{ requestId: string }>(
        ...["access", "request", "--agency", String(bank.agencyId), "--dataset", String(datasetId)],
        ...["--purpose", "credit-check", "--legal-basis", "《征信业管理条例》第十四条", "--key", key(6), "--json"],
      );
      await ok("access", "approve", requestId, "--expires", "+90d", "--key", key(2));
      const request = await ok<{ statusName: string }>("access", "show", requestId, "--json");
      expect(request.statusName).to.equal("Approved");

      const audit = await ok<{ consents: { state: number }[]; receipts: { datasetId: number }[] }>(
        "audit",
        address(3),
        "--json",
      );
      expect(audit.consents).to.have.length(1);
      expect(audit.receipts).to.have.length(1);
      expect(audit.receipts[0].datasetId).to.equal(datasetId);
      const history = await ok<{ history: { kind: string }[] }>("audit", certificateId, "--json");
      expect(history.history.map((e) => e.kind)).to.deep.equal(["issued", "revoked"]);
    });

    it("registers a title, sells it to co-owners, mortgages it and has a court freeze it", async function () {
      if (!node.titles) this.skip();
      const land = await ok<{ agencyId: number }>(
        ...["agency", "onboard", "--key", key(0), "--json", "--name", "徐汇区不动产登记中心"],
        ...["--jurisdiction", "CN/31/04", "--admin", address(7), "--capabilities", "RegisterTitles,IssueCertificates"],
      );
      const court = await ok<{ agencyId: number }>(
        ...["agency", "onboard", "--key", key(0), "--json", "--name", "上海市第一中级人民法院"],
        ...["--jurisdiction", "CN/31", "--admin", address(9), "--capabilities", "FreezeTitles"],
      );
      const titleRegistry = manifest.contracts.TitleRegistry!.address;
      await Promise.all([
        ok("agency", "operator", "add", String(land.agencyId), address(8), "--key", key(7)),
        ok("agency", "operator", "add", String(court.agencyId), address(9), "--key", key(9)),
      ]);
      // The title registry issues the real-estate certificates as an operator of the land registry.
      await ok("agency", "operator", "add", String(land.agencyId), titleRegistry, "--key", key(7));
      const deedType = await ok<{ typeId: number }>(
        ...["cert", "type", "add", "--key", key(8), "--json", "--agency", String(land.agencyId)],
        ...["--name", "不动产权证书", "--schema", path.join(EXAMPLES, "real-estate-certificate.schema.json")],
      );
      await ok(
        ...["title", "certificate-type", "--agency", String(land.agencyId), "--type", String(deedType.typeId)],
        ...["--key", key(8)],
      );
      const deed = (name: string) =>
        ok(
          ...["cert", "wrap", path.join(EXAMPLES, "deed.json"), "--type", String(deedType.typeId)],
          ...["--schema", path.join(EXAMPLES, "real-estate-certificate.schema.json"), "--out", path.join(work, name)],
        );
      await Promise.all([deed("deed-seller.json"), deed("deed-buyers.json")]);
      const parcel = "沪(2026)徐汇区不动产权第000001号";
      await ok(
        ...["title", "register", "--key", key(8), "--agency", String(land.agencyId), "--parcel", parcel],
        ...["--kind", "apartment", "--land-use", "71", "--area", "8950", "--documents", "survey 2026-001"],
        ...["--owners", address(3), "--certificate", path.join(work, "deed-seller.json")],
      );
      expect((await cli("cert", "verify", path.join(work, "deed-seller.json"))).code).to.equal(0);

      const { proposalId } = await ok<{ proposalId: string }>(
        ...["title", "propose", parcel, "--key", key(3), "--json"],
        ...["--buyers", `${address(4)}:5000,${address(5)}:5000`, "--sale-contract", "sale 2026-001"],
        ...["--expires", "+30d"],
      );
      await Promise.all([
        ok("title", "accept", parcel, proposalId, "--key", key(4)),
        ok("title", "accept", parcel, proposalId, "--key", key(5)),
      ]);
      await ok(
        ...["title", "approve", parcel, proposalId, "--key", key(8)],
        ...["--certificate", path.join(work, "deed-buyers.json")],
      );
      const lien = [
        "--lender",
        String(bankAgencyId),
        "--amount",
        "3000000",
        "--loan-contract",
        "loan 2026-778",
        "--deadline",
        // Absolute: every owner and the lender must name the very same terms, and "+7d" moves with each second.
        String(Math.floor(Date.now() / 1000) + 7 * 86_400),
      ];
      await Promise.all([
        ok("title", "lien", "consent", parcel, ...lien, "--key", key(4)),
        ok("title", "lien", "consent", parcel, ...lien, "--key", key(5)),
      ]);
      await ok("title", "lien", "register", parcel, ...lien, "--key", key(6));
      await ok(
        ...["title", "freeze", parcel, "--court", String(court.agencyId), "--case", "(2026)沪01民初123号"],
        ...["--key", key(9)],
      );
      const shown = await ok<{ owners: { account: string }[]; liens: unknown[]; frozen: boolean }>(
        ...["title", "show", parcel, "--json"],
      );
      expect(shown.owners.map((o) => o.account)).to.deep.equal([address(4), address(5)]);
      expect(shown.liens).to.have.length(1);
      expect(shown.frozen).to.be.true;
      expect((await cli("cert", "verify", path.join(work, "deed-buyers.json"))).code).to.equal(0);
    });
  });
}
