import autocannon from "autocannon";
import { JsonRpcProvider, SigningKey, TypedDataEncoder, Wallet } from "ethers";

import { GovChainClient } from "../sdk/src/client";
import {
  DATA_REQUEST_TYPES,
  encodeDataRequestBody,
  gatewayDomain,
  randomRequestNonce,
  type DataRequestMessage,
} from "../sdk/src/utils/gatewayRequests";
import { DEMO_PURPOSES, setUpDemo } from "../gateway/src/dev/demo";
import { startHardhatNode } from "../gateway/src/dev/hardhatNode";
import { openPGlite } from "../gateway/src/db/pglite";
import { upsertRecords } from "../gateway/src/db/store";
import { buildGateway } from "../gateway/src/server";
import type { BenchResult } from "./results-table";

/**
 * Allowed requests through the data-exchange gateway, with every on-chain check (canAct, checkAccess, grantOf) made
 * against a local `hardhat node` child and the receipt journaled in embedded PostgreSQL, under autocannon on
 * loopback for a bounded time. Requests are signed before the run (each needs its own nonce) so that the load
 * generator does not compete with the gateway for the CPU. Anchoring is paused during the run: it measures the
 * request path, not the chain's block production.
 */
export async function benchGateway(
  options: { durationSeconds?: number; connections?: number; requests?: number } = {},
): Promise<Pick<BenchResult, "name" | "value" | "unit">[]> {
  const durationSeconds = options.durationSeconds ?? 10;
  const node = await startHardhatNode();
  const db = await openPGlite();
  let app: Awaited<ReturnType<typeof buildGateway>> | undefined;
  try {
    const world = await setUpDemo(node.url);
    const provider = new JsonRpcProvider(node.url, world.manifest.chainId, {
      staticNetwork: true,
      cacheTimeout: -1,
      batchStallTime: 0,
    });
    const key = world.civilAffairs.gatewayKey.privateKey;
    const chain = await GovChainClient.connect({ manifest: world.manifest, provider, signer: new Wallet(key) });
    app = await buildGateway({
      chain,
      gatewayKey: key,
      agencyId: world.civilAffairs.id,
      datasets: world.civilAffairs.datasets,
      db,
      logger: false,
      anchor: { paused: true },
      rateLimitPerMinute: 10_000_000,
    });
    await upsertRecords(db, world.civilAffairs.records);
    const url = await app.listen({ host: "127.0.0.1", port: 0 });

    // The Health Commission reads citizen 1's household record under their consent: the personal-data path.
    const domain = gatewayDomain(world.manifest.chainId, world.manifest.contracts.DataSharingRegistry!.address);
    const signer = new SigningKey(world.health.operator.privateKey);
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 590);
    const count = options.requests ?? 6_000;
    const bodies: string[] = [];
    for (let i = 0; i < count; i++) {
      const message: DataRequestMessage = {
        gateway: app.gateway.address,
        dataset: world.datasets.households,
        subject: world.citizens[0].address,
        purpose: DEMO_PURPOSES.benefits,
        requesterAgencyId: world.health.id,
        nonce: randomRequestNonce(),
        deadline,
      };
      const signature = signer.sign(TypedDataEncoder.hash(domain, DATA_REQUEST_TYPES, message)).serialized;
      bodies.push(JSON.stringify(encodeDataRequestBody(message, signature)));
    }

    let next = 0;
    let timer: NodeJS.Timeout | undefined;
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url,
          connections: options.connections ?? 16,
          amount: count,
          requests: [
            {
              method: "POST",
              path: "/v1/data",
              headers: { "content-type": "application/json" },
              setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
            },
          ],
        },
        (error, done) => (error ? reject(error) : resolve(done)),
      );
      // Bounded in time whatever the rate: stop after the duration even if requests remain.
      timer = setTimeout(() => instance.stop(), durationSeconds * 1000);
    });
    clearTimeout(timer);
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`the gateway benchmark saw ${result.non2xx} non-2xx answers and ${result.errors} errors`);
    }
    const seconds = result.duration;
    return [
      { name: "gateway.requests.perSecond", value: result.requests.total / seconds, unit: "per_s" },
      { name: "gateway.requests.latencyP50", value: result.latency.p50, unit: "ms" },
      { name: "gateway.requests.latencyP99", value: result.latency.p99, unit: "ms" },
    ];
  } finally {
    if (app) await app.close();
    else await db.close();
    await node.stop();
  }
}

if (require.main === module) {
  benchGateway().then(
    (rows) => console.table(rows),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
