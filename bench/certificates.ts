import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ethers } from "hardhat";

import { QBFT_DEFAULTS } from "../sdk/src/network/genesis";
import { Capability } from "../sdk/src/utils/capabilities";
import { checkIntegrity, HEADER_FIELDS, wrapDocument, type Hex } from "../sdk/src/utils/documents";
import type { CertificateRegistry } from "../typechain-types";
import { onboardAgency, probeGas, sent, type GovChainSuite } from "./deploy";
import {
  certificateIds,
  toCertificateDocument,
  type AnchorBatch,
  type CertificateHome,
  type PermitRecord,
} from "./offchain";
import { BATCH_SIZES, withHeadroom, type PeerGas } from "./peers";
import type { BenchResults } from "./results-table";

/**
 * Gas of every user-facing operation of the certificate registry, beside OpenAttestation's DocumentStore and EAS,
 * and end-to-end throughput against the in-process node. The registry and the directory are behind their UUPS
 * proxies, as deployed; every transaction is its own block, so every storage access is cold, as on a live chain.
 */

const ONE_YEAR = 365n * 24n * 60n * 60n;
const REASON_KEY_COMPROMISE = 1;
/** Certificates per `issueBatch` transaction in the throughput run (about 6 M gas each). */
const THROUGHPUT_CHUNK = 250;

export interface CertificateWorld {
  registry: CertificateRegistry;
  issuer: HardhatEthersSigner;
  agencyId: bigint;
  typeId: bigint;
  home: CertificateHome;
}

/** Onboards a civil affairs bureau that may issue, adds an operator and registers a revocable permit type. */
export async function setUpCertificates(suite: GovChainSuite, admin: HardhatEthersSigner, issuer: HardhatEthersSigner) {
  const { directory, certificates } = suite;
  const { agencyId } = await onboardAgency(
    directory,
    "上海市公安局出入境管理局",
    "CN/310000",
    admin.address,
    Capability.IssueCertificates,
  );
  await (await directory.connect(admin).addOperator(agencyId, issuer.address)).wait();
  const { receipt } = await sent(
    certificates
      .connect(issuer)
      .registerType(agencyId, "Residence permit", ethers.id("schema:residence-permit:v1"), true, 2n * ONE_YEAR),
  );
  const typeId = receipt.logs
    .map((log) => certificates.interface.parseLog(log))
    .find((parsed) => parsed?.name === "CertificateTypeRegistered")!.args.typeId as bigint;
  const { chainId } = await ethers.provider.getNetwork();
  const registry = certificates.connect(issuer);
  const home: CertificateHome = {
    chainId: Number(chainId),
    registry: await certificates.getAddress(),
    typeId: Number(typeId),
    agencyId: Number(agencyId),
  };
  return { registry, issuer, agencyId, typeId, home } satisfies CertificateWorld;
}

function holdersOf(ids: string[]): string[] {
  return ids.map((id) => ethers.keccak256(ethers.concat([id, ethers.id("holder-salt")])));
}

