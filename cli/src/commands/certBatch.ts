import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { Command } from "commander";

import type { GovChainClient } from "../../../sdk/src/client";
import { ContractRevertError } from "../../../sdk/src/errors/chain";
import { issueArguments, wrapDocument, wrapDocuments } from "../../../sdk/src/utils/documents/certificates";
import type { CertificateDocument, WrappedCertificate } from "../../../sdk/src/utils/documents/format";
import { CertificateStatus } from "../../../sdk/src/utils/documents/reader";
import { parseId, parsePositive, parseTime, readInputFile } from "../args";
import { holderFieldOf, loadFieldSchema, requireIssuer, requireType, rowDocument, validateRows } from "../certificates";
import { accountOf, type CliContext } from "../context";
import { acquireLock, Journal, writeFileAtomic, type SealedGroup } from "../journal";
import type { ActionRunner } from "../main";
import { toJson } from "../output";
import { Progress } from "../progress";
import { parseBatchInput } from "../rows";

/** Certificates per `issueBatch` transaction by default: well inside a block, few transactions. */
export const DEFAULT_CHUNK_SIZE = 50;
/** How long a resumed run waits for its own earlier transactions still pending in the node. */
const PENDING_WAIT_MS = 60_000;
/** Attempts at a group when another transaction issued part of it meanwhile. */
const GROUP_ATTEMPTS = 3;

interface IssueBatchOptions {
  type: number;
  schema: string;
  out: string;
  anchor: boolean;
  chunkSize: number;
  holderField?: string;
  validFrom: number;
  validUntil: number;
}

/** Summary of a run, as printed with `--json`. */
interface BatchSummary {
  input: string;
  typeId: number;
  anchored: boolean;
  batchRoot?: string;
  total: number;
  issuedNow: number;
  alreadyOnChain: number;
  transactions: string[];
  resumed: boolean;
  out: string;
  files: { row: number; certificateId: string; file: string }[];
}

export function registerIssueBatchCommand(cert: Command, run: ActionRunner): void {
  cert
    .command("issue-batch")
    .description(
      "issue one certificate per row of a CSV or JSON file, writing each wrapped certificate to --out; " +
        "safe to kill and re-run: a journal in --out makes the re-run finish the rest, issuing none twice",
    )
    .argument("<file>", "CSV (UTF-8, with or without BOM, header row) or JSON array of objects")
    .requiredOption("--type <id>", "the certificate type", parseId)
    .requiredOption("--schema <file>", "the type's JSON Schema; its hash must match the type's schemaHash")
    .requiredOption("--out <dir>", "folder for the wrapped certificates and the batch journal")
    .option("--anchor", "anchor the whole file as one Merkle root (one transaction)", false)
    .option("--chunk-size <n>", "certificates per transaction without --anchor", parsePositive, DEFAULT_CHUNK_SIZE)
    .option("--holder-field <name>", "column holding the holder's id (default: the schema's x-govchain-holder)")
    .option("--valid-from <time>", "start of validity (default: at issuance)", (v) => parseTime(v), 0)
    .option("--valid-until <time>", "end of validity (default: the type's)", (v) => parseTime(v), 0)
    .action(run(async (context, file: string, options: IssueBatchOptions) => issueBatch(context, file, options)));
}

