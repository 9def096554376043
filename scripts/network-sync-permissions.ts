import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { JsonRpcProvider, isAddress } from "ethers";

import { NetworkKitError } from "../sdk/src/network/errors";
import { parseNetworkDescription } from "../sdk/src/network/layout";
import { syncPermissionsFromDirectory } from "../sdk/src/network/syncPermissions";
import { readManifestFile } from "../sdk/src/node/manifestFile";

/**
 * Brings every node's account allowlist in line with the agency directory (until `govchain network
 * sync-permissions` exists):
 *
 *   npx ts-node scripts/network-sync-permissions.ts --network-dir ./network --deployment deployments/besu.json \
 *     --deployer 0x... [--rpc http://10.0.0.1:8545] [--nodes http://10.0.0.1:8545,http://10.0.0.2:8546] [--dry-run]
 *
 * The node URLs default to those in network.json; the permissions files rewritten are the network folder's master
 * copy and the node folders present on this machine. Environment: GOVCHAIN_NETWORK_DIR, GOVCHAIN_DEPLOYMENT,
 * GOVCHAIN_DEPLOYER, GOVCHAIN_RPC_URL, GOVCHAIN_NODE_URLS, GOVCHAIN_DRY_RUN=1.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "network-dir": { type: "string" },
      deployment: { type: "string" },
      deployer: { type: "string" },
      rpc: { type: "string" },
      nodes: { type: "string" },
      "dry-run": { type: "boolean" },
    },
  });
  const env = process.env;
  const networkDir = values["network-dir"] ?? env.GOVCHAIN_NETWORK_DIR;
  const deploymentFile = values.deployment ?? env.GOVCHAIN_DEPLOYMENT ?? "deployments/besu.json";
  const deployer = values.deployer ?? env.GOVCHAIN_DEPLOYER;
  if (deployer !== undefined && !isAddress(deployer)) throw new NetworkKitError(`--deployer ${deployer} is no address`);
  const manifest = readManifestFile(deploymentFile);
  if (!manifest) throw new NetworkKitError(`no deployment manifest at ${deploymentFile}: deploy the suite first`);

  const description = networkDir
    ? parseNetworkDescription(fs.readFileSync(path.join(networkDir, "network.json"), "utf8"))
    : undefined;
  const nodeUrls =
    (values.nodes ?? env.GOVCHAIN_NODE_URLS)?.split(",").map((url) => url.trim()) ??
    description?.nodes.map((node) => node.rpcUrl) ??
    [];
  if (nodeUrls.length === 0) throw new NetworkKitError("give --nodes or --network-dir: no node to update");
  const rpcUrl = values.rpc ?? env.GOVCHAIN_RPC_URL ?? nodeUrls[0];
  const permissionsFiles = networkDir
    ? [".", ...(description?.nodes.map((node) => node.name) ?? [])]
        .map((dir) => path.join(networkDir, dir, "permissions_config.toml"))
        .filter((file) => fs.existsSync(file))
    : [];

  const provider = new JsonRpcProvider(rpcUrl, manifest.chainId, { staticNetwork: true });
  try {
    const report = await syncPermissionsFromDirectory({
      provider,
      manifest,
      nodeUrls,
      protectedAccounts: [...(description?.protectedAccounts ?? []), ...(deployer ? [deployer] : [])],
      permissionsFiles,
      dryRun: values["dry-run"] ?? env.GOVCHAIN_DRY_RUN === "1",
      log: (line) => console.log(line),
    });
    for (const entry of report.directory.excluded) {
      console.log(`excluded ${entry.account} (${entry.role} of agency ${entry.agencyId}): ${entry.reason}`);
    }
    console.log(`${report.accounts.length} accounts allowed; files rewritten: ${report.filesWritten.length}`);
    if (!report.ok) throw new NetworkKitError("some nodes could not be updated: run again once they are reachable");
  } finally {
    provider.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof NetworkKitError ? error.shortMessage : error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
