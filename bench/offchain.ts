import { v2, verifySignature, wrapDocuments as wrapOpenAttestation } from "@govtechsg/open-attestation";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ethers } from "ethers";

import {
  BATCH_LEAF_ENCODING,
  checkIntegrity,
  wrapDocuments,
  type CertificateDocument,
  type WrappedCertificate,
} from "../sdk/src/utils/documents";
import type { BenchResults } from "./results-table";

/**
 * Off-chain speed of the certificate document library beside OpenAttestation, in the same process and on the same
 * documents: wrapping (salting every field, hashing, one Merkle batch with a proof per document) and integrity
 * verification, in documents per CPU second of this process. Timings are informational; nothing asserts on them.
 */

/** How many documents the off-chain comparison wraps and verifies. */
export const OFFCHAIN_DOCUMENTS = 10_000;
/** Documents each library processes before timing starts, so that both are measured after JIT warm-up. */
const WARM_UP_DOCUMENTS = 200;
/** Batch sizes of the anchoring series (one `anchorBatch` transaction whatever the size). */
export const ANCHOR_SIZES = [10, 100, 1_000, 10_000, 100_000];
/** Above this, wrapping full documents would take minutes: the series uses a tree over certificate ids instead. */
export const FULL_DOCUMENT_ANCHOR_LIMIT = 10_000;
/** Small timings are repeated until they add up to this many milliseconds, to keep timer noise out. */
const MIN_TIMED_MS = 300;

const OA_DOCUMENT_STORE = "0x8bA3b2F1C3c1bEa7c6f5b6D2fA1C7e2b3E4d5F60";

