import { decodeRlp, encodeRlp, getAddress, isAddress, toQuantity, zeroPadValue } from "ethers";

import { NetworkKitError } from "./errors";

/**
 * The QBFT genesis file for Besu. Pure: builds and decodes values, writes nothing.
 *
 * Every fork up to Cancun is active from block 0 (our contracts use `mcopy`), gas is free (`zeroBaseFee`,
 * `baseFeePerGas` 0; every node also runs with `min-gas-price=0`), and the validators are named in the BFT
 * `extraData`. The file is also accepted by anvil (`anvil --init genesis.json`), which the tests use to run it.
 */

/** The mixHash that marks a BFT block ("ctical byzantine fault tolerance" in ASCII), required by Besu. */
export const BFT_MIX_HASH = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";

/** Defaults for a city network: 2-second blocks, the usual epoch, a round timeout well above the block period. */
export const QBFT_DEFAULTS = {
  blockPeriodSeconds: 2,
  epochLength: 30_000,
  requestTimeoutSeconds: 10,
  /** 100 M gas a block: ample for government workloads, small enough that a block is built within its period. */
  gasLimit: 100_000_000n,
} as const;

const VANITY = zeroPadValue("0x", 32);

/** Milestones Besu (and geth-style tools) read from `config`: every fork through Cancun, at genesis. */
const BLOCK_FORKS = [
  "homesteadBlock",
  "eip150Block",
  "eip155Block",
  "eip158Block",
  "byzantiumBlock",
  "constantinopleBlock",
  "petersburgBlock",
  "istanbulBlock",
  "muirGlacierBlock",
  "berlinBlock",
  "londonBlock",
] as const;

export interface QbftGenesisOptions {
  chainId: number;
  /** Validator addresses (the validator nodes' key addresses); sorted and deduplicated here. */
  validators: readonly string[];
  blockPeriodSeconds?: number;
  epochLength?: number;
  requestTimeoutSeconds?: number;
  /** Block gas limit. */
  gasLimit?: bigint;
  /** Pre-funded accounts. With free gas nobody needs ether: leave empty unless a contract needs value. */
  alloc?: Readonly<Record<string, bigint>>;
  /** Genesis timestamp in seconds (default 0, so the same inputs always give the same genesis hash). */
  timestamp?: number;
}

export interface QbftGenesis {
  config: {
    chainId: number;
    homesteadBlock: 0;
    eip150Block: 0;
    eip155Block: 0;
    eip158Block: 0;
    byzantiumBlock: 0;
    constantinopleBlock: 0;
    petersburgBlock: 0;
    istanbulBlock: 0;
    muirGlacierBlock: 0;
    berlinBlock: 0;
    londonBlock: 0;
    shanghaiTime: 0;
    cancunTime: 0;
    zeroBaseFee: true;
    qbft: { blockperiodseconds: number; epochlength: number; requesttimeoutseconds: number };
  };
  nonce: string;
  timestamp: string;
  gasLimit: string;
  difficulty: "0x1";
  mixHash: string;
  coinbase: string;
  baseFeePerGas: "0x0";
  extraData: string;
  alloc: Record<string, { balance: string }>;
}

/** The validators in the order Besu keeps them: ascending by address, checksummed, no duplicates. */
export function sortValidators(validators: readonly string[]): string[] {
  const unique = new Map<string, string>();
  for (const validator of validators) {
    if (!isAddress(validator)) throw new NetworkKitError(`not a validator address: ${validator}`);
    const checksummed = getAddress(validator);
    if (unique.has(checksummed.toLowerCase())) {
      throw new NetworkKitError(`validator ${checksummed} is listed twice`);
    }
    unique.set(checksummed.toLowerCase(), checksummed);
  }
  return [...unique.keys()].sort().map((key) => unique.get(key)!);
}

/** QBFT genesis `extraData`: RLP([32-byte vanity, [validators], [] (no vote), round 0 (empty bytes), [] (no seals)]). */
export function qbftExtraData(validators: readonly string[]): string {
  const sorted = sortValidators(validators);
  if (sorted.length === 0) throw new NetworkKitError("a QBFT network needs at least one validator");
  return encodeRlp([VANITY, sorted.map((address) => address.toLowerCase()), [], "0x", []]);
}