export async function measureCertificates(
  results: BenchResults,
  suite: GovChainSuite,
  world: CertificateWorld,
  peers: PeerGas,
  anchors: AnchorBatch[],
): Promise<void> {
  const { registry, typeId } = world;
  const address = await registry.getAddress();
  const [first, second, third] = certificateIds("single", 3);
  // Warm the type's history first: the very first certificate ever is not what an agency pays day to day.
  await (await registry.issue(ethers.id("warm-up"), typeId, holdersOf([ethers.id("warm-up")])[0], 0, 0)).wait();

  const issue = (await sent(registry.issue(first, typeId, holdersOf([first])[0], 0, 0))).gas;
  results.compare("cert.issue", issue, "gas", "documentStore.issue", peers.documentStoreIssue);
  results.compare("cert.issue.vsEas", issue, "gas", "eas.attest", peers.easAttest);
  await (await registry.issue(second, typeId, holdersOf([second])[0], 0, 0)).wait();
  await (await registry.issue(third, typeId, holdersOf([third])[0], 0, 0)).wait();

  for (const size of BATCH_SIZES) {
    const ids = certificateIds(`batch-${size}`, size);
    const holders = holdersOf(ids);
    const gasLimit = withHeadroom(await registry.issueBatch.estimateGas(typeId, ids, holders, 0, 0));
    const { gas } = await sent(registry.issueBatch(typeId, ids, holders, 0, 0, { gasLimit }));
    results.compare(
      `cert.issueBatch.${size}.perCert`,
      gas / size,
      "gas",
      `documentStore.bulkIssue.${size}.perDoc`,
      peers.documentStoreBulkIssuePerDoc.get(size)!,
    );
  }
  results.compare(
    "cert.issueBatch.100.perCert.vsEas",
    results.get("cert.issueBatch.100.perCert"),
    "gas",
    "eas.multiAttest.100.perAttestation",
    peers.easMultiAttestPerAttestation.get(100)!,
  );

  for (const { size, tree } of anchors) {
    const { gas } = await sent(registry.anchorBatch(tree.root, typeId, size, 0, 0));
    // OpenAttestation anchors a batch the same way: one DocumentStore.issue of the batch's Merkle root.
    results.compare(`cert.anchor.${size}`, gas, "gas", "documentStore.issue", peers.documentStoreIssue);
    results.add(`cert.anchor.${size}.perCert`, gas / size, "gas");
  }

  // Status checks as another contract pays for them, cold (GasProbe), like the peer's isIssued.
  const statusData = registry.interface.encodeFunctionData("statusOf", [second]);
  results.compare(
    "cert.status",
    await probeGas(suite.probe, address, statusData),
    "gas",
    "documentStore.isIssued",
    peers.documentStoreIsIssued,
  );
  const verifyData = registry.interface.encodeFunctionData("verifyStatus", [second]);
  results.add("cert.verifyStatus", await probeGas(suite.probe, address, verifyData), "gas");
  const largest = anchors[anchors.length - 1];
  // The last certificate of the largest batch: the longest proof the benchmark anchors.
  const [anchoredId] = largest.tree.at(largest.size - 1)!;
  const proof = largest.tree.getProof(largest.size - 1);
  const anchoredData = registry.interface.encodeFunctionData("anchoredStatusOf", [
    anchoredId,
    largest.tree.root,
    proof,
  ]);
  results.compare(
    "cert.anchoredStatus",
    await probeGas(suite.probe, address, anchoredData),
    "gas",
    "documentStore.isIssued",
    peers.documentStoreIsIssued,
  );

  // Lifecycle: each on a certificate issued on its own.
  const revoke = (await sent(registry.revoke(first, REASON_KEY_COMPROMISE))).gas;
  results.compare("cert.revoke", revoke, "gas", "documentStore.revoke", peers.documentStoreRevoke);
  results.compare("cert.revoke.vsEas", revoke, "gas", "eas.revoke", peers.easRevoke);
  results.add("cert.suspend", (await sent(registry.suspend(second))).gas, "gas");
  results.add("cert.reinstate", (await sent(registry.reinstate(second))).gas, "gas");
  const replacement = ethers.id("single:replacement");
  results.add(
    "cert.supersede",
    (await sent(registry.supersede(third, replacement, typeId, holdersOf([replacement])[0], 0, 0))).gas,
    "gas",
  );
  // An anchored certificate managed on its own: the proof is checked and a record of its own is written.
  const thousand = anchors.find((batch) => batch.size === 1_000)!;
  const [detachedId] = thousand.tree.at(0)!;
  results.add(
    "cert.revokeAnchored.1000",
    (
      await sent(
        registry.revokeAnchored(detachedId, thousand.tree.root, thousand.tree.getProof(0), REASON_KEY_COMPROMISE),
      )
    ).gas,
    "gas",
  );
}

/**
 * End to end against the node: wrap each document, issue in `issueBatch` transactions and wait for the receipts;
 * then verify each certificate (integrity off chain, `verifyStatus` over JSON-RPC). Informational: it depends on the
 * machine. The ceiling that does not is the block gas limit: certificates a block can hold at the batch price.
 */
export async function measureThroughput(
  results: BenchResults,
  world: CertificateWorld,
  records: PermitRecord[],
  log: (line: string) => void,
): Promise<void> {
  const { registry, typeId, home } = world;
  const start = performance.now();
  const wrapped = records.map((record) =>
    wrapDocument(toCertificateDocument({ ...record, validFrom: 0, validUntil: 0 }, home)),
  );
  for (let offset = 0; offset < wrapped.length; offset += THROUGHPUT_CHUNK) {
    const chunk = wrapped.slice(offset, offset + THROUGHPUT_CHUNK);
    const ids = chunk.map((certificate) => certificate.proof.certificateId);
    const holders = chunk.map((certificate) => certificate.data[HEADER_FIELDS.holderCommitment].value as Hex);
    const gasLimit = withHeadroom(await registry.issueBatch.estimateGas(typeId, ids, holders, 0, 0));
    await (await registry.issueBatch(typeId, ids, holders, 0, 0, { gasLimit })).wait();
  }
  const issueSeconds = (performance.now() - start) / 1000;
  results.add("throughput.cert.issue.perSecond", wrapped.length / issueSeconds, "per_s");

  const verifyStart = performance.now();
  for (const certificate of wrapped) {
    if (!checkIntegrity(certificate).valid) throw new Error("an issued certificate failed its integrity check");
    const verification = await registry.verifyStatus(certificate.proof.certificateId);
    if (!verification.valid) throw new Error(`certificate ${certificate.proof.certificateId} is not valid on chain`);
  }
  const verifySeconds = (performance.now() - verifyStart) / 1000;
  results.add("throughput.cert.verify.perSecond", wrapped.length / verifySeconds, "per_s");
  log(
    `  throughput: ${wrapped.length} issued in ${issueSeconds.toFixed(1)} s, verified in ${verifySeconds.toFixed(1)} s`,
  );

  // The ceiling a production block sets (QBFT defaults: 100 M gas every 2 s) at the 1,000-certificate batch price.
  const perCert = results.get("cert.issueBatch.1000.perCert");
  const perBlock = Math.floor(Number(QBFT_DEFAULTS.gasLimit) / perCert);
  results.add("throughput.cert.issue.ceiling.perSecond", perBlock / QBFT_DEFAULTS.blockPeriodSeconds, "per_s");
  const anchorsPerBlock = Math.floor(Number(QBFT_DEFAULTS.gasLimit) / results.get("cert.anchor.1000"));
  results.add("throughput.cert.anchor.ceiling.perSecond", anchorsPerBlock / QBFT_DEFAULTS.blockPeriodSeconds, "per_s");
}
