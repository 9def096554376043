import { getAddress, isAddress, SigningKey, TypedDataEncoder, ZeroAddress, computeAddress } from "ethers";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import pino, { type Logger } from "pino";

import type { GovChainClient } from "../../sdk/src/client";
import { GovChainError } from "../../sdk/src/errors/base";
import { ContractRevertError, RpcUnavailableError } from "../../sdk/src/errors/chain";
import { Capability } from "../../sdk/src/utils/capabilities";
import { AccessReason, agencyRequester } from "../../sdk/src/utils/datasharing";
import {
  DATA_RESPONSE_TYPES,
  dataRequestBodySchema,
  dataResponseMessage,
  GATEWAY_ADDRESS_HEADER,
  GATEWAY_REQUEST_HASH_HEADER,
  GATEWAY_SIGNATURE_HEADER,
  gatewayDomain,
  hashDataRequest,
  hashResponseBody,
  MAX_REQUEST_VALIDITY_SECONDS,
  recoverDataRequestSigner,
  type DataRecordResponse,
  type DataRequestMessage,
  type GatewayDomain,
  type GatewayErrorBody,
} from "../../sdk/src/utils/gatewayRequests";
import { DatabaseUnavailableError, type Database } from "./db/database";
import { migrate } from "./db/migrations";
import { claimNonce, insertReceipt, nextReceiptId, pruneNonces, readRecord, receiptsOfSubject } from "./db/store";
import { openApiDocument } from "./openapi";
import { AgencyRateLimiter } from "./rateLimit";
import { ReceiptSubmitter, type SubmitterOptions } from "./receipts";

export const GATEWAY_VERSION = "0.1.0";

export interface GatewayOptions {
  /** The chain, connected with the gateway's key as signer (it sends `recordAccess`). */
  chain: GovChainClient;
  /** The gateway's private key: signs responses and receipts. An operator of `agencyId` with PUBLISH_DATASETS. */
  gatewayKey: string;
  /** The agency whose datasets this gateway serves. */
  agencyId: number;
  /** The datasets it serves (of that agency's catalogue). */
  datasets: readonly number[];
  db: Database;
  /** A pino logger, or `false` for none. Defaults to JSON lines on stdout at `info`. */
  logger?: Logger | false;
  /** Receipt anchoring: batch interval and size, or start paused. */
  anchor?: SubmitterOptions;
  /** Requests per minute allowed to each requesting agency (token bucket). Default 6,000. */
  rateLimitPerMinute?: number;
  /** How long a chain read may take before the gateway answers 503. Default 5 s. */
  chainTimeoutMs?: number;
  /** The wall clock in Unix seconds (request deadlines are checked against it). */
  now?: () => number;
}

/** The Fastify instance with the gateway's parts that tests and `runGateway` reach for. */
export type GatewayInstance = FastifyInstance & {
  gateway: { address: string; submitter: ReceiptSubmitter; db: Database; domain: GatewayDomain };
};

/** An answer other than 200, thrown by the handlers and turned into the JSON error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RpcUnavailableError(`the blockchain node did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Whether a failure means the chain is unreachable (503) rather than a bug (500). */
function isChainUnavailable(error: unknown): boolean {
  return error instanceof RpcUnavailableError || (error instanceof GovChainError && error.code === "CHAIN_ERROR");
}

/**
 * Builds the gateway: runs the database migrations, then returns the Fastify app (not listening yet). The receipt
 * submitter starts when the app is ready and stops (finishing what is in flight) when it closes; the database is
 * closed with it.
 */
