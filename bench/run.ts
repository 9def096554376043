import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { Contract } from "ethers";
import { ethers } from "hardhat";

import { measureCertificates, measureThroughput, setUpCertificates } from "./certificates";
import { batchGasChart, type ChartSeries } from "./chart";
import { measureDataSharing } from "./datasharing";
import { deployGovChain } from "./deploy";
import { measureDirectory } from "./directory";
import { benchGateway } from "./gateway";
import {
  ANCHOR_SIZES,
  FULL_DOCUMENT_ANCHOR_LIMIT,
  measureAnchorWrapping,
  measureOffchain,
  OFFCHAIN_DOCUMENTS,
  permitRecords,
} from "./offchain";
import { BATCH_SIZES, EAS_BATCH_SIZES, measurePeers, type PeerGas } from "./peers";
import { reportMarkdown } from "./report";
import { BenchResults } from "./results-table";
import { measureTitles, TITLES_NOTE } from "./titles";

const CHART_FILE = "batch-gas.svg";
/** Documents issued and verified end to end in the throughput run. */
const THROUGHPUT_DOCUMENTS = 1_000;

function log(line: string): void {
  console.log(line);
}

function chartSeries(results: BenchResults, peers: PeerGas): ChartSeries[] {
  return [
    {
      label: "GovChain issueBatch",
      colour: "#1f6feb",
      dashed: false,
      points: BATCH_SIZES.map((n) => [n, results.get(`cert.issueBatch.${n}.perCert`)]),
    },
    {
      label: "GovChain anchorBatch",
      colour: "#2da44e",
      dashed: false,
      points: ANCHOR_SIZES.map((n) => [n, results.get(`cert.anchor.${n}.perCert`)]),
    },
    {
      label: "DocumentStore bulkIssue",
      colour: "#bf3989",
      dashed: true,
      points: BATCH_SIZES.map((n) => [n, peers.documentStoreBulkIssuePerDoc.get(n)!]),
    },
    {
      label: "DocumentStore issue(root)",
      colour: "#8250df",
      dashed: true,
      points: ANCHOR_SIZES.map((n) => [n, peers.documentStoreIssue / n]),
    },
    {
      label: "EAS multiAttest",
      colour: "#d1242f",
      dashed: true,
      points: EAS_BATCH_SIZES.map((n) => [n, peers.easMultiAttestPerAttestation.get(n)!]),
    },
  ];
}

/** `npm run bench`: GovChain beside its peers, in one run, on the in-process Hardhat network. */
async function main(): Promise<void> {
  const started = performance.now();
  const loadAverage = os.loadavg()[0];
  const results = new BenchResults();
  const signers = await ethers.getSigners();
  const [governance] = signers;
  // Accounts 0-2 are the peers' (governance, holder, new holder); every GovChain role below gets its own account.
  let next = 3;
  const take = () => {
    if (next >= signers.length) throw new Error("the benchmark needs more Hardhat accounts");
    return signers[next++];
  };
  const probe = await (await ethers.getContractFactory("GasProbe")).deploy();

  log("peers: DocumentStore, EAS, TradeTrust, ERC-721");
  const peers = await measurePeers(results, probe as unknown as Contract);

  log("GovChain: deploying the directory and registries behind their proxies");
  const suite = await deployGovChain(governance);
  const world = await setUpCertificates(suite, take(), take());

  log(`off chain: ${OFFCHAIN_DOCUMENTS.toLocaleString("en-US")} documents, GovChain and OpenAttestation`);
  const records = permitRecords(OFFCHAIN_DOCUMENTS);
  const offchain = measureOffchain(results, records, world.home, log);
  const anchors = measureAnchorWrapping(results, records, world.home, offchain, log);

  log("certificates");
  await measureCertificates(results, suite, world, peers, anchors);
  log("data sharing");
  await measureDataSharing(results, suite, {
    publisher: take(),
    requester: take(),
    citizen: take(),
    otherCitizen: take(),
    signingCitizen: take(),
    enterprise: take(),
    // Anyone may relay a signed consent; governance's account stands in for the relaying service.
    relayer: governance,
  });
  log("titles");
  await measureTitles(
    results,
    suite,
    {
      registrar: take(),
      lender: take(),
      judge: take(),
      seller: take(),
      firstTimeBuyer: take(),
      homeOwner: take(),
      borrower: take(),
    },
    peers,
  );
  log("directory");
  await measureDirectory(results, suite, take(), take());
  log("throughput");
  await measureThroughput(results, world, permitRecords(THROUGHPUT_DOCUMENTS, 99), log);

  log("gateway: allowed requests through an agency's data-exchange gateway, on-chain checks against a local node");
  for (const row of await benchGateway()) results.add(row.name, row.value, row.unit);

  results.write(__dirname);
  fs.writeFileSync(
    path.join(__dirname, CHART_FILE),
    batchGasChart("Gas per certificate against batch size (GovChain solid, peers dashed)", chartSeries(results, peers)),
  );
  fs.writeFileSync(
    path.join(__dirname, "report.md"),
    reportMarkdown({
      rows: results.rows,
      offchainDocuments: OFFCHAIN_DOCUMENTS,
      fullDocumentAnchorLimit: FULL_DOCUMENT_ANCHOR_LIMIT,
      titlesNote: TITLES_NOTE,
      chartFile: CHART_FILE,
      seconds: (performance.now() - started) / 1000,
      loadAverage,
    }),
  );
  for (const r of results.rows.filter((row) => row.peer !== undefined)) {
    log(
      `${r.name.padEnd(36)} ${String(r.value).padStart(12)} ${r.unit.padEnd(6)} ${r.peer} ${r.peerValue} (${r.ratio})`,
    );
  }
  log(`wrote results.json, report.md and ${CHART_FILE} in ${__dirname}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
