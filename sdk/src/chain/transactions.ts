import { Transaction, type Provider, type Signer, type TransactionReceipt, type TransactionRequest } from "ethers";

import { GovChainError } from "../errors/base";
import { isTransientRpcError } from "../errors/chain";

/**
 * Sends transactions the way an agency script needs: many in flight from one key without nonce clashes, each
 * waited for with a chosen number of confirmations, and transient RPC failures retried without ever sending a
 * second, different transaction — a signed transaction is rebroadcast byte for byte, so a retry can only land once.
 */

export interface TransactionSenderOptions {
  /** Blocks to wait after inclusion. */
  confirmations?: number;
  /** Attempts for a transient RPC failure. */
  retries?: number;
  /** First back-off delay; doubles each attempt. */
  retryDelayMs?: number;
  /** How long to wait for a receipt before giving up. */
  receiptTimeoutMs?: number;
  /** How often to ask for the receipt. */
  pollMs?: number;
  /** Fee fields added to every transaction (see `feeOverridesFor`). */
  fees?: Pick<TransactionRequest, "gasPrice" | "maxFeePerGas" | "maxPriorityFeePerGas" | "type">;
}

/** A transaction was mined but reverted. */
export class TransactionFailedError extends GovChainError {
  override name = "TransactionFailedError";
  readonly hash: string;

  constructor(hash: string) {
    super(`transaction ${hash} was mined but reverted`, { code: "TRANSACTION_FAILED" });
    this.hash = hash;
  }
}

/**
 * Estimates are taken against the latest block, but a transaction lands in a later one: history checkpoints may then
 * append a slot instead of updating one, and a node's estimate can come up short. Unused gas is never charged (and
 * GovChain's networks run free gas), so a quarter more is cheap insurance.
 */
export function withGasHeadroom(estimate: bigint): bigint {
  return (estimate * 5n) / 4n;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ALREADY_KNOWN = /already known|known transaction|already imported/i;
const STALE_NONCE = /nonce too (low|high)|invalid nonce|replacement transaction underpriced/i;

/**
 * On a free-gas chain (base fee 0, as GovChain's Besu networks and local chains run) send legacy transactions with
 * `gasPrice: 0`: ethers' EIP-1559 estimation would ask zero-balance accounts to pay. Elsewhere let ethers decide.
 */
export async function feeOverridesFor(provider: Provider): Promise<TransactionSenderOptions["fees"]> {
  const block = await provider.getBlock("latest");
  if (block && (block.baseFeePerGas === null || block.baseFeePerGas === 0n)) return { gasPrice: 0n, type: 0 };
  return {};
}

/**
 * Polls for a receipt until it has `confirmations` blocks (providers differ in what `waitForTransaction` supports;
 * polling works with every one, Hardhat's in-process provider included).
 */
export async function waitForReceipt(
  provider: Provider,
  hash: string,
  options: {
    confirmations: number;
    timeoutMs: number;
    pollMs: number;
    retry?: <T>(action: () => Promise<T>) => Promise<T>;
  },
): Promise<TransactionReceipt> {
  const retry = options.retry ?? (<T>(action: () => Promise<T>) => action());
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const receipt = await retry(() => provider.getTransactionReceipt(hash));
    if (receipt) {
      const head = options.confirmations <= 1 ? receipt.blockNumber : await retry(() => provider.getBlockNumber());
      if (head - receipt.blockNumber + 1 >= options.confirmations) return receipt;
    }
    if (Date.now() > deadline) {
      throw new GovChainError(`transaction ${hash} was not mined within ${options.timeoutMs} ms`, {
        code: "TRANSACTION_NOT_MINED",
      });
    }
    await sleep(options.pollMs);
  }
}

export class TransactionSender {
  private nextNonce: number | undefined;
  private nonceLock: Promise<unknown> = Promise.resolve();

  constructor(
    readonly signer: Signer,
    private readonly options: TransactionSenderOptions = {},
  ) {}

  private get provider(): Provider {
    if (!this.signer.provider) throw new GovChainError("the signer has no provider", { code: "NO_PROVIDER" });
    return this.signer.provider;
  }

  /** Reserves the next nonce; serialised so concurrent sends never share one. */
  private reserveNonce(): Promise<number> {
    const reservation = this.nonceLock.then(async () => {
      if (this.nextNonce === undefined) {
        this.nextNonce = await this.provider.getTransactionCount(await this.signer.getAddress(), "pending");
      }
      return this.nextNonce++;
    });
    this.nonceLock = reservation.catch(() => undefined);
    return reservation;
  }

  /** Forgets the local nonce so the next send asks the node again (after a transaction that never went out). */
  resetNonce(): void {
    this.nextNonce = undefined;
  }

  private async withRetries<T>(action: () => Promise<T>): Promise<T> {
    const { retries = 4, retryDelayMs = 250 } = this.options;
    for (let attempt = 0; ; attempt++) {
      try {
        return await action();
      } catch (error) {
        if (attempt >= retries || !isTransientRpcError(error)) throw error;
        await sleep(retryDelayMs * 2 ** attempt);
      }
    }
  }

  /**
   * Estimates (a revert surfaces here, before any nonce is used), signs with a reserved nonce, broadcasts with
   * retries and waits for the receipt.
   */
  async send(request: TransactionRequest): Promise<TransactionReceipt> {
    const { confirmations = 1, fees = {} } = this.options;
    const from = await this.signer.getAddress();
    const gasLimit =
      request.gasLimit ??
      withGasHeadroom(await this.withRetries(() => this.provider.estimateGas({ ...request, ...fees, from })));
    let hash: string | undefined;
    for (let attempt = 0; hash === undefined; attempt++) {
      const nonce = await this.reserveNonce();
      const populated = await this.signer.populateTransaction({ ...request, ...fees, gasLimit, nonce, from });
      let signed: string;
      try {
        signed = await this.signer.signTransaction(populated);
      } catch (error) {
        if (!/signTransaction|not supported|UNSUPPORTED_OPERATION/i.test(String((error as Error).message))) throw error;
        // A node-managed account (Hardhat's own signers) cannot sign locally: let the node sign and send.
        hash = (await this.signer.sendTransaction(populated)).hash;
        break;
      }
      const ours = Transaction.from(signed).hash!;
      try {
        hash = await this.withRetries(() => this.provider.broadcastTransaction(signed).then((tx) => tx.hash));
      } catch (error) {
        const message = String((error as Error).message);
        // A retried broadcast that had reached the node: the same bytes, so the same transaction.
        if (ALREADY_KNOWN.test(message)) hash = ours;
        else if (STALE_NONCE.test(message) && (await this.provider.getTransaction(ours))) hash = ours;
        else {
          this.resetNonce();
          // Another process used the key, or the chain was reset: sign again once with the node's nonce.
          if (!STALE_NONCE.test(message) || attempt > 0) throw error;
        }
      }
    }
    const receipt = await waitForReceipt(this.provider, hash, {
      confirmations,
      timeoutMs: this.options.receiptTimeoutMs ?? 120_000,
      pollMs: this.options.pollMs ?? 100,
      retry: (action) => this.withRetries(action),
    });
    if (receipt.status !== 1) throw new TransactionFailedError(hash);
    return receipt;
  }
}
