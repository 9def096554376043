import type { Command } from "commander";

import { RequestStatus } from "../../../sdk/src/utils/datasharing";
import {
  parseAddress,
  parseBigId,
  parseCount,
  parseHashOrText,
  parseId,
  parsePurpose,
  parseRequester,
  parseTime,
} from "../args";
import type { ActionRunner } from "../main";

/** `govchain access ...`: inter-agency access requests and access receipts. */
export function registerAccessCommands(program: Command, run: ActionRunner): void {
  const access = program.command("access").description("inter-agency access to datasets, and access receipts");
  access
    .command("request")
    .description("request access to a dataset for an agency (an operator of an agency holding RequestData)")
    .requiredOption("--agency <id>", "the requesting agency", parseId)
    .requiredOption("--dataset <id>", "the dataset", parseId)
    .requiredOption("--purpose <label>", "the purpose (a label, or its 32-byte code)", parsePurpose)
    .requiredOption(
      "--legal-basis <text>",
      "the legal basis (its hash goes on chain), or a 32-byte hash",
      parseHashOrText,
    )
    .action(
      run(async (context, options: { agency: number; dataset: number; purpose: string; legalBasis: string }) => {
        const client = await context.client({ signer: true });
        const { requestId, transactionHash } = await client.dataSharing.requestAccess({
          requesterAgencyId: options.agency,
          datasetId: options.dataset,
          purpose: options.purpose,
          legalBasisHash: options.legalBasis,
        });
        context.out.result({ requestId, transactionHash }, `filed access request ${requestId}`);
      }),
    );
  access
    .command("approve")
    .argument("<requestId>", "the request", parseBigId)
    .description("approve an access request (an operator of the dataset's owner)")
    .requiredOption("--expires <time>", "when the access ends (ISO date, unix seconds, +90d)", (v) => parseTime(v))
    .action(
      run(async (context, requestId: bigint, options: { expires: number }) => {
        const client = await context.client({ signer: true });
        const transactionHash = await client.dataSharing.approveRequest(requestId, options.expires);
        context.out.result({ requestId, transactionHash }, `approved access request ${requestId}`);
      }),
    );
  access
    .command("deny")
    .argument("<requestId>", "the request", parseBigId)
    .description("deny an access request")
    .option("--reason <code>", "reason code", parseCount, 0)
    .action(
      run(async (context, requestId: bigint, options: { reason: number }) => {
        const client = await context.client({ signer: true });
        const transactionHash = await client.dataSharing.denyRequest(requestId, options.reason);
        context.out.result({ requestId, transactionHash }, `denied access request ${requestId}`);
      }),
    );
  access
    .command("show")
    .argument("<requestId>", "the request", parseBigId)
    .description("show an access request")
    .action(
      run(async (context, requestId: bigint) => {
        const r = await (await context.client()).dataSharing.accessRequest(requestId);
        context.out.result({ requestId, ...r, statusName: RequestStatus[r.status] }, [
          `access request ${requestId}: ${RequestStatus[r.status]}`,
          `  requester agency  ${r.requesterAgencyId}`,
          `  dataset           ${r.datasetId}`,
          `  purpose           ${r.purpose}`,
          `  filed             ${new Date(r.filedAt * 1000).toISOString()}`,
          ...(r.expiresAt ? [`  expires           ${new Date(r.expiresAt * 1000).toISOString()}`] : []),
        ]);
      }),
    );
  access
    .command("record")
    .description("record an access to a subject's data (what the gateway does as it releases a record)")
    .requiredOption("--subject <address>", "the data subject", parseAddress)
    .requiredOption("--requester <who>", "agency:<id> or an enterprise's 0x address", parseRequester)
    .requiredOption("--dataset <id>", "the dataset", parseId)
    .requiredOption("--purpose <label>", "the purpose", parsePurpose)
    .requiredOption("--record-hash <text>", "hash of the record released (or text to hash)", parseHashOrText)
    .action(
      run(
        async (
          context,
          options: { subject: string; requester: bigint; dataset: number; purpose: string; recordHash: string },
        ) => {
          const client = await context.client({ signer: true });
          const { grantId, transactionHash } = await client.dataSharing.recordAccess({
            subject: options.subject,
            requester: options.requester,
            datasetId: options.dataset,
            purpose: options.purpose,
            recordHash: options.recordHash,
          });
          context.out.result({ grantId, transactionHash }, `recorded the access under grant ${grantId}`);
        },
      ),
    );
}