export async function buildGateway(options: GatewayOptions): Promise<GatewayInstance> {
  const { chain, db, agencyId } = options;
  const registry = chain.manifest.contracts.DataSharingRegistry?.address;
  const directoryAddress = chain.manifest.contracts.AgencyDirectory?.address;
  if (!registry || !directoryAddress) throw new Error("the manifest lacks the DataSharingRegistry or AgencyDirectory");
  const domain = gatewayDomain(chain.manifest.chainId, registry);
  const signingKey = new SigningKey(options.gatewayKey);
  const address = computeAddress(signingKey.publicKey);
  const served = new Set(options.datasets);
  const chainTimeoutMs = options.chainTimeoutMs ?? 5_000;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const log: Logger = options.logger === false ? pino({ level: "silent" }) : (options.logger ?? pino());
  const limiter = new AgencyRateLimiter(options.rateLimitPerMinute ?? 6_000);

  await migrate(db);
  const submitter = new ReceiptSubmitter(db, chain.dataSharing, log.child({ part: "receipts" }), options.anchor);

  const app = Fastify({
    loggerInstance: log,
    bodyLimit: 16 * 1024,
    return503OnClosing: true,
  }) as unknown as GatewayInstance;
  app.decorate("gateway", { address, submitter, db, domain });

  const requestHashes = new WeakMap<FastifyRequest, string>();
  const sign = (requestHash: string | undefined, status: number, body: string): string =>
    signingKey.sign(TypedDataEncoder.hash(domain, DATA_RESPONSE_TYPES, dataResponseMessage(requestHash, status, body)))
      .serialized;

  // Every answer of /v1/data is signed, errors included, so a client can tell the gateway's refusal from a forgery.
  app.addHook("onSend", async (request, reply, payload) => {
    if (!request.url.startsWith("/v1/data")) return payload;
    const body = typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload.toString("utf8") : "";
    const requestHash = requestHashes.get(request);
    reply.header(GATEWAY_ADDRESS_HEADER, address);
    if (requestHash) reply.header(GATEWAY_REQUEST_HASH_HEADER, requestHash);
    reply.header(GATEWAY_SIGNATURE_HEADER, sign(requestHash, reply.statusCode, body));
    return body;
  });

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const requestHash = requestHashes.get(request);
    let status: number;
    let code: string;
    let message: string;
    let reason: string | undefined;
    if (error instanceof HttpError) {
      ({ status, code, message, reason } = error);
    } else if (error instanceof DatabaseUnavailableError) {
      [status, code, message] = [503, "DATABASE_UNAVAILABLE", error.shortMessage];
    } else if (isChainUnavailable(error)) {
      [status, code, message] = [503, "CHAIN_UNAVAILABLE", "the blockchain node is unreachable"];
    } else if ("statusCode" in error && typeof error.statusCode === "number" && error.statusCode < 500) {
      [status, code, message] = [error.statusCode, "BAD_REQUEST", error.message];
    } else {
      [status, code, message] = [500, "INTERNAL", "the gateway failed; see its log"];
    }
    if (status >= 500) request.log.error({ err: error, code }, message);
    else request.log.info({ code, reason, status }, "request refused");
    const body: GatewayErrorBody = { error: STATUS_TEXT[status] ?? "Error", code, message };
    if (reason) body.reason = reason;
    if (requestHash) body.requestHash = requestHash;
    if (status === 429) reply.header("retry-after", "1");
    return reply.status(status).type("application/json; charset=utf-8").send(body);
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: "Not Found", code: "NOT_FOUND", message: `no route ${request.method} ${request.url}` }),
  );

  app.get("/health", async () => ({ status: "ok", gateway: address, version: GATEWAY_VERSION }));

  app.get("/ready", async (_request, reply) => {
    const [database, chainState] = await Promise.all([
      withTimeout(db.ping(), 3_000).then(
        () => "ok",
        (error: unknown) => `unavailable: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      ),
      withTimeout(chain.provider.getBlockNumber(), 3_000).then(
        (block) => `ok (block ${block})`,
        () => "unavailable",
      ),
    ]);
    const ready = database === "ok" && chainState.startsWith("ok");
    return reply
      .status(ready ? 200 : 503)
      .send({ ready, database, chain: chainState, anchoringPaused: submitter.isPaused });
  });

  app.get("/openapi.json", async () => openApiDocument({ gateway: address, agencyId, version: GATEWAY_VERSION }));

  app.get("/v1/info", async () => ({
    gateway: address,
    agencyId,
    chainId: chain.manifest.chainId,
    dataSharingRegistry: registry,
    agencyDirectory: directoryAddress,
    datasets: [...served],
    maxRequestValiditySeconds: MAX_REQUEST_VALIDITY_SECONDS,
  }));

  app.get<{ Params: { subject: string } }>("/v1/subjects/:subject/receipts", async (request) => {
    if (!isAddress(request.params.subject)) throw new HttpError(400, "BAD_REQUEST", "subject must be an address");
    const rows = await receiptsOfSubject(db, request.params.subject);
    return {
      subject: getAddress(request.params.subject),
      receipts: rows.map((r) => ({
        id: r.id,
        dataset: r.datasetId,
        requesterAgencyId: r.requesterAgencyId,
        requesterKey: r.requesterKey,
        purpose: r.purpose,
        grantId: r.grantId.toString(),
        recordHash: r.recordHash,
        status: r.status,
        transactionHash: r.transactionHash,
        error: r.error,
        createdAt: r.createdAt,
      })),
    };
  });

  app.post("/v1/data", async (request: FastifyRequest, reply: FastifyReply) => {
    const parsed = dataRequestBodySchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(400, "BAD_REQUEST", `invalid ${issue.path.join(".") || "body"}: ${issue.message}`);
    }
    const { request: r, signature } = parsed.data;
    const message: DataRequestMessage = { ...r };
    const requestHash = hashDataRequest(domain, message);
    requestHashes.set(request, requestHash);

    // 1. Is the request for us, in time, and signed? (No I/O yet.)
    if (message.gateway !== address) {
      throw new HttpError(
        401,
        "WRONG_GATEWAY",
        `the request is addressed to gateway ${message.gateway}, not ${address}`,
      );
    }
    const nowSeconds = now();
    if (message.deadline < BigInt(nowSeconds)) {
      throw new HttpError(401, "SIGNATURE_EXPIRED", `the request's deadline ${message.deadline} has passed`);
    }
    if (message.deadline > BigInt(nowSeconds + MAX_REQUEST_VALIDITY_SECONDS)) {
      throw new HttpError(400, "DEADLINE_TOO_FAR", `a deadline may be at most ${MAX_REQUEST_VALIDITY_SECONDS} s ahead`);
    }
    let signer: string;
    try {
      signer = recoverDataRequestSigner(domain, message, signature);
    } catch {
      throw new HttpError(401, "BAD_SIGNATURE", "the signature does not verify");
    }
    if (!served.has(message.dataset)) {
      throw new HttpError(404, "UNKNOWN_DATASET", `this gateway does not serve dataset ${message.dataset}`);
    }

    // 2. One use per (key, nonce), remembered in the database across restarts.
    if (!(await claimNonce(db, signer, message.nonce, message.deadline))) {
      throw new HttpError(401, "REPLAYED", "this request (key and nonce) was already received");
    }

    // 3. The chain, now: may the key act for the agency, and may the agency have this record? Never cached, so a
    //    revocation, a withdrawal or a suspension is refused from the block it lands in.
    const requester = agencyRequester(message.requesterAgencyId);
    const personal = message.subject !== ZeroAddress;
    const [mayAct, access, grant] = await withTimeout(
      Promise.all([
        chain.directory.canAct(signer, message.requesterAgencyId, Capability.RequestData),
        chain.dataSharing.checkAccess(message.subject, requester, message.dataset, message.purpose),
        personal
          ? chain.dataSharing.grantOf(message.subject, requester, message.dataset, message.purpose)
          : Promise.resolve(undefined),
      ]),
      chainTimeoutMs,
    );
    if (!mayAct) {
      // A key of the agency that cannot act: the agency is suspended or lacks REQUEST_DATA (a refusal, 403).
      // Any other key: it does not speak for the agency (401).
      const status = await withTimeout(
        chain.directory.operatorStatus(message.requesterAgencyId, signer).catch((error: unknown) => {
          if (error instanceof ContractRevertError) return { active: false, compromisedSince: 0, keyId: 0 };
          throw error;
        }),
        chainTimeoutMs,
      );
      if (status.active && status.compromisedSince === 0) {
        throw new HttpError(
          403,
          "REQUESTER_INACTIVE",
          `agency ${message.requesterAgencyId} may not request data now (suspended, dissolved or without REQUEST_DATA)`,
          AccessReason[AccessReason.RequesterInactive],
        );
      }
      throw new HttpError(401, "KEY_NOT_AUTHORIZED", `${signer} does not act for agency ${message.requesterAgencyId}`);
    }
    if (!limiter.take(message.requesterAgencyId)) {
      throw new HttpError(429, "RATE_LIMITED", `agency ${message.requesterAgencyId} exceeded its rate limit`);
    }
    if (!access.allowed) {
      throw new HttpError(
        403,
        "ACCESS_DENIED",
        `the data-sharing registry refuses: ${AccessReason[access.reason]}`,
        AccessReason[access.reason],
      );
    }
    const singleUse = grant !== undefined && access.grantId !== 0n && grant.id === access.grantId && grant.singleUse;

    // 4. Read the record and journal its receipt in one transaction, before anything leaves.
    const { body, receiptId } = await db.transaction(async (tx) => {
      const stored = await readRecord(tx, message.dataset, message.subject);
      if (!stored)
        throw new HttpError(404, "UNKNOWN_RECORD", `no record of dataset ${message.dataset} for this subject`);
      const id = await nextReceiptId(tx);
      const answer: DataRecordResponse = {
        requestHash,
        dataset: message.dataset,
        subject: message.subject,
        purpose: message.purpose,
        requesterAgencyId: message.requesterAgencyId,
        grantId: access.grantId.toString(),
        record: stored.payload,
        updatedAt: stored.updatedAt,
        receiptId: id,
      };
      const text = JSON.stringify(answer);
      await insertReceipt(tx, id, {
        requestHash,
        subject: message.subject,
        datasetId: message.dataset,
        requester,
        requesterAgencyId: message.requesterAgencyId,
        requesterKey: signer,
        purpose: message.purpose,
        grantId: access.grantId,
        singleUse,
        recordHash: hashResponseBody(text),
      });
      return { body: text, receiptId: id };
    });

    // 5. A single-use consent is anchored before the answer: the registry consumes it, so it can never be used
    //    twice, even by two requests racing through two gateways.
    if (singleUse) {
      const outcome = await submitter.anchor(receiptId);
      if (outcome.status === "refused") {
        throw new HttpError(
          403,
          "ACCESS_DENIED",
          `the data-sharing registry refuses: ${outcome.error}`,
          outcome.reason === undefined ? undefined : AccessReason[outcome.reason],
        );
      }
      if (outcome.status === "pending") {
        throw new HttpError(503, "CHAIN_UNAVAILABLE", "the single-use consent could not be consumed on chain now");
      }
    }
    request.log.info(
      { requestHash, agency: message.requesterAgencyId, dataset: message.dataset, receiptId },
      "released",
    );
    return reply.type("application/json; charset=utf-8").send(body);
  });

  let pruneTimer: NodeJS.Timeout | undefined;
  app.addHook("onReady", async () => {
    submitter.start();
    pruneTimer = setInterval(() => {
      pruneNonces(db, now() - 60).catch((error: unknown) => log.warn({ err: error }, "could not prune nonces"));
    }, 60_000);
    pruneTimer.unref();
  });
  app.addHook("onClose", async () => {
    if (pruneTimer) clearInterval(pruneTimer);
    await submitter.stop();
    await db.close();
  });
  return app;
}

/** Starts a gateway listening on `host:port`; returns its URL. */
export async function startGateway(
  options: GatewayOptions & { host?: string; port?: number },
): Promise<{ app: GatewayInstance; url: string; close: () => Promise<void> }> {
  const app = await buildGateway(options);
  const url = await app.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 0 });
  return { app, url, close: () => app.close() };
}
