/**
 * Runs one gateway from a JSON file of `RunGatewayOptions` (argument 1), stopping gracefully on SIGINT/SIGTERM.
 * What the tests start as a child process; the CLI's `govchain gateway` calls `runGateway` directly.
 *
 *   node -r ts-node/register/transpile-only gateway/src/main.ts gateway.json
 */
import fs from "node:fs";

import { parseManifest } from "../../sdk/src/utils/manifest";
import { runGateway, type RunGatewayOptions } from "./run";

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error("usage: main.ts <options.json>");
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as RunGatewayOptions;
  const options: RunGatewayOptions = {
    ...raw,
    manifest: parseManifest(JSON.stringify(raw.manifest)),
    databaseUrl: raw.databaseUrl ?? process.env.DATABASE_URL,
    handleSignals: true,
  };
  if (process.env.GATEWAY_ANCHOR_PAUSED === "1") options.anchor = { ...options.anchor, paused: true };
  await runGateway(options);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
