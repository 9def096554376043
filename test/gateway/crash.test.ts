import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";

import { DEMO_PURPOSES, type DemoWorld } from "../../gateway/src/dev/demo";
import { freePort, REPOSITORY_ROOT, type RunningNode } from "../../gateway/src/dev/hardhatNode";
import type { RunGatewayOptions } from "../../gateway/src/run";
import { connect, demoChain, healthClient } from "../helpers/gateway";
import { postgresBinaries, startPostgres, type RunningPostgres } from "../helpers/postgres";

/**
 * kill -9 between the answer and the anchoring: the gateway runs as a child process with anchoring paused, answers
 * an allowed request, is killed with SIGKILL, and is restarted on the same database. The receipt journaled before
 * the answer must then be anchored on chain.
 */
describe("data-exchange gateway: kill -9 between answer and anchor", function () {
  let node: RunningNode;
  let world: DemoWorld;
  const children: ChildProcess[] = [];
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-gateway-crash-"));

  before(async function () {
    ({ node, world } = await demoChain());
  });

  after(async function () {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await node?.stop();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  async function startChild(configFile: string, port: number, paused: boolean): Promise<ChildProcess> {
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "gateway/src/main.ts", configFile],
      {
        cwd: REPOSITORY_ROOT,
        env: { ...process.env, GATEWAY_ANCHOR_PAUSED: paused ? "1" : "0", TS_NODE_TRANSPILE_ONLY: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.push(child);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill("SIGKILL");
    throw new Error(`the gateway child did not start:\n${output}`);
  }

  const variants: {
    name: string;
    database: () => Promise<{ options: Partial<RunGatewayOptions>; pg?: RunningPostgres }>;
  }[] = [
    { name: "on PGlite (data directory)", database: async () => ({ options: { dataDir: path.join(temp, "pglite") } }) },
    {
      name: "on PostgreSQL",
      database: async () => {
        const pg = await startPostgres();
        return { options: { databaseUrl: pg.url }, pg };
      },
    },
  ];

  for (const variant of variants) {
    it(`anchors the journaled receipt after a restart ${variant.name}`, async function () {
      if (variant.name === "on PostgreSQL" && !postgresBinaries()) {
        console.log("    skipped: PostgreSQL binaries not found under /usr/lib/postgresql (apt install postgresql)");
        this.skip();
      }
      const { options, pg } = await variant.database();
      try {
        const port = await freePort();
        const config: RunGatewayOptions = {
          manifest: world.manifest,
          rpcUrl: world.rpcUrl,
          agencyId: world.civilAffairs.id,
          datasets: world.civilAffairs.datasets,
          gatewayKey: world.civilAffairs.gatewayKey.privateKey,
          port,
          seed: world.civilAffairs.records,
          anchor: { intervalMs: 200 },
          log: "warn",
          ...options,
        };
        const configFile = path.join(temp, `gateway-${port}.json`);
        fs.writeFileSync(configFile, JSON.stringify(config));
        const url = `http://127.0.0.1:${port}`;
        const subject = world.citizens[0].address;
        const reader = await connect(world.rpcUrl, world.manifest);
        const before = (await reader.dataSharing.receiptsOf(subject)).length;

        const first = await startChild(configFile, port, true);
        const record = await (
          await healthClient(world, url)
        ).get({
          dataset: world.datasets.households,
          subject,
          purpose: DEMO_PURPOSES.benefits,
        });
        const journal = (await (await fetch(`${url}/v1/subjects/${subject}/receipts`)).json()) as {
          receipts: { status: string; recordHash: string }[];
        };
        expect(journal.receipts.map((r) => [r.status, r.recordHash])).to.deep.include(["pending", record.recordHash]);
        first.kill("SIGKILL");
        await new Promise((resolve) => first.once("exit", resolve));
        expect((await reader.dataSharing.receiptsOf(subject)).length).to.equal(before);

        const second = await startChild(configFile, port, false);
        const deadline = Date.now() + 30_000;
        let anchored = false;
        while (!anchored && Date.now() < deadline) {
          const onChain = await reader.dataSharing.receiptsOf(subject);
          anchored = onChain.some((r) => r.recordHash === record.recordHash);
          if (!anchored) await new Promise((resolve) => setTimeout(resolve, 250));
        }
        expect(anchored, "the receipt was not anchored after the restart").to.be.true;
        expect(
          (await reader.dataSharing.receiptsOf(subject)).filter((r) => r.recordHash === record.recordHash),
        ).to.have.length(1);
        second.kill("SIGTERM");
        await new Promise((resolve) => second.once("exit", resolve));
      } finally {
        await pg?.destroy();
      }
    });
  }
});
