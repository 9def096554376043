import type { Interface } from "ethers";

import { GovChainError } from "./base";

/** A contract refused a call with one of its custom errors; `errorName` and `args` say which and why. */
export class ContractRevertError extends GovChainError {
  override name = "ContractRevertError";
  readonly errorName: string;
  readonly args: readonly unknown[];

  constructor(errorName: string, args: readonly unknown[], options: { details?: string; cause?: unknown } = {}) {
    super(describeRevert(errorName, args), { ...options, code: "CONTRACT_REVERT" });
    this.errorName = errorName;
    this.args = args;
  }
}

/** The node could not be reached, or answered with a transport-level failure. */
export class RpcUnavailableError extends GovChainError {
  override name = "RpcUnavailableError";

  constructor(shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(shortMessage, { ...options, code: "RPC_UNAVAILABLE" });
  }
}

/** The RPC endpoint serves another chain than the deployment manifest names. */
export class WrongChainError extends GovChainError {
  override name = "WrongChainError";

  constructor(expected: number, actual: number) {
    super(`the RPC endpoint serves chain ${actual}, but the deployment manifest is for chain ${expected}`, {
      code: "WRONG_CHAIN",
    });
  }
}

function formatArg(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(formatArg).join(", ")}]`;
  return String(value);
}

/** `OperatorNotActive(3, 0xabc…)` → "the contract refused the call: OperatorNotActive (3, 0xabc…)". Pure. */
export function describeRevert(errorName: string, args: readonly unknown[]): string {
  const shown = args.length ? ` (${args.map(formatArg).join(", ")})` : "";
  return `the contract refused the call: ${errorName}${shown}`;
}

/** Walks the nested shapes ethers, Hardhat and JSON-RPC nodes wrap errors in. */
function* nested(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length) {
    const current = stack.pop();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const record = current as Record<string, unknown>;
    yield record;
    stack.push(record.cause, record.error, record.info, record.data, record.revert);
  }
}

/** The ABI-encoded revert data inside a failed call's error, if any. */
export function revertDataOf(error: unknown): string | undefined {
  for (const record of nested(error)) {
    for (const key of ["data", "revertData"]) {
      const value = record[key];
      if (typeof value === "string" && /^0x[0-9a-fA-F]{8}/.test(value)) return value;
    }
  }
  return undefined;
}

const TRANSIENT_CODES = new Set([
  "NETWORK_ERROR",
  "TIMEOUT",
  "SERVER_ERROR",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
]);
const TRANSIENT_MESSAGE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|fetch failed|429|Too Many Requests/i;

/** Whether an error is worth retrying: the node was unreachable or overloaded, not a refusal. */
export function isTransientRpcError(error: unknown): boolean {
  for (const record of nested(error)) {
    if (typeof record.code === "string" && TRANSIENT_CODES.has(record.code)) return true;
    if (typeof record.message === "string" && TRANSIENT_MESSAGE.test(record.message)) return true;
  }
  return false;
}

/**
 * Turns whatever a failed call threw into a typed GovChain error: a custom error of one of `interfaces` becomes a
 * `ContractRevertError` with its name and arguments; connection failures become `RpcUnavailableError`.
 */
export function decodeChainError(error: unknown, interfaces: readonly Interface[]): GovChainError {
  if (error instanceof GovChainError) return error;
  const data = revertDataOf(error);
  if (data) {
    for (const contractInterface of interfaces) {
      const parsed = contractInterface.parseError(data);
      if (parsed) return new ContractRevertError(parsed.name, [...parsed.args], { cause: error, details: data });
    }
    return new ContractRevertError("UnknownError", [data], { cause: error, details: data });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (isTransientRpcError(error)) {
    return new RpcUnavailableError("the blockchain node could not be reached", { cause: error, details: message });
  }
  return new GovChainError("the blockchain call failed", { cause: error, details: message, code: "CHAIN_ERROR" });
}
