import type { Logger } from "pino";

import type { DataSharingClient } from "../../sdk/src/contracts/datasharing";
import { ContractRevertError, isTransientRpcError, RpcUnavailableError } from "../../sdk/src/errors/chain";
import { AccessReason } from "../../sdk/src/utils/datasharing";
import { isUnavailable, type Database } from "./db/database";
import {
  markAttempt,
  markRefused,
  markSubmitted,
  noteError,
  pendingReceipts,
  receipt as readReceipt,
  type JournalReceipt,
} from "./db/store";

/**
 * The receipt submitter: anchors the journal's pending receipts on chain with `recordAccess`, signed by the gateway's
 * own key (an operator of the serving agency with PUBLISH_DATASETS, which the registry accepts as recorder).
 *
 * - Rows are written by the request handler, in the transaction that reads the record, before the answer leaves;
 *   the submitter only ever moves a row from `pending` to `submitted` (with its transaction hash) or `refused`.
 * - A batch is sent as many transactions in flight at once from the one key (the SDK's sender pipelines nonces),
 *   so a block on a QBFT network carries the whole batch. Gas is still paid per receipt: the registry has no
 *   batch entry point (see the report / README).
 * - At start it resumes whatever is pending. A row whose earlier attempt may have reached the chain (the process
 *   died after sending, before marking) is first looked up among the subject's on-chain receipts by its
 *   `recordHash` — unique per answer — so a restart never anchors one access twice.
 * - `recordAccess` re-checks permission. A consent revoked between the answer and the anchoring makes the contract
 *   refuse (`AccessDenied(..., Revoked)`): the row is kept, marked `refused` with the decoded reason, and still
 *   listed in the subject's receipts by the gateway. The data did leave while the consent was valid; the chain
 *   just cannot hold the receipt any more.
 */

export interface SubmitterOptions {
  /** Milliseconds between batches. */
  intervalMs?: number;
  /** Receipts per batch. */
  batchSize?: number;
  /** Start paused: nothing is anchored until `resume()` (tests, maintenance windows). */
  paused?: boolean;
}

export type AnchorOutcome =
  | { status: "submitted"; transactionHash: string }
  | { status: "refused"; error: string; reason?: AccessReason }
  | { status: "pending"; error: string };

export class ReceiptSubmitter {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly inFlight = new Map<string, Promise<AnchorOutcome>>();
  private paused: boolean;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly db: Database,
    private readonly dataSharing: DataSharingClient,
    private readonly log: Logger,
    options: SubmitterOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1_000;
    this.batchSize = options.batchSize ?? 32;
    this.paused = options.paused ?? false;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.schedule(0);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Stops the loop and waits for the transactions in flight (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await Promise.allSettled(this.inFlight.values());
  }

  /** Anchors the pending receipts now, batch after batch, until none is left or an attempt stays pending. */
  async flush(): Promise<void> {
    for (;;) {
      const outcomes = await this.batch();
      if (outcomes.length === 0 || outcomes.some((o) => o.status === "pending")) return;
    }
  }

  /** Anchors one receipt now and says how it went (single-use consents are anchored before the answer). */
  anchor(id: string): Promise<AnchorOutcome> {
    const existing = this.inFlight.get(id);
    if (existing) return existing;
    const work = this.submit(id).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, work);
    return work;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.paused) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.running) return this.schedule(this.intervalMs);
      this.running = this.batch()
        .then(() => undefined)
        .catch((error: unknown) => this.log.warn({ err: error }, "receipt batch failed; will retry"))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async batch(): Promise<AnchorOutcome[]> {
    const rows = await pendingReceipts(this.db, this.batchSize, [...this.inFlight.keys()]);
    if (rows.length === 0) return [];
    const outcomes = await Promise.all(rows.map((row) => this.anchor(row.id)));
    const submitted = outcomes.filter((o) => o.status === "submitted").length;
    this.log.info(
      { submitted, refused: outcomes.filter((o) => o.status === "refused").length, batch: rows.length },
      "anchored receipts",
    );
    return outcomes;
  }

  private async submit(id: string): Promise<AnchorOutcome> {
    const row = await readReceipt(this.db, id);
    if (!row) return { status: "refused", error: `no receipt ${id}` };
    if (row.status === "submitted") return { status: "submitted", transactionHash: row.transactionHash! };
    if (row.status === "refused") return { status: "refused", error: row.error ?? "refused" };
    try {
      if (row.attempts > 0) {
        const onChain = await this.findOnChain(row);
        if (onChain) {
          await markSubmitted(this.db, id, onChain);
          this.log.info({ receipt: id, tx: onChain }, "receipt was already on chain");
          return { status: "submitted", transactionHash: onChain };
        }
      }
      await markAttempt(this.db, id);
      const { transactionHash } = await this.dataSharing.recordAccess({
        subject: row.subject,
        requester: row.requester,
        datasetId: row.datasetId,
        purpose: row.purpose,
        recordHash: row.recordHash,
      });
      await markSubmitted(this.db, id, transactionHash);
      return { status: "submitted", transactionHash };
    } catch (error) {
      if (error instanceof ContractRevertError) {
        const reason = error.errorName === "AccessDenied" ? (Number(error.args[4]) as AccessReason) : undefined;
        const text =
          reason === undefined ? error.shortMessage : `${error.errorName}: ${AccessReason[reason] ?? String(reason)}`;
        await markRefused(this.db, id, text).catch((e: unknown) => this.log.error({ err: e }, "could not mark"));
        this.log.warn({ receipt: id, error: text }, "the registry refused a receipt; kept in the journal");
        return { status: "refused", error: text, reason };
      }
      const text = error instanceof Error ? error.message.split("\n")[0] : String(error);
      if (!isUnavailable(error)) await noteError(this.db, id, text).catch(() => undefined);
      if (!(error instanceof RpcUnavailableError) && !isTransientRpcError(error) && !isUnavailable(error)) {
        this.log.error({ err: error, receipt: id }, "receipt submission failed; will retry");
      }
      return { status: "pending", error: text };
    }
  }

  /** The transaction hash of an on-chain receipt with this row's `recordHash`, if an earlier attempt landed. */
  private async findOnChain(row: JournalReceipt): Promise<string | undefined> {
    const onChain = await this.dataSharing.receiptsOf(row.subject);
    return onChain.find((r) => r.recordHash.toLowerCase() === row.recordHash.toLowerCase())?.transactionHash;
  }
}
