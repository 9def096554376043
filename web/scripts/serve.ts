import { readFile, stat } from "node:fs/promises";
import http from "node:http";
import path from "node:path";

import type { Signer } from "ethers";
import { z } from "zod";

import { GovChainClient } from "../../sdk/src/client";
import { readManifestFile } from "../../sdk/src/node/manifestFile";
import type { ConsentGrantMessage, ConsentRevocationMessage } from "../../sdk/src/utils/datasharing";
import type { Manifest } from "../../sdk/src/utils/manifest";
import { PORTAL_DIST } from "./build";

/**
 * A tiny static server for the built portal (web/dist) that also answers `/config.json` from its options, so one
 * build runs against any chain. Used by the tests, the screenshot script and `npm start`; in production any web
 * server can host web/dist with a config.json beside it.
 *
 * With `relaySigner` it also offers `POST /dev-relay`: a DEVELOPMENT relay that submits subjects' signed consents
 * and revocations with that key. A real deployment relays through an agency's gateway instead.
 */

export interface PortalServerOptions {
  rpcUrl: string;
  /** The deployment manifest, or a URL the page fetches it from. */
  manifest: Manifest | string;
  port?: number;
  host?: string;
  /** The built portal; web/dist by default. */
  root?: string;
  /** A relay the page should POST signed messages to (ignored when `relaySigner` runs the development relay). */
  relayUrl?: string;
  /** DEVELOPMENT ONLY: relays signed consents and revocations with this key. Needs an inline manifest. */
  relaySigner?: Signer;
  /** Purpose labels, so that the page shows purposes by name. */
  purposeLabels?: string[];
}

export interface PortalServer {
  /** The portal's address, ending with `/`. */
  url: string;
  port: number;
  close: () => Promise<void>;
}

const DEV_RELAY_PATH = "/dev-relay";
const MAX_BODY_BYTES = 64 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

const uint = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => BigInt(v));
const relaySchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("grant"),
    signature: z.string().regex(/^0x[0-9a-fA-F]+$/),
    message: z.object({
      subject: z.string(),
      requester: uint,
      datasetId: uint,
      purpose: z.string(),
      expiresAt: uint,
      singleUse: z.boolean(),
      nonce: uint,
      deadline: uint,
    }),
  }),
  z.object({
    kind: z.literal("revocation"),
    signature: z.string().regex(/^0x[0-9a-fA-F]+$/),
    message: z.object({
      subject: z.string(),
      requester: uint,
      datasetId: uint,
      purpose: z.string(),
      nonce: uint,
      deadline: uint,
    }),
  }),
]);

function send(response: http.ServerResponse, status: number, body: string | Buffer, type: string): void {
  response.writeHead(status, {
    "content-type": type,
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  });
  response.end(body);
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  send(response, status, JSON.stringify(body), CONTENT_TYPES[".json"]);
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Starts the server; resolves once it listens. Port 0 picks a free port. */
export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  const root = path.resolve(options.root ?? PORTAL_DIST);
  const host = options.host ?? "127.0.0.1";
  if (options.relaySigner && typeof options.manifest === "string") {
    throw new Error("the development relay needs the manifest itself, not its URL");
  }
  const config = JSON.stringify({
    rpcUrl: options.rpcUrl,
    manifest: options.manifest,
    relayUrl: options.relaySigner ? `.${DEV_RELAY_PATH}` : options.relayUrl,
    purposeLabels: options.purposeLabels,
  });
  let relayClient: Promise<GovChainClient> | undefined;

  async function devRelay(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const parsed = relaySchema.safeParse(JSON.parse(await readBody(request)) as unknown);
    if (!parsed.success) return sendJson(response, 400, { error: `invalid signed message: ${parsed.error.message}` });
    relayClient ??= GovChainClient.connect({
      manifest: options.manifest as Manifest,
      rpcUrl: options.rpcUrl,
      signer: options.relaySigner,
    });
    const client = await relayClient;
    const { kind, message, signature } = parsed.data;
    if (kind === "grant") {
      const { grantId, transactionHash } = await client.dataSharing.relayConsent(
        message as ConsentGrantMessage,
        signature,
      );
      return sendJson(response, 200, { transactionHash, grantId: grantId.toString() });
    }
    const transactionHash = await client.dataSharing.relayRevocation(message as ConsentRevocationMessage, signature);
    return sendJson(response, 200, { transactionHash });
  }

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://portal.invalid");
    if (url.pathname === DEV_RELAY_PATH && options.relaySigner) {
      if (request.method !== "POST") return sendJson(response, 405, { error: "POST a signed message" });
      return devRelay(request, response);
    }
    if (request.method !== "GET" && request.method !== "HEAD") return send(response, 405, "", "text/plain");
    if (url.pathname === "/config.json") return send(response, 200, config, CONTENT_TYPES[".json"]);
    const relative = decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname);
    const file = path.resolve(root, "." + relative);
    if (!file.startsWith(root + path.sep)) return send(response, 403, "forbidden", "text/plain");
    try {
      if (!(await stat(file)).isFile()) throw new Error("not a file");
    } catch {
      return send(response, 404, "not found", "text/plain");
    }
    send(response, 200, await readFile(file), CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream");
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const message =
        error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message) : String(error);
      if (!response.headersSent) sendJson(response, 500, { error: message });
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

if (require.main === module) {
  // npx ts-node web/scripts/serve.ts --rpc-url http://127.0.0.1:8545 --manifest deployments/localhost.json [--port 5173]
  const rpcUrl = argument("rpc-url") ?? process.env.GOVCHAIN_RPC_URL ?? "http://127.0.0.1:8545";
  const manifestFile = argument("manifest") ?? "deployments/localhost.json";
  const manifest = readManifestFile(manifestFile);
  if (!manifest) {
    console.error(`no deployment manifest at ${manifestFile}: deploy the suite first`);
    process.exit(1);
  }
  startPortalServer({ rpcUrl, manifest, port: Number(argument("port") ?? 5173), host: argument("host") }).then(
    (server) => console.log(`GovChain portal on ${server.url} (chain at ${rpcUrl})`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
