import { getAddress, isAddress } from "ethers";
import { z } from "zod";

import { GovChainError } from "../errors/base";
import { ALL_CAPABILITIES } from "./capabilities";

/**
 * Input validation shared by the SDK, the CLI and the portal: a bad call fails here, before it costs gas, with a
 * message naming the field. Pure.
 */

/** An input was refused before anything was sent. */
export class InputError extends GovChainError {
  override name = "InputError";

  constructor(shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(shortMessage, { ...options, code: "INVALID_INPUT" });
  }
}

const UINT32_MAX = 2 ** 32 - 1;
const UINT40_MAX = 2 ** 40 - 1;

export const addressSchema = z
  .string()
  .refine((value) => isAddress(value), "must be a 0x-prefixed 20-byte address")
  .transform((value) => getAddress(value));
export const bytes32Schema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value")
  .transform((value) => value.toLowerCase());
export const uint32Schema = z.number().int().min(0).max(UINT32_MAX);
export const idSchema = z.number().int().min(1, "must be a positive id").max(UINT32_MAX);
export const timestampSchema = z.number().int().min(0).max(UINT40_MAX);
export const agencyNameSchema = z
  .string()
  .min(1, "must not be empty")
  .refine((name) => new TextEncoder().encode(name).length <= 128, "must be at most 128 bytes of UTF-8");
export const jurisdictionSchema = z
  .string()
  .max(64, "must be at most 64 bytes")
  .regex(/^[^/]+(\/[^/]+)*$/, "must be '/'-separated non-empty segments, such as CN/31/04");
export const capabilitiesSchema = z
  .number()
  .int()
  .min(0)
  .refine((mask) => (mask & ~ALL_CAPABILITIES) === 0, "names capabilities that do not exist");

/** Parses `input` with `schema`, or throws an `InputError` naming the first bad field of `what`. */
export function validate<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length ? `${what}.${issue.path.join(".")}` : what;
  throw new InputError(`invalid ${field}: ${issue.message}`);
}
