import type { Command } from "commander";

import { AccessReason, GrantState } from "../../../sdk/src/utils/datasharing";
import { InputError } from "../../../sdk/src/utils/validation";
import { parseAddress, parseId, parsePurpose, parseRequester, parseTime } from "../args";
import { accountOf } from "../context";
import type { ActionRunner } from "../main";
import { EXIT_FAILURE, EXIT_OK } from "../output";

interface ConsentKey {
  requester: bigint;
  dataset: number;
  purpose: string;
}

const requesterHelp = "agency:<id> for an agency, or an enterprise's 0x address";

/** `govchain consent ...`: a data subject's consents (the key is the subject's own). */
export function registerConsentCommands(program: Command, run: ActionRunner): void {
  const consent = program.command("consent").description("data subjects' consents to share their data");
  const keyed = (command: Command) =>
    command
      .requiredOption("--requester <who>", requesterHelp, parseRequester)
      .requiredOption("--dataset <id>", "the dataset", parseId)
      .requiredOption("--purpose <label>", "the purpose (a label, or its 32-byte code)", parsePurpose);

  keyed(consent.command("grant").description("grant a requester access to your data (signed with your key)"))
    .requiredOption("--expires <time>", "when the consent ends (ISO date, unix seconds, +30d)", (v) => parseTime(v))
    .option("--single-use", "the consent is used up by one access", false)
    .action(
      run(async (context, options: ConsentKey & { expires: number; singleUse: boolean }) => {
        const client = await context.client({ signer: true });
        const { grantId, transactionHash } = await client.dataSharing.grantConsent({
          requester: options.requester,
          datasetId: options.dataset,
          purpose: options.purpose,
          expiresAt: options.expires,
          singleUse: options.singleUse,
        });
        context.out.result(
          { grantId, subject: await accountOf(client), transactionHash },
          `granted consent ${grantId} until ${new Date(options.expires * 1000).toISOString()}`,
        );
      }),
    );

  keyed(consent.command("revoke").description("revoke a consent you gave")).action(
    run(async (context, options: ConsentKey) => {
      const client = await context.client({ signer: true });
      const transactionHash = await client.dataSharing.revokeConsent(
        options.requester,
        options.dataset,
        options.purpose,
      );
      context.out.result({ transactionHash }, "consent revoked");
    }),
  );

  keyed(
    consent
      .command("check")
      .description("may the requester read the subject's record for this purpose? exit 0 yes, 1 no")
      .requiredOption("--subject <address>", "the data subject", parseAddress),
  ).action(
    run(async (context, options: ConsentKey & { subject: string }) => {
      const client = await context.client();
      const answer = await client.dataSharing.checkAccess(
        options.subject,
        options.requester,
        options.dataset,
        options.purpose,
      );
      context.out.result(
        { ...answer, reasonName: AccessReason[answer.reason] },
        answer.allowed ? `allowed (grant ${answer.grantId})` : `not allowed: ${AccessReason[answer.reason]}`,
      );
      return answer.allowed ? EXIT_OK : EXIT_FAILURE;
    }),
  );

  consent
    .command("list")
    .description("every consent a subject gave, with its state (default: the key's own)")
    .option("--subject <address>", "the data subject", parseAddress)
    .action(
      run(async (context, options: { subject?: string }) => {
        const subject =
          options.subject ??
          (context.options.key || process.env.GOVCHAIN_PRIVATE_KEY ? context.wallet().address : undefined);
        if (!subject) throw new InputError("name the subject: --subject <address> (or give your --key)");
        const consents = await (await context.client()).dataSharing.consentsOf(subject);
        context.out.result(
          consents,
          consents.length === 0
            ? `${subject} has given no consents`
            : consents.map(
                (c) =>
                  `grant ${c.grantId}\t${GrantState[c.state]}\tdataset ${c.datasetId}\t${c.requesterAgencyId ? `agency ${c.requesterAgencyId}` : c.requesterAccount}\tuntil ${new Date(c.expiresAt * 1000).toISOString()}`,
              ),
        );
      }),
    );
}