/** Decodes QBFT `extraData` (genesis or header) back into its parts. */
export function decodeQbftExtraData(extraData: string): {
  vanity: string;
  validators: string[];
  vote: unknown[];
  round: string;
  seals: unknown[];
} {
  let decoded: unknown;
  try {
    decoded = decodeRlp(extraData);
  } catch (error) {
    throw new NetworkKitError("the QBFT extraData is not valid RLP", { cause: error });
  }
  if (!Array.isArray(decoded) || decoded.length !== 5) {
    throw new NetworkKitError("the QBFT extraData must be an RLP list of 5 items");
  }
  const [vanity, validators, vote, round, seals] = decoded as [string, string[], unknown[], string, unknown[]];
  if (typeof vanity !== "string" || !Array.isArray(validators) || typeof round !== "string") {
    throw new NetworkKitError("the QBFT extraData has the wrong shape");
  }
  return { vanity, validators: validators.map((address) => getAddress(address)), vote, round, seals };
}

/** Builds the QBFT genesis for a free-gas, Cancun-from-genesis network. */
export function buildQbftGenesis(options: QbftGenesisOptions): QbftGenesis {
  const blockPeriodSeconds = options.blockPeriodSeconds ?? QBFT_DEFAULTS.blockPeriodSeconds;
  const epochLength = options.epochLength ?? QBFT_DEFAULTS.epochLength;
  const requestTimeoutSeconds = options.requestTimeoutSeconds ?? QBFT_DEFAULTS.requestTimeoutSeconds;
  const gasLimit = options.gasLimit ?? QBFT_DEFAULTS.gasLimit;
  const timestamp = options.timestamp ?? 0;
  positiveInteger(options.chainId, "chain id");
  positiveInteger(blockPeriodSeconds, "block period (seconds)");
  positiveInteger(epochLength, "epoch length");
  positiveInteger(requestTimeoutSeconds, "request timeout (seconds)");
  if (requestTimeoutSeconds <= blockPeriodSeconds) {
    throw new NetworkKitError(
      `the QBFT request timeout (${requestTimeoutSeconds} s) must be longer than the block period (${blockPeriodSeconds} s)`,
    );
  }
  if (gasLimit < 5_000n) throw new NetworkKitError(`the block gas limit ${gasLimit} is too small`);
  if (!Number.isInteger(timestamp) || timestamp < 0) throw new NetworkKitError("the genesis timestamp must be >= 0");

  const alloc: Record<string, { balance: string }> = {};
  for (const [account, balance] of Object.entries(options.alloc ?? {})) {
    if (!isAddress(account)) throw new NetworkKitError(`not an account address in alloc: ${account}`);
    if (balance < 0n) throw new NetworkKitError(`negative balance for ${account}`);
    alloc[getAddress(account).toLowerCase()] = { balance: toQuantity(balance) };
  }

  const forks = Object.fromEntries(BLOCK_FORKS.map((fork) => [fork, 0])) as Record<(typeof BLOCK_FORKS)[number], 0>;
  return {
    config: {
      chainId: options.chainId,
      ...forks,
      shanghaiTime: 0,
      cancunTime: 0,
      zeroBaseFee: true,
      qbft: {
        blockperiodseconds: blockPeriodSeconds,
        epochlength: epochLength,
        requesttimeoutseconds: requestTimeoutSeconds,
      },
    },
    nonce: "0x0",
    timestamp: toQuantity(timestamp),
    gasLimit: toQuantity(gasLimit),
    difficulty: "0x1",
    mixHash: BFT_MIX_HASH,
    coinbase: "0x0000000000000000000000000000000000000000",
    baseFeePerGas: "0x0",
    extraData: qbftExtraData(options.validators),
    alloc,
  };
}

/** The genesis file's text (2-space JSON with a final newline). */
export function genesisJson(genesis: QbftGenesis): string {
  return JSON.stringify(genesis, null, 2) + "\n";
}

function positiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new NetworkKitError(`the ${what} must be a positive integer`);
}
