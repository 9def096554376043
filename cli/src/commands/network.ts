import fs from "node:fs";
import path from "node:path";

import type { Command } from "commander";

import { NetworkKitError } from "../../../sdk/src/network/errors";
import { initNetwork } from "../../../sdk/src/network/init";
import { parseNetworkDescription } from "../../../sdk/src/network/layout";
import { syncPermissionsFromDirectory } from "../../../sdk/src/network/syncPermissions";
import { parseAddress, parseList, parsePositive } from "../args";
import type { ActionRunner } from "../main";
import { EXIT_FAILURE, EXIT_OK } from "../output";

interface InitOptions {
  out: string;
  chainId: number;
  nodes?: number;
  hosts?: string[];
  operators?: string[];
  blockPeriod?: number;
  governance?: string;
  deployer?: string;
  allowlist?: string[];
  hostAllowlist?: string[];
  besuImage?: string;
  force: boolean;
}

interface SyncOptions {
  networkDir?: string;
  nodes?: string[];
  deployer?: string;
  dryRun: boolean;
}

/** `govchain network ...`: the Besu QBFT network kit (sdk/src/network). */
export function registerNetworkCommands(program: Command, run: ActionRunner): void {
  const network = program.command("network").description("Besu QBFT network: generate it, keep permissions in step");
  network
    .command("init")
    .description("write a ready Besu QBFT network folder: genesis, node keys (0600), configs, docker compose")
    .requiredOption("--out <dir>", "the folder to create (must be new or empty)")
    .requiredOption("--chain-id <n>", "the chain id", parsePositive)
    .option("--nodes <n>", "number of nodes (default 4, or one per --hosts)", parsePositive)
    .option("--hosts <list>", "one IPv4 address per node (default: a Docker bridge network)", parseList)
    .option("--operators <list>", "the agency running each node", parseList)
    .option("--block-period <seconds>", "seconds between blocks", parsePositive)
    .option("--governance <address>", "governance account: always allowed to send transactions", parseAddress)
    .option("--deployer <address>", "deployer account: always allowed to send transactions", parseAddress)
    .option("--allowlist <addresses>", "further accounts allowed from the start", (v) => parseList(v).map(parseAddress))
    .option("--host-allowlist <list>", "host names the nodes' JSON-RPC answers to", parseList)
    .option("--besu-image <image>", "Besu Docker image")
    .option("--force", "write into a non-empty folder (node keys are never overwritten)", false)
    .action(
      run(async (context, options: InitOptions) => {
        const protectedAccounts = [options.governance, options.deployer].filter((a): a is string => a !== undefined);
        if (protectedAccounts.length === 0) {
          context.out.note("warning: no --governance or --deployer: nobody may send transactions until you add them");
        }
        const result = await initNetwork({
          directory: options.out,
          chainId: options.chainId,
          nodes: options.nodes ?? options.hosts?.length ?? 4,
          hosts: options.hosts,
          operators: options.operators,
          blockPeriodSeconds: options.blockPeriod,
          allowlist: options.allowlist ?? [],
          protectedAccounts,
          hostAllowlist: options.hostAllowlist,
          besuImage: options.besuImage,
          force: options.force,
        });
        context.out.result({ directory: result.directory, description: result.description, files: result.files }, [
          `network written to ${result.directory} (chain id ${result.description.chainId})`,
          ...result.description.nodes.map(
            (n) => `  ${n.name}  ${n.validator ? "validator" : "member   "}  ${n.address}  ${n.enode}`,
          ),
          "next: read README.txt there; copy each node folder to its server (the key file is secret)",
        ]);
      }),
    );

  network
    .command("sync-permissions")
    .description(
      "bring every node's account allowlist in line with the agency directory (governance and the deployer stay)",
    )
    .option("--network-dir <dir>", "the folder `network init` wrote (node URLs, permissions files)")
    .option("--nodes <urls>", "JSON-RPC URLs of the nodes to update (default: those in network.json)", parseList)
    .option("--deployer <address>", "an account never to remove besides governance", parseAddress)
    .option("--dry-run", "report the changes without making them", false)
    .action(
      run(async (context, options: SyncOptions) => {
        const description = options.networkDir
          ? parseNetworkDescription(fs.readFileSync(path.join(options.networkDir, "network.json"), "utf8"))
          : undefined;
        const nodeUrls = options.nodes ?? description?.nodes.map((node) => node.rpcUrl) ?? [];
        if (nodeUrls.length === 0) throw new NetworkKitError("give --nodes or --network-dir: no node to update");
        if (!context.options.rpc && !process.env.GOVCHAIN_RPC_URL) context.options.rpc = nodeUrls[0];
        const manifest = await context.manifest();
        const { provider } = await context.connectProvider();
        const permissionsFiles = options.networkDir
          ? [".", ...(description?.nodes.map((node) => node.name) ?? [])]
              .map((dir) => path.join(options.networkDir!, dir, "permissions_config.toml"))
              .filter((file) => fs.existsSync(file))
          : [];
        const report = await syncPermissionsFromDirectory({
          provider,
          manifest,
          nodeUrls,
          protectedAccounts: [
            ...(description?.protectedAccounts ?? []),
            ...(options.deployer ? [options.deployer] : []),
          ],
          permissionsFiles,
          dryRun: options.dryRun,
          log: (line) => context.out.note(line),
        });
        context.out.result(report, [
          ...report.directory.excluded.map(
            (e) => `excluded ${e.account} (${e.role} of agency ${e.agencyId}): ${e.reason}`,
          ),
          `${report.accounts.length} accounts allowed${options.dryRun ? " (dry run: nothing changed)" : ""}; files rewritten: ${report.filesWritten.length}`,
          ...(report.ok ? [] : ["some nodes could not be updated: run again once they are reachable"]),
        ]);
        return report.ok ? EXIT_OK : EXIT_FAILURE;
      }),
    );
}