/** The facts of one residence permit, before either library's format. */
export interface PermitRecord {
  holderId: string;
  fields: {
    name: string;
    sex: "M" | "F";
    birthDate: string;
    nationality: string;
    address: { province: string; city: string; district: string; street: string; postcode: string };
    permit: { number: string; category: string; issuedOn: string; issuingOffice: string };
    employer: { name: string; creditCode: string };
    photoHash: string;
    remarks: string | null;
  };
  validFrom: number;
  validUntil: number;
}

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"];
const GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"];
const DISTRICTS = ["黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "浦东新区", "闵行区"];
const STREETS = ["南京东路", "淮海中路", "四川北路", "延安西路", "世纪大道", "漕溪北路", "长寿路", "江宁路"];
const CATEGORIES = ["work", "study", "family-reunion", "talent", "investment"];
const EMPLOYERS = ["上海浦江软件有限公司", "华东精密机械股份有限公司", "申城医疗科技有限公司", "沪港物流集团"];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/** A small deterministic PRNG (mulberry32), so that every run benchmarks the same documents. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` realistic, distinct residence permits (PRC resident id with its check digit, Chinese names, addresses). */
export function permitRecords(count: number, seed = 2026): PermitRecord[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
  const day = (start: number, span: number) => new Date((start + Math.floor(random() * span)) * 86_400_000);
  return Array.from({ length: count }, (_, index) => {
    const born = day(3_650, 12_000);
    const birth = born.toISOString().slice(0, 10);
    const body = `310${String(101 + (index % 20)).padStart(3, "0")}${birth.replaceAll("-", "")}${digits(3)}`;
    const check = ID_CHECK[[...body].reduce((sum, digit, i) => sum + Number(digit) * ID_WEIGHTS[i], 0) % 11];
    const issued = day(19_700, 300);
    const validFrom = Math.floor(issued.getTime() / 1000);
    return {
      holderId: body + check,
      fields: {
        name: pick(SURNAMES) + pick(GIVEN) + (random() < 0.6 ? pick(GIVEN) : ""),
        sex: random() < 0.5 ? "M" : "F",
        birthDate: birth,
        nationality: pick(["CHN", "HKG", "MAC", "TWN", "SGP", "DEU", "FRA", "USA"]),
        address: {
          province: "上海市",
          city: "上海市",
          district: pick(DISTRICTS),
          street: `${pick(STREETS)} ${1 + Math.floor(random() * 1_500)} 号 ${1 + Math.floor(random() * 30)} 室`,
          postcode: `200${digits(3)}`,
        },
        permit: {
          number: `SH-RP-${String(index + 1).padStart(8, "0")}`,
          category: pick(CATEGORIES),
          issuedOn: issued.toISOString().slice(0, 10),
          issuingOffice: "上海市公安局出入境管理局",
        },
        employer: { name: pick(EMPLOYERS), creditCode: `91310000${digits(9)}X` },
        photoHash: ethers.keccak256(ethers.toUtf8Bytes(`photo-${seed}-${index}`)),
        remarks: random() < 0.9 ? null : "持证人须每年报告住址变更",
      },
      validFrom,
      validUntil: validFrom + 2 * 365 * 86_400,
    };
  });
}

/** Where GovChain certificates live: the registry's chain and address, and the type and agency ids. */
export interface CertificateHome {
  chainId: number;
  registry: string;
  typeId: number;
  agencyId: number;
}

/** A permit as a GovChain certificate document. */
export function toCertificateDocument(record: PermitRecord, home: CertificateHome): CertificateDocument {
  return {
    type: { typeId: home.typeId, chainId: home.chainId, registry: home.registry },
    issuer: { agencyId: home.agencyId },
    holder: { id: record.holderId },
    validity: { validFrom: record.validFrom, validUntil: record.validUntil },
    fields: record.fields,
  };
}

/** The same permit as an OpenAttestation v2 document issued through a DocumentStore: the same facts, same fields. */
export function toOpenAttestationDocument(record: PermitRecord): v2.OpenAttestationDocument {
  // Built apart from the return so that the content fields, which OpenAttestation's type does not list, pass.
  const document = {
    $template: {
      name: "RESIDENCE_PERMIT",
      type: v2.TemplateType.EmbeddedRenderer,
      url: "https://renderer.govchain.example",
    },
    issuers: [
      {
        name: "上海市公安局出入境管理局",
        documentStore: OA_DOCUMENT_STORE,
        identityProof: { type: v2.IdentityProofType.DNSTxt, location: "certificates.shanghai.gov.example" },
      },
    ],
    recipient: { name: record.fields.name },
    holder: { id: record.holderId },
    validity: { validFrom: record.validFrom, validUntil: record.validUntil },
    fields: record.fields,
  };
  return document;
}

/**
 * Milliseconds of CPU this process has used so far (user and system). Off-chain work is timed in CPU time, not wall
 * time, so that other work sharing the machine does not slow one library more than the other; on an idle machine
 * the two agree.
 */
function cpuMilliseconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * CPU milliseconds one run of `work` takes: repeated until the runs add up to long enough to time, and the fastest
 * run kept (garbage collection only ever adds time).
 */
function timeOne(work: () => void): number {
  let fastest = Infinity;
  const start = cpuMilliseconds();
  do {
    const run = cpuMilliseconds();
    work();
    fastest = Math.min(fastest, cpuMilliseconds() - run);
  } while (cpuMilliseconds() - start < MIN_TIMED_MS);
  return fastest;
}

/** CPU seconds `work` takes (see {@link cpuMilliseconds}). */
function seconds(work: () => void): number {
  const start = cpuMilliseconds();
  work();
  return (cpuMilliseconds() - start) / 1000;
}

export interface OffchainRates {
  wrapPerSecond: number;
  verifyPerSecond: number;
  peerWrapPerSecond: number;
  peerVerifyPerSecond: number;
  /** Microseconds per certificate of GovChain's `wrapDocuments` on the 10,000 documents. */
  wrapMicrosecondsPerDocument: number;
}

/** Wraps and verifies the same documents with GovChain's library and with OpenAttestation's. */
export function measureOffchain(
  results: BenchResults,
  records: PermitRecord[],
  home: CertificateHome,
  log: (line: string) => void,
): OffchainRates {
  const ours = records.map((record) => toCertificateDocument(record, home));
  const theirs = records.map((record) => toOpenAttestationDocument(record));
  const count = records.length;

  // Warm-up on other documents than those timed (a repeated salt-free input would still be fine, but be strict).
  const warmUp = permitRecords(WARM_UP_DOCUMENTS, 7);
  checkIntegrity(wrapDocuments(warmUp.map((r) => toCertificateDocument(r, home))).certificates[0]);
  verifySignature(wrapOpenAttestation(warmUp.map((r) => toOpenAttestationDocument(r)))[0]);

  let wrapped: WrappedCertificate[] = [];
  const wrapSeconds = seconds(() => (wrapped = wrapDocuments(ours).certificates));
  log(`  GovChain wrapDocuments: ${count} documents in ${wrapSeconds.toFixed(1)} CPU s`);
  let theirWrapped: ReturnType<typeof wrapOpenAttestation> = [];
  const peerWrapSeconds = seconds(() => (theirWrapped = wrapOpenAttestation(theirs)));
  log(`  OpenAttestation wrapDocuments: ${count} documents in ${peerWrapSeconds.toFixed(1)} CPU s`);

  const verifySeconds = seconds(() => {
    for (const certificate of wrapped) {
      if (!checkIntegrity(certificate).valid) throw new Error("a freshly wrapped certificate failed checkIntegrity");
    }
  });
  log(`  GovChain checkIntegrity: ${count} documents in ${verifySeconds.toFixed(1)} CPU s`);
  const peerVerifySeconds = seconds(() => {
    for (const document of theirWrapped) {
      if (!verifySignature(document)) throw new Error("a freshly wrapped OpenAttestation document failed");
    }
  });
  log(`  OpenAttestation verifySignature: ${count} documents in ${peerVerifySeconds.toFixed(1)} CPU s`);

  const rates: OffchainRates = {
    wrapPerSecond: count / wrapSeconds,
    verifyPerSecond: count / verifySeconds,
    peerWrapPerSecond: count / peerWrapSeconds,
    peerVerifyPerSecond: count / peerVerifySeconds,
    wrapMicrosecondsPerDocument: (wrapSeconds * 1e6) / count,
  };
  results.compare(
    "offchain.wrap.perSecond",
    rates.wrapPerSecond,
    "per_s",
    "openAttestation.wrapDocuments",
    rates.peerWrapPerSecond,
  );
  results.compare(
    "offchain.verify.perSecond",
    rates.verifyPerSecond,
    "per_s",
    "openAttestation.verifySignature",
    rates.peerVerifyPerSecond,
  );
  return rates;
}

/** A batch of certificate ids and its tree, as anchored on chain. */
export interface AnchorBatch {
  size: number;
  tree: StandardMerkleTree<[string]>;
}

/** Deterministic certificate ids (so that anchored roots, and so calldata gas, are the same in every run). */
export function certificateIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => ethers.id(`${prefix}:${i}`));
}

