import { z } from "zod";

import { NetworkKitError } from "./errors";

/**
 * Besu's PERM JSON-RPC methods over HTTP (the node must serve the PERM API: `rpc-http-api` includes PERM).
 * Network I/O only. Results are validated before they are trusted.
 */

export interface JsonRpcOptions {
  /** Extra headers, e.g. `Authorization: Bearer <jwt>` when the node requires JSON-RPC authentication. */
  headers?: Readonly<Record<string, string>>;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

const responseSchema = z.union([
  z.object({ jsonrpc: z.literal("2.0"), id: z.number(), result: z.unknown() }),
  z.object({
    jsonrpc: z.literal("2.0"),
    id: z.number().nullable(),
    error: z.object({ code: z.number(), message: z.string(), data: z.unknown().optional() }),
  }),
]);

let nextId = 1;

/** One JSON-RPC call; throws {@link NetworkKitError} on a transport error, an RPC error or a malformed answer. */
export async function jsonRpcCall(
  url: string,
  method: string,
  params: readonly unknown[],
  options: JsonRpcOptions = {},
): Promise<unknown> {
  const id = nextId++;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: JSON.stringify({ jsonrpc: "2.0", id, method, params }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new NetworkKitError(`cannot reach the node at ${url} for ${method}`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new NetworkKitError(`the node at ${url} answered ${method} with HTTP ${response.status}`, {
      details: text.slice(0, 500),
    });
  }
  let parsed: z.infer<typeof responseSchema>;
  try {
    parsed = responseSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new NetworkKitError(`the node at ${url} sent a malformed answer to ${method}`, {
      details: text.slice(0, 500),
      cause: error,
    });
  }
  if ("error" in parsed) {
    throw new NetworkKitError(`the node at ${url} refused ${method}: ${parsed.error.message}`, {
      details: `JSON-RPC error ${parsed.error.code}${parsed.error.data === undefined ? "" : ` ${JSON.stringify(parsed.error.data)}`}`,
    });
  }
  return parsed.result;
}

const stringList = z.array(z.string());

async function list(url: string, method: string, options?: JsonRpcOptions): Promise<string[]> {
  const result = await jsonRpcCall(url, method, [], options);
  const parsed = stringList.safeParse(result);
  if (!parsed.success) throw new NetworkKitError(`${method} on ${url} did not return a list of strings`);
  return parsed.data;
}

async function change(
  url: string,
  method: string,
  entries: readonly string[],
  options?: JsonRpcOptions,
): Promise<void> {
  const result = await jsonRpcCall(url, method, [entries], options);
  if (result !== "Success") {
    throw new NetworkKitError(`${method} on ${url} did not succeed`, { details: JSON.stringify(result) });
  }
}

/** `perm_getAccountsAllowlist`. */
export function getAccountsAllowlist(url: string, options?: JsonRpcOptions): Promise<string[]> {
  return list(url, "perm_getAccountsAllowlist", options);
}

/** `perm_addAccountsToAllowlist`; Besu also writes the change to the node's permissions file. */
export function addAccountsToAllowlist(
  url: string,
  accounts: readonly string[],
  options?: JsonRpcOptions,
): Promise<void> {
  return change(url, "perm_addAccountsToAllowlist", accounts, options);
}

/** `perm_removeAccountsFromAllowlist`. */
export function removeAccountsFromAllowlist(
  url: string,
  accounts: readonly string[],
  options?: JsonRpcOptions,
): Promise<void> {
  return change(url, "perm_removeAccountsFromAllowlist", accounts, options);
}

/** `perm_getNodesAllowlist`. */
export function getNodesAllowlist(url: string, options?: JsonRpcOptions): Promise<string[]> {
  return list(url, "perm_getNodesAllowlist", options);
}

/** `perm_addNodesToAllowlist`. */
export function addNodesToAllowlist(url: string, enodes: readonly string[], options?: JsonRpcOptions): Promise<void> {
  return change(url, "perm_addNodesToAllowlist", enodes, options);
}

/** `perm_removeNodesFromAllowlist` (Besu refuses to remove a node that is one of its bootnodes). */
export function removeNodesFromAllowlist(
  url: string,
  enodes: readonly string[],
  options?: JsonRpcOptions,
): Promise<void> {
  return change(url, "perm_removeNodesFromAllowlist", enodes, options);
}
