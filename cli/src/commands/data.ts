import type { Command } from "commander";

import { runGateway } from "../../../gateway/src";
import { GatewayClient } from "../../../sdk/src/gateway/client";
import { parseAddress, parseCount, parseId, parsePurpose } from "../args";
import type { ActionRunner } from "../main";

/**
 * `govchain data get` (ask an agency's gateway for a record, signed by the requesting agency's operator key) and
 * `govchain gateway` (run an agency's gateway in front of its records). No registry logic: the SDK and the gateway
 * package do the work.
 */
export function registerDataCommands(program: Command, run: ActionRunner): void {
  const data = program.command("data").description("read shared data through an agency's gateway");
  data
    .command("get")
    .description("request a record from the owning agency's gateway (checked on chain; leaves an access receipt)")
    .argument("<dataset>", "dataset id", parseId)
    .argument("<subject>", "the data subject's address (0x0…0 for a non-personal dataset)", parseAddress)
    .requiredOption("--purpose <label>", "purpose label or 0x code", parsePurpose)
    .requiredOption("--gateway <url>", "the owning agency's gateway, e.g. http://127.0.0.1:8081")
    .requiredOption("--agency <id>", "the requesting agency (the key must be its operator)", parseId)
    .action(
      run(
        async (
          context,
          dataset: number,
          subject: string,
          options: { purpose: string; gateway: string; agency: number },
        ) => {
          const signer = context.wallet();
          const chain = await context.client();
          const { provider } = await context.connectProvider();
          const gateway = new GatewayClient({
            url: options.gateway,
            chain,
            signer: signer.connect(provider),
            requesterAgencyId: options.agency,
          });
          const record = await gateway.get({ dataset, subject, purpose: options.purpose });
          context.out.result(record, [
            `dataset ${dataset}, subject ${subject}: released under grant ${record.grantId}`,
            JSON.stringify(record.record, null, 2),
          ]);
        },
      ),
    );

  program
    .command("gateway")
    .description("run an agency's data-exchange gateway (HTTP) in front of its records")
    .requiredOption("--agency <id>", "the agency whose datasets are served", parseId)
    .option("--dataset <id...>", "datasets to serve (default: every dataset of the agency)")
    .option("--port <port>", "port to listen on", parseCount, 8080)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--database-url <url>", "PostgreSQL (or DATABASE_URL); embedded PostgreSQL when absent")
    .option("--data-dir <dir>", "where the embedded database keeps its files (in memory when absent)")
    .action(
      run(
        async (
          context,
          options: {
            agency: number;
            dataset?: string[];
            port: number;
            host: string;
            databaseUrl?: string;
            dataDir?: string;
          },
        ) => {
          const manifest = await context.manifest();
          const { provider } = await context.connectProvider();
          const gateway = await runGateway({
            manifest,
            rpcUrl: provider._getConnection().url,
            agencyId: options.agency,
            datasets: options.dataset?.map(parseId),
            gatewayKey: context.wallet().privateKey,
            host: options.host,
            port: options.port,
            databaseUrl: options.databaseUrl ?? process.env.DATABASE_URL,
            dataDir: options.dataDir,
            handleSignals: true,
          });
          context.out.result({ url: gateway.url, gateway: gateway.address }, [
            `gateway of agency ${options.agency} listening on ${gateway.url} (key ${gateway.address}); Ctrl-C stops`,
          ]);
          // Serve until a signal: the gateway closes itself gracefully on SIGINT / SIGTERM.
          await new Promise<void>(() => undefined);
        },
      ),
    );
}
