import type { Command } from "commander";

import { AgencyStatus, capabilityNames } from "../../../sdk/src/utils/capabilities";
import type { GovChainClient } from "../../../sdk/src/client";
import type { Agency } from "../../../sdk/src/contracts/directory";
import { GovChainError } from "../../../sdk/src/errors/base";
import { parseAddress, parseCapabilities, parseId, parseTime } from "../args";
import type { ActionRunner } from "../main";

interface SyncOption {
  /** False with --no-sync. */
  sync: boolean;
}

const NO_SYNC_HELP = "do not refresh the data-sharing registry's copy of the agency's standing";

/**
 * The data-sharing registry keeps its own copy of each agency's standing (anyone may refresh it from the directory);
 * after a directory change the CLI refreshes it, so the agency can take part in data sharing at once.
 */
async function syncDataSharing(client: GovChainClient, agencyId: number, sync: boolean): Promise<boolean> {
  if (!sync || !client.manifest.contracts.DataSharingRegistry) return false;
  await client.dataSharing.syncAgency(agencyId);
  return true;
}

interface NewAgencyOptions extends SyncOption {
  name: string;
  jurisdiction: string;
  admin: string;
  capabilities: number;
  parent?: number;
}

function describeAgency(agency: Agency): string[] {
  return [
    `agency ${agency.id}: ${agency.name}`,
    `  jurisdiction  ${agency.jurisdiction}`,
    `  status        ${AgencyStatus[agency.status]}${agency.successorId ? ` (successor ${agency.successorId})` : ""}`,
    `  parent        ${agency.parentId || "none (top level)"}`,
    `  admin         ${agency.admin}`,
    `  capabilities  ${capabilityNames(agency.effectiveCapabilities).join(", ") || "none"}` +
      (agency.capabilities !== agency.effectiveCapabilities
        ? ` (granted: ${capabilityNames(agency.capabilities).join(", ")})`
        : ""),
    `  onboarded     ${new Date(agency.onboardedAt * 1000).toISOString()}`,
  ];
}

