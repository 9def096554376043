import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider } from "ethers";

import { DEMO_ACCOUNTS, devWallet } from "../../scripts/demo/accounts";
import { seedDemo } from "../../scripts/demo/seed";
import { deploySuite } from "../../sdk/src/deploy/suite";
import { startAnvil, type RunningAnvil } from "../helpers/anvil";

/**
 * No personal data on chain, ever. The whole demo (certificates, titles, consents, receipts) runs on anvil, an
 * independent node implementation whose prestate tracer reports every storage write; then every transaction's input,
 * every event and every storage slot written is searched for the clear-text personal data the demo used.
 */
describe("privacy: no personal data reaches the chain", function () {
  this.timeout(240_000);
  let anvil: RunningAnvil;
  let provider: JsonRpcProvider;
  let outDir: string;

  // The clear-text personal data of the demo: names, identity numbers, an address, a company's registration data,
  // marriage and court details, contract references. On chain each may appear only inside a hash or commitment.
  const PERSONAL_DATA = [
    "张三",
    "李四",
    "310104199001011233",
    "310105199203045673",
    "91310000MA1FL8TQ49",
    "91310104MA1FR0BX2Y",
    "上海示例科技有限公司",
    "人民币壹仟万元整",
    "漕溪北路",
    "2024-05-20",
    "(2026)沪01民初123号",
    "loan-contract-2026-778",
    "sale-contract-2026-001",
  ];

  before(async function () {
    // Twenty funded development accounts: the demo gives each role its own key.
    anvil = await startAnvil(["--accounts", "20", "--hardfork", "cancun", "--gas-limit", "60000000"]);
    provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const { manifest } = await deploySuite({ signer: devWallet(DEMO_ACCOUNTS.governance, provider), network: "anvil" });
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-privacy-"));
    await seedDemo({ rpcUrl: anvil.url, manifest, outDir });
  });

  after(async function () {
    provider?.destroy();
    await anvil?.stop();
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  it("finds none in any transaction input, event, or storage write of the whole demo", async function () {
    const needles = PERSONAL_DATA.map((text) => ({ text, hex: Buffer.from(text, "utf8").toString("hex") }));
    const hits: string[] = [];
    const scan = (where: string, data: string) => {
      const haystack = data.toLowerCase();
      for (const { text, hex } of needles) if (haystack.includes(hex)) hits.push(`${text} in ${where}`);
    };
    const latest = await provider.getBlockNumber();
    let transactions = 0;
    let storageWrites = 0;
    for (let number = 0; number <= latest; number++) {
      const block = await provider.getBlock(number, true);
      for (const tx of block!.prefetchedTransactions) {
        transactions += 1;
        scan(`input of ${tx.hash}`, tx.data);
        const receipt = await provider.getTransactionReceipt(tx.hash);
        for (const log of receipt!.logs) scan(`event of ${tx.hash}`, log.data + log.topics.join(""));
        const diff = (await provider.send("debug_traceTransaction", [
          tx.hash,
          { tracer: "prestateTracer", tracerConfig: { diffMode: true } },
        ])) as { post: Record<string, { storage?: Record<string, string> }> };
        for (const account of Object.values(diff.post)) {
          for (const value of Object.values(account.storage ?? {})) {
            storageWrites += 1;
            scan(`storage written by ${tx.hash}`, value);
          }
        }
      }
    }
    expect(transactions).to.be.greaterThan(50);
    expect(storageWrites).to.be.greaterThan(100);
    expect(hits).to.deep.equal([]);
  });

  it("is a scan that can fail: the same data is in the wrapped certificates kept off chain", async function () {
    const offChain = fs.readFileSync(path.join(outDir, "marriage-certificate.json"), "utf8");
    expect(offChain).to.contain("李四");
    expect(offChain).to.contain("310105199203045673");
    expect(Buffer.from("李四", "utf8").toString("hex")).to.equal("e69d8ee59b9b");
  });
});
