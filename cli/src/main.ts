import { Command, CommanderError, Option } from "commander";

import { parseCount } from "./args";
import { registerAccessCommands } from "./commands/access";
import { registerAgencyCommands } from "./commands/agency";
import { registerAuditCommand } from "./commands/audit";
import { registerCertificateCommands } from "./commands/cert";
import { registerConsentCommands } from "./commands/consent";
import { registerDataCommands } from "./commands/data";
import { registerDatasetCommands } from "./commands/dataset";
import { registerDeployCommand } from "./commands/deploy";
import { registerNetworkCommands } from "./commands/network";
import { registerTitleCommands } from "./commands/title";
import { CliContext, type GlobalOptions } from "./context";
import { EXIT_OK, EXIT_USAGE } from "./output";

/** How a command's action runs: with a context built from its options, its errors printed, its exit code kept. */
export type ActionRunner = <A extends unknown[]>(
  body: (context: CliContext, ...args: A) => Promise<number | void>,
) => (...args: unknown[]) => Promise<void>;

/** Builds the `govchain` program. `setExitCode` receives each action's exit code. */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command("govchain");
  program
    .description("GovChain: agencies, certificates, data sharing and deployment on a permissioned EVM chain")
    .version("0.1.0")
    .addOption(new Option("--rpc <url>", "JSON-RPC URL of a node").env("GOVCHAIN_RPC_URL"))
    .addOption(new Option("--key <hex>", "private key that signs transactions").env("GOVCHAIN_PRIVATE_KEY"))
    .addOption(
      new Option("--deployment <file>", "deployment manifest (default deployments/<chain id>.json)").env(
        "GOVCHAIN_DEPLOYMENT",
      ),
    )
    .option("--confirmations <n>", "blocks to wait after each transaction", parseCount, 1)
    .option("--json", "machine-readable JSON on stdout")
    .option("-v, --verbose", "show technical details and causes of errors")
    .showHelpAfterError("(add --help for usage)")
    .exitOverride();

  const run: ActionRunner =
    <A extends unknown[]>(body: (context: CliContext, ...args: A) => Promise<number | void>) =>
    async (...args: unknown[]) => {
      // commander passes the positional arguments, the command's options, then the command itself.
      const command = args[args.length - 1] as Command;
      const context = new CliContext(command.optsWithGlobals<GlobalOptions>());
      try {
        setExitCode((await body(context, ...(args.slice(0, -1) as A))) ?? EXIT_OK);
      } catch (error) {
        setExitCode(context.out.error(error));
      } finally {
        context.close();
      }
    };

  registerDeployCommand(program, run);
  registerAgencyCommands(program, run);
  registerCertificateCommands(program, run);
  registerTitleCommands(program, run);
  registerDatasetCommands(program, run);
  registerConsentCommands(program, run);
  registerAccessCommands(program, run);
  registerAuditCommand(program, run);
  registerDataCommands(program, run);
  registerNetworkCommands(program, run);
  return program;
}

/** Runs the CLI with `argv` (as `process.argv`); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? EXIT_OK : EXIT_USAGE;
    }
    throw error;
  }
  return code;
}
