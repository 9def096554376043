import { InvalidArgumentError, type Command } from "commander";
import { ZeroHash } from "ethers";

import type { GovChainClient } from "../../../sdk/src/client";
import { GovChainError } from "../../../sdk/src/errors/base";
import { issueArguments } from "../../../sdk/src/utils/documents/certificates";
import { LienKind, LienStatus, SeizureStatus, TitleStatus, UnitKind } from "../../../sdk/src/utils/titles";
import { parseAddress, parseBigId, parseCount, parseHashOrText, parseId, parseTime } from "../args";
import { readWrapped } from "../certificates";
import type { CliContext } from "../context";
import type { ActionRunner } from "../main";

/** A title named on the command line: its id (0x hex or a long decimal), or its parcel number. */
function parseTitle(value: string): { titleId?: bigint; parcelNumber?: string } {
  if (/^0x[0-9a-fA-F]{1,64}$/.test(value)) return { titleId: BigInt(value) };
  if (/^\d{30,}$/.test(value)) return { titleId: BigInt(value) };
  if (value.trim() === "") throw new InvalidArgumentError("must be a title id or a parcel number");
  return { parcelNumber: value };
}

async function titleIdOf(client: GovChainClient, ref: { titleId?: bigint; parcelNumber?: string }): Promise<bigint> {
  return ref.titleId ?? client.titles.titleIdOf(ref.parcelNumber!);
}

/** `0xA:5000,0xB:5000` (basis points), or one address for sole ownership. */
function parseOwners(value: string): { account: string; shares: number }[] {
  const parts = value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  if (parts.length === 0) throw new InvalidArgumentError("must name at least one owner");
  return parts.map((part) => {
    const [account, shares] = part.split(":");
    if (shares === undefined && parts.length === 1) return { account: parseAddress(account), shares: 10_000 };
    if (!/^\d+$/.test(shares ?? "")) {
      throw new InvalidArgumentError("each owner is <address>:<shares in basis points>, e.g. 0xabc…:5000");
    }
    return { account: parseAddress(account), shares: Number(shares) };
  });
}

