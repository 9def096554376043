/**
 * The data-exchange gateway: the HTTP service an agency runs in front of its data, enforcing on-chain permissions.
 * `runGateway` is what `govchain gateway` calls; `buildGateway` gives the bare Fastify app (tests, embedding).
 */
export { runGateway, openDatabase, type RunGatewayOptions, type RunningGateway } from "./run";
export {
  buildGateway,
  startGateway,
  HttpError,
  GATEWAY_VERSION,
  type GatewayOptions,
  type GatewayInstance,
} from "./server";
export { ReceiptSubmitter, type AnchorOutcome, type SubmitterOptions } from "./receipts";
export { openPGlite } from "./db/pglite";
export { openPostgres } from "./db/postgres";
export { migrate, MIGRATIONS } from "./db/migrations";
export { DatabaseUnavailableError, type Database, type Queryable } from "./db/database";
export {
  upsertRecords,
  receiptsOfSubject,
  countPending,
  type SeedRecord,
  type JournalReceipt,
  type ReceiptStatus,
} from "./db/store";
export { openApiDocument } from "./openapi";
