import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers, network } from "hardhat";
import { certificate, lienTerms, owner, parcelData, parcelNumber, proposeSale, titleFixture } from "../helpers/titles";

interface Log { op: string; gasCost: number; depth: number; gas: number }
async function trace(hash: string, label: string) {
  const t = (await network.provider.send("debug_traceTransaction", [hash, { disableStorage: true, disableMemory: true, disableStack: true }])) as { gas: number; structLogs: Log[] };
  const byOp: Record<string, number> = {};
  const logs = t.structLogs;
  for (let i = 0; i < logs.length; i++) {
    const l = logs[i];
    let cost = l.gasCost;
    if (["CALL", "STATICCALL", "DELEGATECALL"].includes(l.op)) {
      // cost of the call excluding the callee's execution: gas before minus gas after return at same depth
      let j = i + 1;
      while (j < logs.length && logs[j].depth > l.depth) j++;
      const after = j < logs.length ? logs[j].gas : 0;
      const inner = (logs[i + 1] && logs[i + 1].depth > l.depth) ? (logs[i + 1].gas - (j < logs.length ? logs[j-1].gas - logs[j-1].gasCost : 0)) : 0;
      cost = l.gas - after - inner; // call overhead only
    }
    const key = `${l.depth}:${l.op}`;
    byOp[key] = (byOp[key] ?? 0) + cost;
  }
  const top = Object.entries(byOp).sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(label, "exec gas", t.gas, top.map(([k, v]) => `${k}=${v}`).join(" "));
}

describe("trace", function () {
  it("traces", async function () {
    const f = await loadFixture(titleFixture);
    const r1 = await (await f.titles.connect(f.registrar).registerTitle(f.landAgencyId, parcelNumber(2), parcelData(), [owner(f.bob)], [])).wait();
    console.log("register", r1!.gasUsed);
    await trace(r1!.hash, "register");
    const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.carol)]);
    await f.titles.connect(f.carol).acceptTransfer(f.titleId, proposalId);
    const r2 = await (await f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("bob")])).wait();
    console.log("approve", r2!.gasUsed);
    await trace(r2!.hash, "approve");
    const terms = await lienTerms(f, f.titleId, {});
    await f.liens.connect(f.carol).consentToLien(terms);
    const r3 = await (await f.liens.connect(f.lender).registerLien(terms, [])).wait();
    console.log("lien", r3!.gasUsed);
    await trace(r3!.hash, "lien");
    void ethers;
  });
});
