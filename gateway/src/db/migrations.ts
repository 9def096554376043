import type { Database } from "./database";

/**
 * The gateway's schema, as numbered migrations. Plain PostgreSQL that PGlite and a PostgreSQL server both run
 * unchanged. Never edit a migration that has shipped: add the next number.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: "records, request nonces and the receipt journal",
    sql: `
      -- The agency's data: one record per (dataset, subject). The zero address is the dataset-level record of a
      -- non-personal dataset. Addresses are stored lower-case.
      CREATE TABLE records (
        dataset_id integer NOT NULL CHECK (dataset_id > 0),
        subject text NOT NULL CHECK (subject ~ '^0x[0-9a-f]{40}$'),
        payload jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dataset_id, subject)
      );

      -- Every signed request's (key, nonce) is used once, across restarts. Rows past their deadline can go: a
      -- request past its deadline is refused before its nonce is looked at.
      CREATE TABLE request_nonces (
        signer text NOT NULL,
        nonce numeric(78, 0) NOT NULL,
        deadline bigint NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (signer, nonce)
      );
      CREATE INDEX request_nonces_by_deadline ON request_nonces (deadline);

      -- The receipt journal: written in the transaction that reads the record, before the answer leaves; anchored
      -- on chain (recordAccess) by the submitter. record_hash is the keccak-256 of the exact response body.
      CREATE TABLE receipts (
        id bigserial PRIMARY KEY,
        request_hash text NOT NULL UNIQUE,
        subject text NOT NULL,
        dataset_id integer NOT NULL,
        requester numeric(78, 0) NOT NULL,
        requester_agency_id integer NOT NULL,
        requester_key text NOT NULL,
        purpose text NOT NULL,
        grant_id numeric(20, 0) NOT NULL,
        single_use boolean NOT NULL DEFAULT false,
        record_hash text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'submitted', 'refused')),
        attempts integer NOT NULL DEFAULT 0,
        tx_hash text,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        anchored_at timestamptz
      );
      CREATE INDEX receipts_pending ON receipts (id) WHERE status = 'pending';
      CREATE INDEX receipts_by_subject ON receipts (subject, id);
    `,
  },
];

/** An arbitrary constant: the advisory lock that serialises gateways migrating one database at once. */
const MIGRATION_LOCK = 7_412_093;

/** Applies the migrations not yet applied, each in its own transaction with its `schema_migrations` row. */
export async function migrate(db: Database): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    const done = await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      const { rows } = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [migration.version]);
      if (rows.length) return false;
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