async function issueBatch(context: CliContext, file: string, options: IssueBatchOptions): Promise<void> {
  const out = context.out;
  // 1. The files: readable, well-formed, and the schema a valid JSON Schema.
  const bytes = readInputFile(file);
  const input = parseBatchInput(file, bytes);
  const schema = loadFieldSchema(options.schema, { coerce: input.format === "csv" });
  const holderField = holderFieldOf(schema, options.holderField);

  // 2. The chain: the type exists and uses this schema, and the key may issue for its agency.
  const client = await context.client({ signer: true });
  const type = await requireType(client, options.type, schema);
  const account = await accountOf(client);
  await requireIssuer(client, account, type.agencyId);

  // 3. Every row against the schema; one bad row stops the batch before anything is written or sent.
  validateRows(file, input.rows, schema, holderField);

  // 4. The journal: created, or read back to resume.
  const inputSha256 = createHash("sha256").update(bytes).digest("hex");
  const registry = client.certificates.address;
  const key = createHash("sha256")
    .update(
      JSON.stringify([
        inputSha256,
        options.type,
        options.anchor,
        client.manifest.chainId,
        registry,
        schema.hash,
        holderField,
      ]),
    )
    .digest("hex");
  const release = acquireLock(options.out);
  const journal = Journal.open(options.out, {
    key,
    input: path.basename(file),
    inputSha256,
    typeId: options.type,
    anchor: options.anchor,
    rows: input.rows.length,
    chainId: client.manifest.chainId,
    registry,
    validFrom: options.validFrom,
    validUntil: options.validUntil,
  });
  try {
    // A resumed batch keeps the validity it started with (a relative --valid-until would otherwise move).
    const validity = { validFrom: journal.header.validFrom, validUntil: journal.header.validUntil };
    if (journal.resumed) {
      out.note(`resuming the batch journaled in ${journal.file}`);
      await waitForPendingTransactions(client, account, context);
    }
    const template = {
      typeId: options.type,
      agencyId: type.agencyId,
      chainId: client.manifest.chainId,
      registry,
      ...validity,
    };
    const documents = new Map<number, CertificateDocument>(
      input.rows.map(({ row, values }) => [row, rowDocument(values, holderField, template)]),
    );

    const summary: BatchSummary = {
      input: file,
      typeId: options.type,
      anchored: options.anchor,
      total: documents.size,
      issuedNow: 0,
      alreadyOnChain: 0,
      transactions: [],
      resumed: journal.resumed,
      out: options.out,
      files: [],
    };
    const progress = new Progress({ unit: "certificates", total: documents.size });
    const fileNames = fileNamer([...documents.keys()].reduce((max, row) => Math.max(max, row), 1));
    const finishGroup = (group: SealedGroup, issued: number, transactionHash: string | undefined) => {
      writeCertificates(options.out, group.certificates, fileNames);
      journal.confirm(group, transactionHash);
      summary.issuedNow += issued;
      summary.alreadyOnChain += group.rows.length - issued;
      if (transactionHash) summary.transactions.push(transactionHash);
      if (issued > 0) progress.tick(issued);
      if (issued < group.rows.length) progress.skip(group.rows.length - issued);
    };

    // 5. Groups sealed by an earlier run: on chain already, or sent now (never re-wrapped).
    for (const group of journal.groups.values()) {
      const { issued, transactionHash } = await sendGroup(client, group, options.type);
      finishGroup(group, issued, transactionHash);
    }

    // 6. The rows no run has sealed yet.
    const sealed = journal.sealedRows();
    const pending = [...documents.keys()].filter((row) => !sealed.has(row));
    if (options.anchor && pending.length > 0) {
      if (sealed.size > 0) throw new Error("internal: an anchored batch is sealed all at once");
      const batch = wrapDocuments(pending.map((row) => documents.get(row)!));
      const group = journal.seal(new Map(pending.map((row, i) => [row, batch.certificates[i]])), batch.batchRoot);
      const { issued, transactionHash } = await sendGroup(client, group, options.type);
      finishGroup(group, issued, transactionHash);
    } else {
      for (let start = 0; start < pending.length; start += options.chunkSize) {
        const rows = pending.slice(start, start + options.chunkSize);
        const group = journal.seal(new Map(rows.map((row) => [row, wrapDocument(documents.get(row)!)])));
        const { issued, transactionHash } = await sendGroup(client, group, options.type);
        finishGroup(group, issued, transactionHash);
      }
    }
    progress.finish();

    // 7. Every wrapped file, whatever run issued it, and an index.
    const all = journal.certificates();
    writeCertificates(options.out, all, fileNames);
    summary.files = [...all].map(([row, certificate]) => ({
      row,
      certificateId: certificate.proof.certificateId,
      file: path.join(options.out, fileNames(row, certificate)),
    }));
    summary.batchRoot = options.anchor ? [...journal.groups.values()][0]?.root : undefined;
    writeFileAtomic(
      path.join(options.out, "index.json"),
      toJson({
        input: summary.input,
        inputSha256,
        typeId: summary.typeId,
        chainId: client.manifest.chainId,
        registry,
        batchRoot: summary.batchRoot,
        certificates: summary.files.map(({ row, certificateId, file: f }) => ({
          row,
          certificateId,
          file: path.basename(f),
        })),
      }) + "\n",
    );
    if (!journal.done) journal.finish();

    out.result(summary, [
      summary.issuedNow === 0 && summary.alreadyOnChain === summary.total
        ? `all ${summary.total} certificates were already issued: nothing sent`
        : `issued ${summary.issuedNow} certificates in ${summary.transactions.length} transaction(s)` +
          (summary.alreadyOnChain ? `; ${summary.alreadyOnChain} were already on chain` : ""),
      ...(summary.batchRoot ? [`anchored under batch root ${summary.batchRoot}`] : []),
      `${summary.files.length} wrapped certificates in ${options.out}`,
    ]);
  } finally {
    journal.close();
    release();
  }
}

