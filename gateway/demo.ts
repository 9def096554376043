/**
 * `npm start`: a local chain (`hardhat node`, or GOVCHAIN_RPC_URL if set), the suite deployed, two demo agencies
 * with datasets, consents and seeded records, and each agency's gateway on 127.0.0.1 (8081, 8082), on embedded
 * PostgreSQL so that nothing needs installing. Ctrl-C stops everything.
 */
import fs from "node:fs";
import path from "node:path";

import { setUpDemo, type DemoAgency } from "./src/dev/demo";
import { REPOSITORY_ROOT, startHardhatNode, type RunningNode } from "./src/dev/hardhatNode";
import { runGateway, type RunningGateway } from "./src";

async function main(): Promise<void> {
  let node: RunningNode | undefined;
  let rpcUrl = process.env.GOVCHAIN_RPC_URL;
  if (!rpcUrl) {
    console.log("starting a local chain (hardhat node) ...");
    node = await startHardhatNode({ port: Number(process.env.GOVCHAIN_NODE_PORT ?? 8545) });
    rpcUrl = node.url;
  }
  const world = await setUpDemo(rpcUrl, (line) => console.log(`  ${line}`));
  const manifestFile = path.join(REPOSITORY_ROOT, "deployments", "localhost.json");
  fs.mkdirSync(path.dirname(manifestFile), { recursive: true });
  fs.writeFileSync(manifestFile, JSON.stringify(world.manifest, null, 2) + "\n");

  const gateways: RunningGateway[] = [];
  const start = (agency: DemoAgency, port: number) =>
    runGateway({
      manifest: world.manifest,
      rpcUrl: rpcUrl!,
      agencyId: agency.id,
      datasets: agency.datasets,
      gatewayKey: agency.gatewayKey.privateKey,
      port,
      seed: agency.records,
      log: process.env.LOG_LEVEL ?? "info",
    });
  gateways.push(await start(world.civilAffairs, Number(process.env.GATEWAY_PORT_1 ?? 8081)));
  gateways.push(await start(world.health, Number(process.env.GATEWAY_PORT_2 ?? 8082)));

  console.log(`
GovChain data-exchange gateways are running (manifest: ${manifestFile}, chain: ${rpcUrl}).
  ${world.civilAffairs.name} (agency ${world.civilAffairs.id}): ${gateways[0].url}  datasets ${world.civilAffairs.datasets.join(", ")}
  ${world.health.name} (agency ${world.health.id}): ${gateways[1].url}  datasets ${world.health.datasets.join(", ")}
Try: curl ${gateways[0].url}/openapi.json, ${gateways[0].url}/ready, ${gateways[0].url}/v1/subjects/${world.citizens[0].address}/receipts
Health Commission operator key (dev only): ${world.health.operator.privateKey}
  govchain data get ${world.datasets.households} ${world.citizens[0].address} --purpose social-benefits-eligibility --gateway ${gateways[0].url} --agency ${world.health.id}
Ctrl-C stops.`);

  const shutdown = async () => {
    await Promise.allSettled(gateways.map((g) => g.close()));
    await node?.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
