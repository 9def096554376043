import { GovChainError } from "../../../sdk/src/errors/base";

/**
 * The gateway's database, as small as the gateway needs: parameterised queries, multi-statement scripts for
 * migrations, and transactions. Two implementations run the same SQL: embedded PostgreSQL (PGlite, the default, so
 * that nothing needs installing) and a PostgreSQL server through a `pg` pool (`DATABASE_URL`, for production).
 */
export interface Queryable {
  /** One statement with `$1`-style parameters. */
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Throws `DatabaseUnavailableError` unless the database answers now. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The database could not be reached or stopped answering: the gateway answers 503. */
export class DatabaseUnavailableError extends GovChainError {
  override name = "DatabaseUnavailableError";

  constructor(cause: unknown) {
    super("the gateway's database is unavailable", {
      code: "DATABASE_UNAVAILABLE",
      cause,
      details: cause instanceof Error ? cause.message : String(cause),
    });
  }
}

/** The SQLSTATE of a PostgreSQL error (both drivers put it in `code`), if there is one. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** `23505`: a unique constraint refused a row. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === "23505";
}

/**
 * Errors that mean "the database is not there" rather than "this query is wrong": no SQLSTATE at all (a socket
 * error, a pool timeout, a closed client) or a connection (08), resource (53), shutdown (57) or system (58) class.
 */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  const state = sqlStateOf(error);
  if (state === undefined) return true;
  return ["08", "53", "57", "58"].includes(state.slice(0, 2));
}

/** Rethrows a driver error, as `DatabaseUnavailableError` when the database itself failed. */
export function rethrow(error: unknown): never {
  if (isUnavailable(error) && !(error instanceof DatabaseUnavailableError)) throw new DatabaseUnavailableError(error);
  throw error;
}
