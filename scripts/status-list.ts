/**
 * Writes every certificate-issuing agency's Bitstring Status List credentials and DID document as static files
 * (`<out>/<agencyId>/revocation.json`, `suspension.json`, `did.json`), built from the registry's state.
 *
 *   npx ts-node scripts/status-list.ts [--manifest deployments/localhost.json] [--rpc http://127.0.0.1:8545]
 *     [--out status] [--base-url https://certificates.example.gov/agencies] [--block N | --time UNIX] [--agency ID]...
 */
import { GovChainClient } from "../sdk/src/client";
import { readManifestFile } from "../sdk/src/node/manifestFile";
import { writeStatusListFiles } from "../sdk/src/node/statusListFiles";

function option(args: readonly string[], name: string): string[] {
  return args.flatMap((arg, i) => (arg === `--${name}` && args[i + 1] !== undefined ? [args[i + 1]] : []));
}

async function main(args: readonly string[]): Promise<void> {
  const manifestFile = option(args, "manifest")[0] ?? "deployments/localhost.json";
  const manifest = readManifestFile(manifestFile);
  if (!manifest) throw new Error(`no deployment manifest at ${manifestFile}`);
  const client = await GovChainClient.connect({
    manifest,
    rpcUrl: option(args, "rpc")[0] ?? process.env.GOVCHAIN_RPC_URL ?? "http://127.0.0.1:8545",
  });
  const block = option(args, "block")[0];
  const time = option(args, "time")[0];
  const agencies = option(args, "agency").map(Number);
  const files = await writeStatusListFiles(client, option(args, "out")[0] ?? "status", {
    baseUrl: option(args, "base-url")[0] ?? "http://127.0.0.1:8080/agencies",
    blockNumber: block !== undefined ? Number(block) : undefined,
    time: time !== undefined ? Number(time) : undefined,
    agencyIds: agencies.length > 0 ? agencies : undefined,
  });
  for (const file of files) console.log(`wrote ${file}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
