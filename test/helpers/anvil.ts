import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "../../scripts/localChain";

/**
 * Runs anvil (from the npm package @foundry-rs/anvil) on 127.0.0.1 for a test, and stops it. anvil stands in for a
 * Besu node: same genesis file, same free-gas rules (base fee 0, gas price 0), but no QBFT consensus.
 */

export interface RunningAnvil {
  url: string;
  /** Everything anvil printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

export { freePort };

export async function startAnvil(args: readonly string[], timeoutMs = 30_000): Promise<RunningAnvil> {
  const port = await freePort();
  const binary = path.join(__dirname, "..", "..", "node_modules", ".bin", "anvil");
  const child: ChildProcess = spawn(binary, [...args, "--host", "127.0.0.1", "--port", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return { url, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`anvil did not answer on ${url}:\n${output}`);
}
