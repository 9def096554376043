import { parseArgs } from "node:util";

import { isAddress } from "ethers";
import { z } from "zod";

import { NetworkKitError } from "../sdk/src/network/errors";
import { initNetwork } from "../sdk/src/network/init";

/**
 * Generates a Besu QBFT network folder (until `govchain network init` exists):
 *
 *   npx ts-node scripts/network-init.ts --out ./network --chain-id 1337 \
 *     --hosts 10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4 --operators "City IT,Land Registry,Courts,Data Office" \
 *     --governance 0x... --deployer 0x...
 *
 * Every option also reads from the environment (GOVCHAIN_NETWORK_DIR, GOVCHAIN_CHAIN_ID, GOVCHAIN_NODES,
 * GOVCHAIN_HOSTS, GOVCHAIN_OPERATORS, GOVCHAIN_BLOCK_PERIOD, GOVCHAIN_GOVERNANCE, GOVCHAIN_DEPLOYER,
 * GOVCHAIN_ALLOWLIST, GOVCHAIN_HOST_ALLOWLIST, GOVCHAIN_BESU_IMAGE), so `npx hardhat run scripts/network-init.ts`
 * works too. Without --hosts the nodes get fixed addresses on a Docker bridge network (one machine).
 */

const list = (text: string | undefined) =>
  text
    ?.split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
const address = z.string().refine((value) => isAddress(value), "must be a 0x-prefixed account address");

const optionsSchema = z.object({
  out: z.string().min(1, "--out (GOVCHAIN_NETWORK_DIR) is required: the folder to create"),
  chainId: z.coerce.number({ error: "--chain-id (GOVCHAIN_CHAIN_ID) is required" }).int().positive(),
  nodes: z.coerce.number().int().min(1).optional(),
  hosts: z.array(z.string().min(1)).optional(),
  operators: z.array(z.string()).optional(),
  blockPeriod: z.coerce.number().int().positive().optional(),
  governance: address.optional(),
  deployer: address.optional(),
  allowlist: z.array(address).default([]),
  hostAllowlist: z.array(z.string()).optional(),
  besuImage: z.string().optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      "chain-id": { type: "string" },
      nodes: { type: "string" },
      hosts: { type: "string" },
      operators: { type: "string" },
      "block-period": { type: "string" },
      governance: { type: "string" },
      deployer: { type: "string" },
      allowlist: { type: "string" },
      "host-allowlist": { type: "string" },
      "besu-image": { type: "string" },
    },
  });
  const env = process.env;
  const parsed = optionsSchema.safeParse({
    out: values.out ?? env.GOVCHAIN_NETWORK_DIR,
    chainId: values["chain-id"] ?? env.GOVCHAIN_CHAIN_ID,
    nodes: values.nodes ?? env.GOVCHAIN_NODES,
    hosts: list(values.hosts ?? env.GOVCHAIN_HOSTS),
    operators: list(values.operators ?? env.GOVCHAIN_OPERATORS),
    blockPeriod: values["block-period"] ?? env.GOVCHAIN_BLOCK_PERIOD,
    governance: values.governance ?? env.GOVCHAIN_GOVERNANCE,
    deployer: values.deployer ?? env.GOVCHAIN_DEPLOYER,
    allowlist: list(values.allowlist ?? env.GOVCHAIN_ALLOWLIST),
    hostAllowlist: list(values["host-allowlist"] ?? env.GOVCHAIN_HOST_ALLOWLIST),
    besuImage: values["besu-image"] ?? env.GOVCHAIN_BESU_IMAGE,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NetworkKitError(`invalid option ${issue.path.join(".")}: ${issue.message}`);
  }
  const options = parsed.data;
  const protectedAccounts = [options.governance, options.deployer].filter((a): a is string => a !== undefined);
  if (protectedAccounts.length === 0) {
    console.warn("warning: no --governance or --deployer given: nobody may send transactions until you add them");
  }
  const result = await initNetwork({
    directory: options.out,
    chainId: options.chainId,
    nodes: options.nodes ?? options.hosts?.length ?? 4,
    hosts: options.hosts,
    operators: options.operators,
    blockPeriodSeconds: options.blockPeriod,
    allowlist: options.allowlist,
    protectedAccounts,
    hostAllowlist: options.hostAllowlist,
    besuImage: options.besuImage,
  });
  console.log(`network written to ${result.directory} (chain id ${result.description.chainId})`);
  for (const node of result.description.nodes) {
    console.log(`  ${node.name}  ${node.validator ? "validator" : "member   "}  ${node.address}  ${node.enode}`);
  }
  console.log("next: read README.txt there; copy each node-N folder to its server (the key file is secret)");
}

main().catch((error: unknown) => {
  console.error(error instanceof NetworkKitError ? error.shortMessage : error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
