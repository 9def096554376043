import type { Command } from "commander";

import { feeOverridesFor } from "../../../sdk/src/chain/transactions";
import { GOVCHAIN_INTERFACES } from "../../../sdk/src/contracts/base";
import { deploySuite } from "../../../sdk/src/deploy/suite";
import { GovChainError } from "../../../sdk/src/errors/base";
import { decodeChainError } from "../../../sdk/src/errors/chain";
import { readManifestFile, writeManifestFile } from "../../../sdk/src/node/manifestFile";
import { InputError } from "../../../sdk/src/utils/validation";
import { parseAddress } from "../args";
import type { ActionRunner } from "../main";

interface DeployOptions {
  governance?: string;
}

/** `govchain deploy`: the whole suite over a bare RPC URL, idempotently. */
export function registerDeployCommand(program: Command, run: ActionRunner): void {
  program
    .command("deploy")
    .description(
      "deploy the whole suite (directory, certificates, data sharing) over --rpc with --key; writes " +
        "deployments/<chain id>.json unless --deployment names the file; re-running changes nothing",
    )
    .option("--governance <address>", "governance account (default: the deployer)", parseAddress)
    .action(
      run(async (context, options: DeployOptions) => {
        const wallet = context.wallet();
        const { provider, chainId } = await context.connectProvider();
        const file = await context.manifestPath();
        let existing;
        try {
          existing = readManifestFile(file);
        } catch (error) {
          throw new InputError((error as Error).message, { cause: error });
        }
        if (existing && existing.chainId !== chainId) {
          throw new InputError(
            `${file} is the deployment on chain ${existing.chainId}, but the node serves chain ${chainId}: pass another --deployment`,
          );
        }
        const fees = await feeOverridesFor(provider);
        const signer = wallet.connect(provider);
        const out = context.out;
        let result;
        try {
          result = await deploySuite({
            signer,
            network: String(chainId),
            governance: options.governance,
            existing,
            overrides: fees?.gasPrice !== undefined ? { gasPrice: fees.gasPrice } : {},
            confirmations: context.options.confirmations,
            onProgress: (partial) => writeManifestFile(file, partial),
            log: (line) => out.note(line),
          });
        } catch (error) {
          throw error instanceof GovChainError ? error : decodeChainError(error, GOVCHAIN_INTERFACES);
        }
        writeManifestFile(file, result.manifest);
        out.result(
          {
            changed: result.deployed.length > 0,
            deployed: result.deployed,
            manifestFile: file,
            manifest: result.manifest,
          },
          result.deployed.length > 0
            ? [`deployed ${result.deployed.join(", ")} on chain ${chainId}`, `manifest written to ${file}`]
            : [`the suite is already deployed on chain ${chainId}: nothing changed`, `manifest ${file}`],
        );
      }),
    );
}