/**
 * Off-chain cost per certificate of anchoring batches of each size:
 * - `cert.anchor.wrap.{size}.perCert`: GovChain's `wrapDocuments` on that many full documents (salts, field hashes,
 *   certificate ids, batch tree, every proof); 10,000 reuses the off-chain run above. At 100,000 full documents would
 *   take minutes, so that size times the batch tree over 100,000 certificate ids alone (the report says so).
 * - `cert.anchor.tree.{size}.perCert`: the batch tree over certificate ids alone, every size.
 * Returns the id trees whose roots the certificate benchmark anchors.
 */
export function measureAnchorWrapping(
  results: BenchResults,
  records: PermitRecord[],
  home: CertificateHome,
  offchain: OffchainRates,
  log: (line: string) => void,
): AnchorBatch[] {
  const batches: AnchorBatch[] = [];
  for (const size of ANCHOR_SIZES) {
    const ids = certificateIds(`anchor-${size}`, size);
    let tree: StandardMerkleTree<[string]> | undefined;
    const treeMs = timeOne(() => {
      tree = StandardMerkleTree.of(
        ids.map((id) => [id] as [string]),
        [...BATCH_LEAF_ENCODING],
      );
    });
    batches.push({ size, tree: tree! });
    results.add(`cert.anchor.tree.${size}.perCert`, (treeMs * 1000) / size, "us");
    let wrapMicroseconds: number;
    if (size === OFFCHAIN_DOCUMENTS) {
      wrapMicroseconds = offchain.wrapMicrosecondsPerDocument;
    } else if (size <= FULL_DOCUMENT_ANCHOR_LIMIT) {
      const documents = records.slice(0, size).map((record) => toCertificateDocument(record, home));
      wrapMicroseconds = (timeOne(() => wrapDocuments(documents)) * 1000) / size;
    } else {
      wrapMicroseconds = (treeMs * 1000) / size;
    }
    results.add(`cert.anchor.wrap.${size}.perCert`, wrapMicroseconds, "us");
    log(
      `  anchoring ${size}: wrap ${wrapMicroseconds.toFixed(1)} µs/cert, id tree ${((treeMs * 1000) / size).toFixed(1)} µs/cert`,
    );
  }
  return batches;
}
