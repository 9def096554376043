import { JsonRpcProvider, Wallet } from "ethers";
import pino, { type Logger } from "pino";

import { GovChainClient } from "../../sdk/src/client";
import { Capability } from "../../sdk/src/utils/capabilities";
import type { Manifest } from "../../sdk/src/utils/manifest";
import type { Database } from "./db/database";
import { openPGlite } from "./db/pglite";
import { openPostgres } from "./db/postgres";
import { migrate } from "./db/migrations";
import { upsertRecords, type SeedRecord } from "./db/store";
import type { SubmitterOptions } from "./receipts";
import { startGateway, type GatewayInstance } from "./server";

/** What `govchain gateway` takes (the CLI parses its flags and environment into this). */
export interface RunGatewayOptions {
  /** The deployment manifest of the chain. */
  manifest: Manifest;
  /** JSON-RPC URL of a node of that chain. */
  rpcUrl: string;
  /** The agency whose datasets are served (`--agency N`). */
  agencyId: number;
  /** Datasets to serve (`--dataset 1 --dataset 2`); default: every dataset of the agency not withdrawn. */
  datasets?: number[];
  /** The gateway's private key (an operator of the agency with PUBLISH_DATASETS); e.g. from GOVCHAIN_GATEWAY_KEY. */
  gatewayKey: string;
  host?: string;
  /** `--port`; 0 picks a free port. Default 8080. */
  port?: number;
  /** `--database-url` / DATABASE_URL: a PostgreSQL server. Without it the gateway uses embedded PostgreSQL. */
  databaseUrl?: string;
  /** Directory of the embedded database; without it (and without `databaseUrl`) the data lives in memory. */
  dataDir?: string;
  /** Records to load at start (demo and tests; a real agency loads its own). */
  seed?: SeedRecord[];
  anchor?: SubmitterOptions;
  rateLimitPerMinute?: number;
  /** pino level (`info` by default), or a logger. */
  log?: string | Logger;
  /** Stop gracefully on SIGINT / SIGTERM (finish requests and receipts in flight, close the database). */
  handleSignals?: boolean;
}

export interface RunningGateway {
  url: string;
  /** The gateway's signing address. */
  address: string;
  app: GatewayInstance;
  close: () => Promise<void>;
}

/** Opens the database the options name: PostgreSQL when a URL is given, embedded PostgreSQL otherwise. */
export function openDatabase(options: { databaseUrl?: string; dataDir?: string }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPGlite(options.dataDir);
}

/**
 * Runs one agency's data-exchange gateway: connects to the chain, checks that the gateway key may serve the
 * agency's data, opens and migrates the database, seeds it if asked, and listens.
 */
export async function runGateway(options: RunGatewayOptions): Promise<RunningGateway> {
  const log =
    typeof options.log === "object"
      ? options.log
      : pino({ level: options.log ?? "info", base: { agency: options.agencyId } });
  // One request per call (no batching stall), no response cache: every check reads the chain as it is now.
  const provider = new JsonRpcProvider(options.rpcUrl, options.manifest.chainId, {
    staticNetwork: true,
    cacheTimeout: -1,
    batchStallTime: 0,
  });
  const wallet = new Wallet(options.gatewayKey, provider);
  const chain = await GovChainClient.connect({ manifest: options.manifest, provider, signer: wallet });
  if (!(await chain.directory.canAct(wallet.address, options.agencyId, Capability.PublishDatasets))) {
    throw new Error(
      `the gateway key ${wallet.address} is not an operator of agency ${options.agencyId} with PUBLISH_DATASETS: ` +
        "clients would refuse its answers and the registry its receipts",
    );
  }
  const datasets =
    options.datasets ??
    (await chain.dataSharing.datasets())
      .filter((d) => d.ownerAgencyId === options.agencyId && !d.withdrawn)
      .map((d) => d.id);

  const db = await openDatabase(options);
  let running: RunningGateway;
  try {
    if (options.seed?.length) {
      await migrate(db);
      await upsertRecords(db, options.seed);
    }
    const { app, url, close } = await startGateway({
      chain,
      gatewayKey: options.gatewayKey,
      agencyId: options.agencyId,
      datasets,
      db,
      logger: log,
      anchor: options.anchor,
      rateLimitPerMinute: options.rateLimitPerMinute,
      host: options.host,
      port: options.port ?? 8080,
    });
    running = { url, address: wallet.address, app, close };
  } catch (error) {
    await db.close();
    throw error;
  }
  log.info({ url: running.url, gateway: running.address, datasets, database: db.kind }, "gateway listening");

  if (options.handleSignals) {
    const shutdown = (signal: string) => {
      log.info({ signal }, "shutting down: finishing requests and receipts in flight");
      running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  }
  return running;
}
