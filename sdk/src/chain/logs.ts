import type { Filter, Log, Provider } from "ethers";

import { isTransientRpcError } from "../errors/chain";

/**
 * Reads logs in bounded block ranges, from a deployment block to the head. Besu caps `eth_getLogs` ranges
 * (`--rpc-max-logs-range`, 5,000 blocks by default) and other nodes cap results, so a range refused for its size
 * is halved and retried; transient failures are retried with back-off.
 */

export interface LogPagingOptions {
  /** First block to scan (the manifest's deployment block). */
  fromBlock: number;
  /** Last block to scan; the current head when omitted. */
  toBlock?: number;
  /** Largest range asked for at once. */
  maxRange?: number;
  /** Attempts for a transient failure before giving up. */
  retries?: number;
  /** First back-off delay; doubles each attempt. */
  retryDelayMs?: number;
}

export const DEFAULT_MAX_LOG_RANGE = 5_000;

const RANGE_REFUSED = /range|too many|limit exceeded|-32005|query returned more than/i;

function isRangeTooLarge(error: unknown): boolean {
  const text =
    error instanceof Error ? `${error.message} ${JSON.stringify((error as { info?: unknown }).info ?? "")}` : "";
  return RANGE_REFUSED.test(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every log matching `filter` between the two blocks, in chain order. */
export async function getLogsPaged(
  provider: Provider,
  filter: Omit<Filter, "fromBlock" | "toBlock">,
  options: LogPagingOptions,
): Promise<Log[]> {
  const { maxRange = DEFAULT_MAX_LOG_RANGE, retries = 4, retryDelayMs = 250 } = options;
  const toBlock = options.toBlock ?? (await provider.getBlockNumber());
  const logs: Log[] = [];
  let range = maxRange;
  let from = options.fromBlock;
  let attempt = 0;
  while (from <= toBlock) {
    const to = Math.min(from + range - 1, toBlock);
    try {
      logs.push(...(await provider.getLogs({ ...filter, fromBlock: from, toBlock: to })));
      from = to + 1;
      attempt = 0;
    } catch (error) {
      if (isRangeTooLarge(error) && range > 1) {
        range = Math.max(1, Math.floor(range / 2));
      } else if (isTransientRpcError(error) && attempt < retries) {
        await sleep(retryDelayMs * 2 ** attempt);
        attempt += 1;
      } else {
        throw error;
      }
    }
  }
  return logs;
}
