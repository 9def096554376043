import { HDNodeWallet, JsonRpcProvider, Wallet } from "ethers";

import { GovChainClient } from "../../sdk/src/client";
import { GatewayClient } from "../../sdk/src/gateway/client";
import { agencyRequester } from "../../sdk/src/utils/datasharing";
import {
  encodeDataRequestBody,
  GATEWAY_SIGNATURE_HEADER,
  type DataRequestMessage,
} from "../../sdk/src/utils/gatewayRequests";
import { connect, devKey, setUpDemo, type DemoWorld } from "../../gateway/src/dev/demo";
import { rpc, startHardhatNode, type RunningNode } from "../../gateway/src/dev/hardhatNode";
import type { Database } from "../../gateway/src/db/database";
import { upsertRecords } from "../../gateway/src/db/store";
import { buildGateway, type GatewayInstance } from "../../gateway/src/server";

export { connect, devKey };

/** A `hardhat node` child with the demo world deployed (two agencies, datasets, consents). */
export async function demoChain(): Promise<{ node: RunningNode; world: DemoWorld }> {
  const node = await startHardhatNode();
  try {
    return { node, world: await setUpDemo(node.url) };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/** Moves the chain's clock forward and mines a block. */
export async function increaseChainTime(url: string, seconds: number): Promise<void> {
  await rpc(url, "evm_increaseTime", [seconds]);
  await rpc(url, "evm_mine");
}

/** The Civil Affairs Bureau's gateway over `db`, listening on a free loopback port (anchoring paused). */
export async function civilAffairsGateway(
  world: DemoWorld,
  db: Database,
  extraDatasets: number[] = [],
): Promise<{ app: GatewayInstance; url: string }> {
  const provider = new JsonRpcProvider(world.rpcUrl, world.manifest.chainId, {
    staticNetwork: true,
    cacheTimeout: -1,
    batchStallTime: 0,
  });
  const key = world.civilAffairs.gatewayKey;
  const chain = await GovChainClient.connect({
    manifest: world.manifest,
    provider,
    signer: new Wallet(key.privateKey),
  });
  const app = await buildGateway({
    chain,
    gatewayKey: key.privateKey,
    agencyId: world.civilAffairs.id,
    datasets: [...world.civilAffairs.datasets, ...extraDatasets],
    db,
    logger: false,
    anchor: { paused: true },
    chainTimeoutMs: 3_000,
  });
  await upsertRecords(db, world.civilAffairs.records);
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return { app, url };
}

/** A GatewayClient for the Health Commission (agency 2) signing with `key` (its operator by default). */
export async function healthClient(world: DemoWorld, url: string, key: HDNodeWallet = world.health.operator) {
  const chain = await connect(world.rpcUrl, world.manifest);
  return new GatewayClient({ url, chain, signer: key, requesterAgencyId: world.health.id });
}

/** Posts a raw body to /v1/data; returns status, parsed body and whether the response was signed. */
export async function postRaw(
  url: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, string>; signed: boolean }> {
  const response = await fetch(`${url}/v1/data`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, string>,
    signed: response.headers.get(GATEWAY_SIGNATURE_HEADER) !== null,
  };
}

export function rawBody(message: DataRequestMessage, signature: string) {
  return encodeDataRequestBody(message, signature);
}

export const healthRequester = (world: DemoWorld) => agencyRequester(world.health.id);
