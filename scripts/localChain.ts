import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

/** A local development chain in a child process (Hardhat's node), for `npm start` and end-to-end tests. */
export interface LocalChain {
  rpcUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, "..");

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when `port` on 127.0.0.1 accepts no connection (so a node can bind it), rejects otherwise. */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", () => reject(new Error(`port ${port} on 127.0.0.1 is in use: set GOVCHAIN_PORT`)));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

/** Waits until the JSON-RPC endpoint answers, or fails after `timeoutMs`. */
export async function waitForRpc(rpcUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no JSON-RPC node answered at ${rpcUrl}: ${String(error)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts `hardhat node` on 127.0.0.1:`port` and waits for it. */
export async function startHardhatNode(
  port: number,
  log: (line: string) => void = () => undefined,
): Promise<LocalChain> {
  await assertPortFree(port);
  const child = spawn(
    process.execPath,
    [require.resolve("hardhat/internal/cli/bootstrap"), "node", "--hostname", "127.0.0.1", "--port", String(port)],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" } },
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const rpcUrl = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitForRpc(rpcUrl),
      exited.then(() => {
        throw new Error(`hardhat node exited before it answered:\n${output}`);
      }),
    ]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  log(`local chain (Hardhat node) at ${rpcUrl}`);
  return {
    rpcUrl,
    process: child,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    },
  };
}
