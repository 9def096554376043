import { InvalidArgumentError, type Command } from "commander";
import { getAddress, isAddress } from "ethers";

import { GrantState } from "../../../sdk/src/utils/datasharing";
import type { ActionRunner } from "../main";

function agencyOrAccount(agencyId: number, account: string): string {
  return agencyId ? `agency ${agencyId}` : account;
}

/** `govchain audit <subject>`: who may use a subject's data and who did; or a certificate's life. */
export function registerAuditCommand(program: Command, run: ActionRunner): void {
  program
    .command("audit")
    .description(
      "the audit trail of a data subject (address: consents given and every recorded access) " +
        "or of a certificate (id: its history)",
    )
    .argument("<subject>", "a subject's 0x address, or a certificate id", (value: string) => {
      if (isAddress(value) || /^0x[0-9a-fA-F]{64}$/.test(value)) return value;
      throw new InvalidArgumentError("must be a 0x address or a 32-byte certificate id");
    })
    .action(
      run(async (context, subject: string) => {
        const client = await context.client();
        if (/^0x[0-9a-fA-F]{64}$/.test(subject)) {
          const history = await client.certificates.history(subject);
          context.out.result(
            { certificateId: subject.toLowerCase(), history },
            history.length === 0
              ? `no events for certificate ${subject}`
              : [
                  `certificate ${subject.toLowerCase()}`,
                  ...history.map(
                    (e) =>
                      `  block ${e.blockNumber}  ${e.kind}${e.detail ? ` (${e.detail})` : ""}  ${e.transactionHash}`,
                  ),
                ],
          );
          return;
        }
        const who = getAddress(subject);
        const [consents, receipts] = await Promise.all([
          client.dataSharing.consentsOf(who),
          client.dataSharing.receiptsOf(who),
        ]);
        context.out.result({ subject: who, consents, receipts }, [
          `audit trail of ${who}`,
          `consents (${consents.length})`,
          ...consents.map(
            (c) =>
              `  grant ${c.grantId}  ${GrantState[c.state]}  dataset ${c.datasetId}  to ${agencyOrAccount(c.requesterAgencyId, c.requesterAccount)}  purpose ${c.purpose}  block ${c.grantedInBlock}`,
          ),
          `accesses (${receipts.length})`,
          ...receipts.map(
            (r) =>
              `  block ${r.blockNumber}  dataset ${r.datasetId}  by ${agencyOrAccount(r.requesterAgencyId, r.requesterAccount)}  grant ${r.grantId}  record ${r.recordHash}  ${r.transactionHash}`,
          ),
        ]);
      }),
    );
}
