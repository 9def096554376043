import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "../../../scripts/localChain";

/**
 * A `hardhat node` child process on a loopback port: the local chain behind `npm start`, the gateway tests and the
 * gateway benchmark. Development tooling only; production gateways point at a Besu node.
 */

export interface RunningNode {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export { freePort };

export const REPOSITORY_ROOT = path.join(__dirname, "..", "..", "..");

/** Sends one JSON-RPC call; throws on a transport or RPC error. */
export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** Starts `hardhat node` (chain 31337, free gas as configured) and waits until it answers. */
export async function startHardhatNode(options: { port?: number; timeoutMs?: number } = {}): Promise<RunningNode> {
  const port = options.port ?? (await freePort());
  const binary = path.join(REPOSITORY_ROOT, "node_modules", ".bin", "hardhat");
  const child = spawn(binary, ["node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: REPOSITORY_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      await rpc(url, "eth_chainId");
      return { url, port, child, output: () => output, stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await stop();
  throw new Error(`hardhat node did not answer on ${url}:\n${output}`);
}
