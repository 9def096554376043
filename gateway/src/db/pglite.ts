import { PGlite } from "@electric-sql/pglite";

import { rethrow, type Database, type Queryable } from "./database";

/** Embedded PostgreSQL (WASM). `dataDir` persists it; without one it lives in memory. Always `close()` it. */
export async function openPGlite(dataDir?: string): Promise<Database> {
  const db = dataDir ? new PGlite(dataDir) : new PGlite();
  await db.waitReady;
  const wrap = (q: Pick<PGlite, "query" | "exec">): Queryable => ({
    async query<R extends object>(sql: string, params: readonly unknown[] = []) {
      try {
        const result = await q.query<R>(sql, [...params]);
        return { rows: result.rows };
      } catch (error) {
        return rethrow(error);
      }
    },
    async exec(sql: string) {
      try {
        await q.exec(sql);
      } catch (error) {
        rethrow(error);
      }
    },
  });
  const base = wrap(db);
  return {
    kind: "pglite",
    ...base,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      let failure: { error: unknown } | undefined;
      try {
        return await db.transaction((tx) =>
          work(wrap(tx)).catch((error: unknown) => {
            failure = { error };
            throw error;
          }),
        );
      } catch (error) {
        // The work's own errors (already translated, or the caller's) pass through; BEGIN/COMMIT failures do not.
        if (failure && failure.error === error) throw error;
        return rethrow(error);
      }
    },
    async ping() {
      if (db.closed) rethrow(new Error("the embedded database is closed"));
      await base.query("SELECT 1");
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