/**
 * Puts a sealed group on chain unless it is there already: an anchored group by its root, a chunk by each id's
 * status (only the missing ones are sent). The registry refuses an id or a root twice, so a transaction of an earlier
 * run landing late makes this one revert, never double-issue; the group is then checked again.
 */
async function sendGroup(
  client: GovChainClient,
  group: SealedGroup,
  typeId: number,
): Promise<{ issued: number; transactionHash?: string }> {
  const certificates = group.rows.map((row) => group.certificates.get(row)!);
  const terms = issueArguments(certificates[0]);
  for (let attempt = 1; ; attempt++) {
    try {
      if (group.root !== undefined) {
        if (await client.certificates.batch(group.root)) return { issued: 0 };
        const transactionHash = await client.certificates.anchorBatch({
          root: group.root,
          typeId,
          size: certificates.length,
          validFrom: terms.validFrom,
          validUntil: terms.validUntil,
        });
        return { issued: certificates.length, transactionHash };
      }
      const statuses = await client.certificates.statusOfMany(certificates.map((c) => c.proof.certificateId));
      const missing = certificates.filter((_, i) => statuses[i] === CertificateStatus.None).map(issueArguments);
      if (missing.length === 0) return { issued: 0 };
      const transactionHash = await client.certificates.issueBatch({
        typeId,
        certificateIds: missing.map((m) => m.certificateId),
        holderCommitments: missing.map((m) => m.holderCommitment),
        validFrom: terms.validFrom,
        validUntil: terms.validUntil,
      });
      return { issued: missing.length, transactionHash };
    } catch (error) {
      const raced =
        error instanceof ContractRevertError &&
        ["CertificateAlreadyIssued", "CertificateBatchAlreadyAnchored"].includes(error.errorName);
      if (!raced || attempt >= GROUP_ATTEMPTS) throw error;
    }
  }
}

/** Waits until the node has mined every transaction this key had pending (a killed run's last one, typically). */
async function waitForPendingTransactions(client: GovChainClient, account: string, context: CliContext): Promise<void> {
  const deadline = Date.now() + PENDING_WAIT_MS;
  for (;;) {
    const [pending, latest] = await Promise.all([
      client.provider.getTransactionCount(account, "pending"),
      client.provider.getTransactionCount(account, "latest"),
    ]);
    if (pending <= latest) return;
    if (Date.now() > deadline) {
      context.out.note(`warning: ${pending - latest} transaction(s) of ${account} still pending; going on`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** `0042-1a2b3c4d.json`: the row, then the start of the certificate id. */
function fileNamer(maxRow: number): (row: number, certificate: WrappedCertificate) => string {
  const width = String(maxRow).length;
  return (row, certificate) =>
    `${String(row).padStart(width, "0")}-${certificate.proof.certificateId.slice(2, 10)}.json`;
}

function writeCertificates(
  directory: string,
  certificates: ReadonlyMap<number, WrappedCertificate>,
  name: (row: number, certificate: WrappedCertificate) => string,
): void {
  for (const [row, certificate] of certificates) {
    const target = path.join(directory, name(row, certificate));
    const text = toJson(certificate) + "\n";
    if (fs.existsSync(target) && fs.readFileSync(target, "utf8") === text) continue;
    writeFileAtomic(target, text);
  }
}
