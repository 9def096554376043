import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { unifiedSocialCreditCodeCheck } from "../../sdk/src/utils/schemaFormats";

/** Runs the `govchain` CLI as a child process, as a person or a script would. */

export const ROOT = path.resolve(__dirname, "..", "..");
export const LAUNCHER = path.join(ROOT, "cli", "bin", "govchain.js");
export const EXAMPLES = path.join(ROOT, "cli", "examples");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without any GOVCHAIN_* variable of the machine running the tests, plus `extra`. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("GOVCHAIN_")) env[name] = value;
  return { ...env, ...extra };
}

/** Starts `node cli/bin/govchain.js ...args`. */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv, cwd = ROOT): ChildProcess {
  return spawn(process.execPath, [LAUNCHER, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs the CLI to completion. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env, cwd);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `runCli`, expecting exit 0; returns parsed `--json` output when the command was given `--json`. */
export async function runOk<T = Record<string, unknown>>(args: readonly string[], env: NodeJS.ProcessEnv): Promise<T> {
  const result = await runCli(args, env);
  if (result.code !== 0) {
    throw new Error(`govchain ${args.join(" ")} exited ${result.code}\n${result.stderr}\n${result.stdout}`);
  }
  return (args.includes("--json") ? JSON.parse(result.stdout) : result) as T;
}

/** A valid unified social credit code made from a serial number (for generated batches). */
export function creditCode(serial: number): string {
  const body = `91310000MA${serial.toString().padStart(7, "0")}`;
  return body + unifiedSocialCreditCodeCheck(body)!;
}

/**
 * A business-licence CSV the way spreadsheets export it: UTF-8 with a BOM, CRLF line ends, quoted fields holding
 * commas, doubled quotes and line breaks, Chinese text.
 */
export function licenceCsv(rows: number, start = 1): string {
  const header = "creditCode,companyName,legalRepresentative,registeredCapital,establishedOn,address,businessScope";
  const lines = Array.from({ length: rows }, (_, i) => {
    const n = start + i;
    return [
      creditCode(n),
      `"上海""示例""第${n}号科技有限公司"`,
      "张三",
      String(100 + n),
      "2020-01-15",
      `"上海市浦东新区张江路${n}号, ${n % 30}楼"`,
      `"技术开发\r\n技术咨询，技术服务"`,
    ].join(",");
  });
  return "\ufeff" + [header, ...lines].join("\r\n") + "\r\n";
}

/** Polls `predicate` until it holds, or fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Lines of a JSON-lines file that parse (the last may be partial while it is written). */
export function journalEntries(file: string): { kind: string; group?: number }[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as { kind: string; group?: number }];
      } catch {
        return [];
      }
    });
}
