import { Pool, type PoolClient } from "pg";

import { rethrow, type Database, type Queryable } from "./database";

/** A PostgreSQL server through a `pg` pool. Fails fast (a few seconds) when the server is away. */
export async function openPostgres(
  connectionString: string,
  options: { max?: number; connectionTimeoutMs?: number } = {},
): Promise<Database> {
  const pool = new Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 3_000,
    // A statement that hangs (server frozen) must not hold a request forever.
    query_timeout: 10_000,
  });
  // An idle client losing its server emits here; without a listener Node would crash the gateway.
  pool.on("error", () => undefined);
  const wrap = (q: Pick<Pool | PoolClient, "query">): Queryable => ({
    async query<R extends object>(sql: string, params: readonly unknown[] = []) {
      try {
        const result = await q.query(sql, [...params]);
        return { rows: result.rows as R[] };
      } catch (error) {
        return rethrow(error);
      }
    },
    async exec(sql: string) {
      try {
        await q.query(sql);
      } catch (error) {
        rethrow(error);
      }
    },
  });
  const base = wrap(pool);
  let closed = false;
  const database: Database = {
    kind: "postgres",
    ...base,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        return rethrow(error);
      }
      let broken = false;
      let failure: { error: unknown } | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(wrap(client)).catch((error: unknown) => {
          failure = { error };
          throw error;
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch {
          broken = true;
        }
        // The work's own errors (already translated, or the caller's) pass through; BEGIN/COMMIT failures do not.
        if (failure && failure.error === error) throw error;
        return rethrow(error);
      } finally {
        client.release(broken);
      }
    },
    async ping() {
      await base.query("SELECT 1");
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
  await database.ping();
  return database;
}