/** `govchain agency ...`: onboarding, accreditation, capabilities and operator keys. */
export function registerAgencyCommands(program: Command, run: ActionRunner): void {
  const agency = program.command("agency").description("agencies of the directory and their operator keys");
  const newAgency = (command: Command) =>
    command
      .requiredOption("--name <name>", "the agency's name")
      .requiredOption("--jurisdiction <path>", "jurisdiction path, such as CN/31/04")
      .requiredOption("--admin <address>", "account that manages the agency's operator keys", parseAddress)
      .requiredOption(
        "--capabilities <list>",
        "comma-separated: IssueCertificates, RegisterTitles, HoldLiens, FreezeTitles, PublishDatasets, RequestData, AccreditAgencies, RunServices",
        parseCapabilities,
      )
      .option("--no-sync", NO_SYNC_HELP);

  newAgency(agency.command("onboard").description("onboard a top-level agency (governance key)")).action(
    run(async (context, options: NewAgencyOptions) => {
      const client = await context.client({ signer: true });
      const { agencyId, transactionHash } = await client.directory.onboardAgency(options);
      const synced = await syncDataSharing(client, agencyId, options.sync);
      context.out.result({ agencyId, transactionHash, synced }, `onboarded agency ${agencyId} (${options.name})`);
    }),
  );

  newAgency(
    agency
      .command("accredit")
      .description("accredit a child agency below --parent (the parent's admin key)")
      .requiredOption("--parent <id>", "the parent agency", parseId),
  ).action(
    run(async (context, options: NewAgencyOptions) => {
      const client = await context.client({ signer: true });
      const { agencyId, transactionHash } = await client.directory.accreditAgency(options.parent!, options);
      const synced = await syncDataSharing(client, agencyId, options.sync);
      context.out.result(
        { agencyId, parentId: options.parent, transactionHash, synced },
        `accredited agency ${agencyId} (${options.name}) below agency ${options.parent}`,
      );
    }),
  );

  agency
    .command("show")
    .description("show an agency and its operator keys")
    .argument("<agencyId>", "the agency", parseId)
    .action(
      run(async (context, agencyId: number) => {
        const client = await context.client();
        const found = await client.directory.agency(agencyId);
        if (!found) throw new GovChainError(`the directory has no agency ${agencyId}`, { code: "UNKNOWN_AGENCY" });
        const operators = await client.directory.operators(agencyId);
        context.out.result({ ...found, operators }, [
          ...describeAgency(found),
          `  operators     ${operators.length === 0 ? "none" : ""}`,
          ...operators.map(
            (o) =>
              `    key ${o.keyId}  ${o.account}  ${o.active ? "active" : "removed"}${o.compromisedSince ? `  compromised since ${o.compromisedSince}` : ""}`,
          ),
        ]);
      }),
    );

  agency
    .command("list")
    .description("list every agency")
    .action(
      run(async (context) => {
        const agencies = await (await context.client()).directory.agencies();
        context.out.result(
          agencies,
          agencies.length === 0
            ? "no agencies yet"
            : agencies.map((a) => `${a.id}\t${AgencyStatus[a.status]}\t${a.jurisdiction}\t${a.name}`),
        );
      }),
    );

  agency
    .command("capabilities")
    .description("set an agency's capabilities (governance, or the parent's admin)")
    .argument("<agencyId>", "the agency", parseId)
    .argument("<list>", "comma-separated capability names", parseCapabilities)
    .option("--no-sync", NO_SYNC_HELP)
    .action(
      run(async (context, agencyId: number, mask: number, options: SyncOption) => {
        const client = await context.client({ signer: true });
        const transactionHash = await client.directory.setCapabilities(agencyId, mask);
        const synced = await syncDataSharing(client, agencyId, options.sync);
        context.out.result(
          { agencyId, capabilities: capabilityNames(mask), transactionHash, synced },
          `agency ${agencyId} now has ${capabilityNames(mask).join(", ") || "no capabilities"}`,
        );
      }),
    );

  for (const [name, verb] of [
    ["suspend", "suspended"],
    ["reinstate", "reinstated"],
  ] as const) {
    agency
      .command(name)
      .description(`${name} an agency (governance, or the parent's admin)`)
      .argument("<agencyId>", "the agency", parseId)
      .option("--no-sync", NO_SYNC_HELP)
      .action(
        run(async (context, agencyId: number, options: SyncOption) => {
          const client = await context.client({ signer: true });
          const transactionHash =
            name === "suspend"
              ? await client.directory.suspendAgency(agencyId)
              : await client.directory.reinstateAgency(agencyId);
          const synced = await syncDataSharing(client, agencyId, options.sync);
          context.out.result({ agencyId, transactionHash, synced }, `agency ${agencyId} ${verb}`);
        }),
      );
  }

  agency
    .command("sync")
    .description("refresh the data-sharing registry's copy of an agency's standing from the directory (anyone)")
    .argument("<agencyId>", "the agency", parseId)
    .action(
      run(async (context, agencyId: number) => {
        const client = await context.client({ signer: true });
        const transactionHash = await client.dataSharing.syncAgency(agencyId);
        context.out.result(
          { agencyId, transactionHash },
          `synchronised agency ${agencyId} into the data-sharing registry`,
        );
      }),
    );

  const operator = agency.command("operator").description("operator keys: the accounts that act for an agency");
  operator
    .command("add")
    .argument("<agencyId>", "the agency", parseId)
    .argument("<account>", "the operator's address", parseAddress)
    .description("let an account act for the agency (the agency's admin key)")
    .action(
      run(async (context, agencyId: number, address: string) => {
        const client = await context.client({ signer: true });
        const { keyId, transactionHash } = await client.directory.addOperator(agencyId, address);
        context.out.result(
          { agencyId, account: address, keyId, transactionHash },
          `added ${address} as operator key ${keyId} of agency ${agencyId}`,
        );
      }),
    );
  operator
    .command("remove")
    .argument("<agencyId>", "the agency", parseId)
    .argument("<account>", "the operator's address", parseAddress)
    .description("stop an account acting for the agency, from this block on (the agency's admin key)")
    .action(
      run(async (context, agencyId: number, address: string) => {
        const client = await context.client({ signer: true });
        const transactionHash = await client.directory.removeOperator(agencyId, address);
        context.out.result(
          { agencyId, account: address, transactionHash },
          `removed ${address} from agency ${agencyId}`,
        );
      }),
    );
  operator
    .command("compromised")
    .argument("<agencyId>", "the agency", parseId)
    .argument("<account>", "the operator's address", parseAddress)
    .description("report a key compromised from --since: it is distrusted for everything from then on")
    .requiredOption("--since <time>", "when the key was compromised (unix seconds, ISO date)", (v) => parseTime(v))
    .action(
      run(async (context, agencyId: number, address: string, options: { since: number }) => {
        const client = await context.client({ signer: true });
        const transactionHash = await client.directory.reportKeyCompromised(agencyId, address, options.since);
        context.out.result(
          { agencyId, account: address, since: options.since, transactionHash },
          `reported ${address} of agency ${agencyId} compromised since ${new Date(options.since * 1000).toISOString()}`,
        );
      }),
    );
  operator
    .command("list")
    .description("every operator key an agency ever had, with its state")
    .argument("<agencyId>", "the agency", parseId)
    .action(
      run(async (context, agencyId: number) => {
        const operators = await (await context.client()).directory.operators(agencyId);
        context.out.result(
          operators,
          operators.length === 0
            ? `agency ${agencyId} has no operator keys`
            : operators.map((o) => `key ${o.keyId}\t${o.account}\t${o.active ? "active" : "removed"}`),
        );
      }),
    );
}
