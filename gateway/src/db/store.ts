import { getAddress } from "ethers";

import type { Database, Queryable } from "./database";

/** The gateway's queries. The same SQL on PGlite and on PostgreSQL; integers wider than 32 bits travel as text. */

export interface SeedRecord {
  datasetId: number;
  /** The data subject, or the zero address for a non-personal dataset's record. */
  subject: string;
  payload: unknown;
}

export interface StoredRecord {
  payload: unknown;
  updatedAt: string;
}

export type ReceiptStatus = "pending" | "submitted" | "refused";

/** A row of the receipt journal. */
export interface JournalReceipt {
  id: string;
  requestHash: string;
  subject: string;
  datasetId: number;
  requester: bigint;
  requesterAgencyId: number;
  requesterKey: string;
  purpose: string;
  grantId: bigint;
  singleUse: boolean;
  recordHash: string;
  status: ReceiptStatus;
  attempts: number;
  transactionHash: string | null;
  error: string | null;
  createdAt: string;
  anchoredAt: string | null;
}

export type NewReceipt = Omit<
  JournalReceipt,
  "id" | "status" | "attempts" | "transactionHash" | "error" | "createdAt" | "anchoredAt"
>;

const lower = (address: string) => getAddress(address).toLowerCase();

function iso(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/** Inserts or replaces records (seeding, and an agency's own loaders). */
export async function upsertRecords(db: Queryable, records: readonly SeedRecord[]): Promise<void> {
  for (const r of records) {
    await db.query(
      `INSERT INTO records (dataset_id, subject, payload) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (dataset_id, subject) DO UPDATE SET payload = EXCLUDED.payload, updated_at = now()`,
      [r.datasetId, lower(r.subject), JSON.stringify(r.payload)],
    );
  }
}

export async function readRecord(db: Queryable, datasetId: number, subject: string): Promise<StoredRecord | undefined> {
  const { rows } = await db.query<{ payload: unknown; updated_at: unknown }>(
    "SELECT payload, updated_at FROM records WHERE dataset_id = $1 AND subject = $2",
    [datasetId, lower(subject)],
  );
  return rows[0] && { payload: rows[0].payload, updatedAt: iso(rows[0].updated_at) };
}

/** Uses a request's nonce for its key; false when it was used before (a replay). */
export async function claimNonce(db: Queryable, signer: string, nonce: bigint, deadline: bigint): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO request_nonces (signer, nonce, deadline) VALUES ($1, $2, $3)
     ON CONFLICT (signer, nonce) DO NOTHING RETURNING 1 AS claimed`,
    [lower(signer), nonce.toString(), deadline.toString()],
  );
  return rows.length === 1;
}

/** Forgets nonces whose requests can no longer be accepted anyway. */
export async function pruneNonces(db: Queryable, nowSeconds: number): Promise<void> {
  await db.query("DELETE FROM request_nonces WHERE deadline < $1", [nowSeconds]);
}

/** Takes the next receipt id (the id is part of the answer whose hash the receipt stores). */
export async function nextReceiptId(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ id: string }>("SELECT nextval('receipts_id_seq')::text AS id");
  return rows[0].id;
}

/** Journals a receipt as pending under `id` (from `nextReceiptId`). */
export async function insertReceipt(db: Queryable, id: string, r: NewReceipt): Promise<void> {
  await db.query(
    `INSERT INTO receipts (id, request_hash, subject, dataset_id, requester, requester_agency_id, requester_key,
       purpose, grant_id, single_use, record_hash)
     VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      id,
      r.requestHash,
      lower(r.subject),
      r.datasetId,
      r.requester.toString(),
      r.requesterAgencyId,
      lower(r.requesterKey),
      r.purpose,
      r.grantId.toString(),
      r.singleUse,
      r.recordHash,
    ],
  );
}

const RECEIPT_COLUMNS = `id::text AS id, request_hash, subject, dataset_id, requester::text AS requester,
  requester_agency_id, requester_key, purpose, grant_id::text AS grant_id, single_use, record_hash, status, attempts,
  tx_hash, error, created_at, anchored_at`;

interface ReceiptRow {
  id: string;
  request_hash: string;
  subject: string;
  dataset_id: number;
  requester: string;
  requester_agency_id: number;
  requester_key: string;
  purpose: string;
  grant_id: string;
  single_use: boolean;
  record_hash: string;
  status: ReceiptStatus;
  attempts: number;
  tx_hash: string | null;
  error: string | null;
  created_at: unknown;
  anchored_at: unknown;
}

function toReceipt(row: ReceiptRow): JournalReceipt {
  return {
    id: row.id,
    requestHash: row.request_hash,
    subject: getAddress(row.subject),
    datasetId: Number(row.dataset_id),
    requester: BigInt(row.requester),
    requesterAgencyId: Number(row.requester_agency_id),
    requesterKey: getAddress(row.requester_key),
    purpose: row.purpose,
    grantId: BigInt(row.grant_id),
    singleUse: row.single_use,
    recordHash: row.record_hash,
    status: row.status,
    attempts: Number(row.attempts),
    transactionHash: row.tx_hash,
    error: row.error,
    createdAt: iso(row.created_at),
    anchoredAt: row.anchored_at === null ? null : iso(row.anchored_at),
  };
}

export async function receipt(db: Queryable, id: string): Promise<JournalReceipt | undefined> {
  const { rows } = await db.query<ReceiptRow>(`SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE id = $1`, [id]);
  return rows[0] && toReceipt(rows[0]);
}

/** The oldest pending receipts, skipping those already being sent. */
export async function pendingReceipts(
  db: Queryable,
  limit: number,
  excluding: readonly string[] = [],
): Promise<JournalReceipt[]> {
  const { rows } = await db.query<ReceiptRow>(
    `SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE status = 'pending' AND NOT (id::text = ANY($2::text[]))
     ORDER BY id LIMIT $1`,
    [limit, [...excluding]],
  );
  return rows.map(toReceipt);
}

/** Every receipt of a subject, in journal order ("who used my data", anchored or not). */
export async function receiptsOfSubject(db: Queryable, subject: string): Promise<JournalReceipt[]> {
  const { rows } = await db.query<ReceiptRow>(
    `SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE subject = $1 ORDER BY id`,
    [lower(subject)],
  );
  return rows.map(toReceipt);
}

export async function countPending(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM receipts WHERE status = 'pending'");
  return Number(rows[0].n);
}

/** Counts an attempt before the transaction goes out, so a restart knows it may already be on chain. */
export async function markAttempt(db: Queryable, id: string): Promise<void> {
  await db.query("UPDATE receipts SET attempts = attempts + 1 WHERE id = $1", [id]);
}

export async function markSubmitted(db: Queryable, id: string, transactionHash: string): Promise<void> {
  await db.query(
    "UPDATE receipts SET status = 'submitted', tx_hash = $2, error = NULL, anchored_at = now() WHERE id = $1",
    [id, transactionHash],
  );
}

export async function markRefused(db: Queryable, id: string, error: string): Promise<void> {
  await db.query("UPDATE receipts SET status = 'refused', error = $2, anchored_at = now() WHERE id = $1", [id, error]);
}

export async function noteError(db: Queryable, id: string, error: string): Promise<void> {
  await db.query("UPDATE receipts SET error = $2 WHERE id = $1", [id, error]);
}

export type { Database };
