import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small stand-in for a Besu node's PERM JSON-RPC API on 127.0.0.1: keeps an accounts and a nodes allowlist,
 * answers like Besu ("Success", or an error for duplicates and absent entries), and records every call.
 */

export interface PermCall {
  method: string;
  params: unknown[];
}

export interface MockPermNode {
  url: string;
  calls: PermCall[];
  accounts: Set<string>;
  nodes: Set<string>;
  close: () => Promise<void>;
}

export async function startMockPermNode(
  initial: { accounts?: string[]; nodes?: string[] } = {},
): Promise<MockPermNode> {
  const accounts = new Set((initial.accounts ?? []).map((account) => account.toLowerCase()));
  const nodes = new Set(initial.nodes ?? []);
  const calls: PermCall[] = [];

  const answer = (
    method: string,
    params: unknown[],
  ): { result?: unknown; error?: { code: number; message: string } } => {
    const list = (params[0] ?? []) as string[];
    switch (method) {
      case "perm_getAccountsAllowlist":
        return { result: [...accounts] };
      case "perm_getNodesAllowlist":
        return { result: [...nodes] };
      case "perm_addAccountsToAllowlist":
        if (list.some((account) => accounts.has(account.toLowerCase()))) {
          return { error: { code: -32000, message: "Cannot add an existing account to allowlist" } };
        }
        list.forEach((account) => accounts.add(account.toLowerCase()));
        return { result: "Success" };
      case "perm_removeAccountsFromAllowlist":
        if (list.some((account) => !accounts.has(account.toLowerCase()))) {
          return { error: { code: -32000, message: "Cannot remove an absent account from allowlist" } };
        }
        list.forEach((account) => accounts.delete(account.toLowerCase()));
        return { result: "Success" };
      case "perm_addNodesToAllowlist":
        list.forEach((enode) => nodes.add(enode));
        return { result: "Success" };
      case "perm_removeNodesFromAllowlist":
        list.forEach((enode) => nodes.delete(enode));
        return { result: "Success" };
      default:
        return { error: { code: -32601, message: "Method not found" } };
    }
  };

  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      calls.push({ method, params });
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ jsonrpc: "2.0", id, ...answer(method, params) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    accounts,
    nodes,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