function enumParser<E extends Record<string, string | number>>(values: E, what: string) {
  return (value: string): number => {
    const key = value.replace(/[-_\s]/g, "").toLowerCase();
    const match = Object.entries(values).find(([name, v]) => typeof v === "number" && name.toLowerCase() === key);
    if (!match || match[1] === 0) {
      const names = Object.keys(values).filter((name) => Number.isNaN(Number(name)) && name !== "None");
      throw new InvalidArgumentError(`unknown ${what} "${value}" (known: ${names.join(", ")})`);
    }
    return match[1] as number;
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The certificate arguments of wrapped real-estate certificates the registry issues with a registration. */
function certificatesFrom(files: readonly string[] = []) {
  return files.map((file) => {
    const { certificateId, holderCommitment } = issueArguments(readWrapped(file));
    return { certificateId, holderCommitment };
  });
}

interface LienOptions {
  lender: number;
  kind: number;
  amount: string;
  periodEnd: number;
  loanContract: string;
  deadline: number;
}

/** `govchain title ...`: property titles, sales, mortgages and court freezes. */
export function registerTitleCommands(program: Command, run: ActionRunner): void {
  const title = program.command("title").description("property titles: registration, sales, mortgages, freezes");
  const titleArgument = (command: Command) =>
    command.argument("<title>", "title id (0x hex or decimal) or parcel number", parseTitle);

  title
    .command("register")
    .description("register a title (a registrar of an agency holding RegisterTitles)")
    .requiredOption("--agency <id>", "the land registry agency", parseId)
    .requiredOption("--parcel <number>", "the parcel number (unique in the registry's jurisdiction)")
    .requiredOption("--kind <kind>", "land-parcel, building or apartment", enumParser(UnitKind, "unit kind"))
    .requiredOption("--land-use <code>", "land-use code", parseCount)
    .requiredOption("--area <n>", "area in hundredths of a square metre", parseCount)
    .requiredOption("--documents <text>", "the survey and documents (hashed), or their 32-byte hash", parseHashOrText)
    .requiredOption("--owners <list>", "<address>:<basis points>,... (one address alone owns it all)", parseOwners)
    .option("--certificate <wrapped>", "a real-estate certificate to issue with it (repeatable)", collect)
    .action(
      run(
        async (
          context,
          options: {
            agency: number;
            parcel: string;
            kind: number;
            landUse: number;
            area: number;
            documents: string;
            owners: { account: string; shares: number }[];
            certificate?: string[];
          },
        ) => {
          const certificates = certificatesFrom(options.certificate);
          const client = await context.client({ signer: true });
          const { titleId, transactionHash } = await client.titles.registerTitle({
            agencyId: options.agency,
            parcelNumber: options.parcel,
            parcel: {
              kind: options.kind,
              landUse: options.landUse,
              area: options.area,
              documentsHash: options.documents,
            },
            owners: options.owners.map((o) => ({ ...o, identityCommitment: ZeroHash })),
            certificates,
          });
          context.out.result(
            { titleId, parcelNumber: options.parcel, transactionHash },
            `registered title ${options.parcel} (id ${titleId})`,
          );
        },
      ),
    );

  title
    .command("certificate-type")
    .description("name the certificate type the registry issues for an agency's registrations (its registrar)")
    .requiredOption("--agency <id>", "the land registry agency", parseId)
    .requiredOption("--type <id>", "the real-estate certificate type", parseId)
    .action(
      run(async (context, options: { agency: number; type: number }) => {
        const client = await context.client({ signer: true });
        const transactionHash = await client.titles.setCertificateType(options.agency, options.type);
        context.out.result(
          { agencyId: options.agency, typeId: options.type, transactionHash },
          `agency ${options.agency}'s registrations now issue certificates of type ${options.type}`,
        );
      }),
    );

  titleArgument(title.command("propose"))
    .description("an owner proposes a sale to buyers")
    .requiredOption("--buyers <list>", "<address>:<basis points>,...", parseOwners)
    .requiredOption("--sale-contract <text>", "the sale contract (hashed), or its 32-byte hash", parseHashOrText)
    .requiredOption("--expires <time>", "when the proposal lapses (ISO date, unix seconds, +30d)", (v) => parseTime(v))
    .option(
      "--discharge <loanContract>",
      "a mortgage discharged by the sale (repeatable)",
      (v, prev: string[] = []) => [...prev, parseHashOrText(v)],
    )
    .action(
      run(
        async (
          context,
          ref: ReturnType<typeof parseTitle>,
          options: {
            buyers: { account: string; shares: number }[];
            saleContract: string;
            expires: number;
            discharge?: string[];
          },
        ) => {
          const client = await context.client({ signer: true });
          const titleId = await titleIdOf(client, ref);
          const { proposalId, transactionHash } = await client.titles.proposeTransfer({
            titleId,
            buyers: options.buyers.map((b) => ({ ...b, identityCommitment: ZeroHash })),
            saleContractHash: options.saleContract,
            discharges: options.discharge,
            expiresAt: options.expires,
          });
          context.out.result(
            { titleId, proposalId, transactionHash },
            `proposed sale ${proposalId} of title ${titleId}`,
          );
        },
      ),
    );

  titleArgument(title.command("accept"))
    .argument("<proposalId>", "the proposal", parseBigId)
    .description("a co-owner consents to, or a buyer accepts, the open proposal")
    .action(
      run(async (context, ref: ReturnType<typeof parseTitle>, proposalId: bigint) => {
        const client = await context.client({ signer: true });
        const titleId = await titleIdOf(client, ref);
        const transactionHash = await client.titles.acceptTransfer(titleId, proposalId);
        context.out.result({ titleId, proposalId, transactionHash }, `accepted proposal ${proposalId}`);
      }),
    );

  titleArgument(title.command("approve"))
    .argument("<proposalId>", "the proposal", parseBigId)
    .description("the registrar approves the sale: ownership changes, the new certificates are issued")
    .option("--certificate <wrapped>", "a real-estate certificate for the buyers (repeatable)", collect)
    .action(
      run(
        async (
          context,
          ref: ReturnType<typeof parseTitle>,
          proposalId: bigint,
          options: { certificate?: string[] },
        ) => {
          const certificates = certificatesFrom(options.certificate);
          const client = await context.client({ signer: true });
          const titleId = await titleIdOf(client, ref);
          const transactionHash = await client.titles.approveTransfer(titleId, proposalId, certificates);
          context.out.result(
            { titleId, proposalId, transactionHash },
            `approved sale ${proposalId} of title ${titleId}`,
          );
        },
      ),
    );

  const lien = title.command("lien").description("mortgages: owners consent, the lender registers, releases");
  const lienTerms = (command: Command) =>
    titleArgument(command)
      .requiredOption("--lender <agencyId>", "the lending agency (HoldLiens)", parseId)
      .requiredOption("--amount <n>", "the secured amount")
      .requiredOption("--loan-contract <text>", "the loan contract (hashed), or its 32-byte hash", parseHashOrText)
      .requiredOption("--deadline <time>", "the consent's deadline (ISO date, unix seconds, +7d)", (v) => parseTime(v))
      .option("--kind <kind>", "ordinary or ceiling", enumParser(LienKind, "lien kind"), LienKind.Ordinary)
      .option("--period-end <time>", "end of a ceiling mortgage's period", (v) => parseTime(v), 0);
  const terms = async (client: GovChainClient, ref: ReturnType<typeof parseTitle>, options: LienOptions) => {
    if (!/^\d+$/.test(options.amount)) throw new InvalidArgumentError("--amount must be a whole number");
    return {
      titleId: await titleIdOf(client, ref),
      lenderAgencyId: options.lender,
      kind: options.kind as LienKind,
      amount: BigInt(options.amount),
      periodEnd: options.periodEnd,
      loanContractHash: options.loanContract,
      deadline: options.deadline,
    };
  };
  lienTerms(lien.command("consent"))
    .description("an owner consents to a mortgage on the title")
    .action(
      run(async (context, ref: ReturnType<typeof parseTitle>, options: LienOptions) => {
        const client = await context.client({ signer: true });
        const t = await terms(client, ref, options);
        const transactionHash = await client.titles.consentToLien(t);
        context.out.result({ titleId: t.titleId, transactionHash }, `consented to the mortgage on title ${t.titleId}`);
      }),
    );
  lienTerms(lien.command("register"))
    .description("the lender registers the mortgage every owner consented to")
    .action(
      run(async (context, ref: ReturnType<typeof parseTitle>, options: LienOptions) => {
        const client = await context.client({ signer: true });
        const t = await terms(client, ref, options);
        const transactionHash = await client.titles.registerLien(t);
        context.out.result({ titleId: t.titleId, transactionHash }, `registered the mortgage on title ${t.titleId}`);
      }),
    );
  titleArgument(lien.command("release"))
    .description("the lender releases a mortgage")
    .requiredOption("--loan-contract <text>", "the loan contract (hashed), or its 32-byte hash", parseHashOrText)
    .action(
      run(async (context, ref: ReturnType<typeof parseTitle>, options: { loanContract: string }) => {
        const client = await context.client({ signer: true });
        const titleId = await titleIdOf(client, ref);
        const transactionHash = await client.titles.releaseLien(titleId, options.loanContract);
        context.out.result({ titleId, transactionHash }, `released the mortgage on title ${titleId}`);
      }),
    );

  titleArgument(title.command("freeze"))
    .description("a court freezes the title (a later freeze queues behind one in force)")
    .requiredOption("--court <agencyId>", "the court (FreezeTitles)", parseId)
    .requiredOption("--case <reference>", "the case reference (hashed), or its 32-byte hash", parseHashOrText)
    .action(
      run(async (context, ref: ReturnType<typeof parseTitle>, options: { court: number; case: string }) => {
        const client = await context.client({ signer: true });
        const titleId = await titleIdOf(client, ref);
        const transactionHash = await client.titles.freeze(titleId, options.court, options.case);
        context.out.result({ titleId, transactionHash }, `froze title ${titleId}`);
      }),
    );
  titleArgument(title.command("unfreeze"))
    .argument("<seizureId>", "the seizure", parseId)
    .description("the court lifts its freeze")
    .requiredOption("--ruling <text>", "the ruling (hashed), or its 32-byte hash", parseHashOrText)
    .action(
      run(async (context, ref: ReturnType<typeof parseTitle>, seizureId: number, options: { ruling: string }) => {
        const client = await context.client({ signer: true });
        const titleId = await titleIdOf(client, ref);
        const transactionHash = await client.titles.unfreeze(titleId, seizureId, options.ruling);
        context.out.result({ titleId, seizureId, transactionHash }, `lifted seizure ${seizureId} of title ${titleId}`);
      }),
    );

  titleArgument(title.command("show"))
    .description("a title: owners, mortgages, freezes and its history")
    .action(run(async (context, ref: ReturnType<typeof parseTitle>) => showTitle(context, ref)));
}

async function showTitle(context: CliContext, ref: ReturnType<typeof parseTitle>): Promise<void> {
  const client = await context.client();
  const titleId = await titleIdOf(client, ref);
  const found = await client.titles.title(titleId);
  if (!found) {
    throw new GovChainError(`no title ${ref.parcelNumber ?? titleId} is registered`, { code: "UNKNOWN_TITLE" });
  }
  const [liens, seizures, history] = await Promise.all([
    client.titles.liensOf(titleId),
    client.titles.seizuresOf(titleId),
    client.titles.history(titleId),
  ]);
  const restricted = seizures.some((s) => s.status === SeizureStatus.Active);
  context.out.result({ ...found, parcelNumber: ref.parcelNumber, liens, seizures, history, frozen: restricted }, [
    `title ${ref.parcelNumber ? `${ref.parcelNumber} ` : ""}(id ${titleId}): ${TitleStatus[found.status]}${restricted ? ", FROZEN" : ""}`,
    `  agency     ${found.agencyId}`,
    `  unit       ${UnitKind[found.kind]}, land use ${found.landUse}, area ${found.area / 100} m²`,
    `  revision   ${found.revision}`,
    `  owners     ${found.owners.map((o) => `${o.account} ${o.shares / 100}%`).join(", ")}`,
    `  mortgages  ${liens.length === 0 ? "none" : ""}`,
    ...liens.map(
      (l) =>
        `    rank ${l.rank}  ${LienStatus[l.status]}  ${LienKind[l.kind]}  ${l.amount}  lender agency ${l.lenderAgencyId}`,
    ),
    `  seizures   ${seizures.length === 0 ? "none" : ""}`,
    ...seizures.map((s) => `    ${s.seizureId}  ${SeizureStatus[s.status]}  court agency ${s.courtAgencyId}`),
    "  history",
    ...history.map((h) => `    block ${h.blockNumber}  ${h.event}  ${h.transactionHash}`),
  ]);
}
