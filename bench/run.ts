import path from "node:path";

import type { Contract } from "ethers";
import { ethers } from "hardhat";

import { measurePeers } from "./peers";
import { BenchResults } from "./results";

/** `npm run bench`: GovChain beside its peers, in one run, on the in-process Hardhat network. */
async function main(): Promise<void> {
  const results = new BenchResults();
  const probe = await (await ethers.getContractFactory("GasProbe")).deploy();
  await measurePeers(results, probe as unknown as Contract);
  results.write(__dirname);
  console.log(results.markdown());
  console.log(`wrote ${path.join(__dirname, "results.json")} and report.md`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
