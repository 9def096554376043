import fs from "node:fs";

import { InvalidArgumentError } from "commander";
import { getAddress, isAddress, keccak256, toUtf8Bytes } from "ethers";

import { Capability, type CapabilityName } from "../../sdk/src/utils/capabilities";
import { parseRevocationReason } from "../../sdk/src/utils/certificates";
import { agencyRequester, enterpriseRequester, purposeCode } from "../../sdk/src/utils/datasharing";
import { InputError } from "../../sdk/src/utils/validation";

/**
 * Argument parsers for commander (they throw `InvalidArgumentError`, which commander reports with the option's name)
 * and small readers for input files. Parsing only: no network.
 */

const UINT32_MAX = 2 ** 32 - 1;

/** A positive id (agency, type, dataset). */
export function parseId(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > UINT32_MAX) {
    throw new InvalidArgumentError("must be a positive integer id");
  }
  return Number(value);
}

/** A non-negative integer. */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError("must be a non-negative integer");
  }
  return Number(value);
}

/** A positive integer. */
export function parsePositive(value: string): number {
  const n = parseCount(value);
  if (n < 1) throw new InvalidArgumentError("must be at least 1");
  return n;
}

/** A checksummed account address. */
export function parseAddress(value: string): string {
  if (!isAddress(value)) throw new InvalidArgumentError("must be a 0x-prefixed 20-byte address");
  return getAddress(value);
}

/** A 0x-prefixed 32-byte value, lowercased. */
export function parseBytes32(value: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new InvalidArgumentError("must be a 0x-prefixed 32-byte hex value");
  return value.toLowerCase();
}

/** A large request id. */
export function parseBigId(value: string): bigint {
  if (!/^\d+$/.test(value) || BigInt(value) < 1n) throw new InvalidArgumentError("must be a positive integer id");
  return BigInt(value);
}

/** `IssueCertificates,PUBLISH_DATASETS,request-data` → the capability mask. */
export function parseCapabilities(value: string): number {
  const names = Object.keys(Capability) as CapabilityName[];
  let mask = 0;
  for (const raw of value.split(",").map((item) => item.trim())) {
    if (raw === "") continue;
    const key = raw.replace(/[-_\s]/g, "").toLowerCase();
    const name = names.find((candidate) => candidate.toLowerCase() === key);
    if (!name) {
      throw new InvalidArgumentError(`unknown capability "${raw}" (known: ${names.join(", ")})`);
    }
    mask |= Capability[name];
  }
  return mask;
}

/** A revocation reason by name (`fraud`, `issued-in-error`) or code. */
export function parseReason(value: string): number {
  const reason = parseRevocationReason(value);
  if (reason === undefined) throw new InvalidArgumentError("must be a reason name (e.g. fraud) or a code 0-255");
  return reason;
}

/** A purpose: a label from the platform's purpose list (hashed), or its 32-byte code. */
export function parsePurpose(value: string): string {
  if (/^0x[0-9a-fA-F]{64}$/.test(value)) return value.toLowerCase();
  if (value.trim() === "") throw new InvalidArgumentError("must not be empty");
  return purposeCode(value);
}

/** A list of purposes, comma separated. */
export function parsePurposes(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "")
    .map(parsePurpose);
}

/** `agency:7` → the agency requester; `0x…` → an enterprise requester. */
export function parseRequester(value: string): bigint {
  const agency = /^agency:(\d+)$/i.exec(value);
  if (agency) return agencyRequester(parseId(agency[1]));
  if (isAddress(value)) return enterpriseRequester(value);
  throw new InvalidArgumentError("must be agency:<id> or an enterprise's 0x address");
}

/** Text or a 32-byte hash: text is hashed (keccak-256 of its UTF-8), so no document goes on chain. */
export function parseHashOrText(value: string): string {
  if (/^0x[0-9a-fA-F]{64}$/.test(value)) return value.toLowerCase();
  return keccak256(toUtf8Bytes(value));
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, y: 365 * 86_400 };

/**
 * A point in time, in unix seconds: `0` (none), unix seconds, an ISO date (`2026-12-31`, `2026-12-31T12:00:00Z`), or
 * a duration from now (`+30d`, `+12h`). "Now" is the machine's clock, which is what a person means.
 */
export function parseTime(value: string, now: () => number = () => Math.floor(Date.now() / 1000)): number {
  if (/^\d+$/.test(value)) return Number(value);
  const relative = /^\+(\d+)([smhdy])$/.exec(value);
  if (relative) return now() + Number(relative[1]) * DURATION_UNITS[relative[2]];
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  throw new InvalidArgumentError("must be unix seconds, an ISO date (2026-12-31) or a duration like +30d");
}

/** A comma-separated list. */
export function parseList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** Reads a file, with a message naming it when it cannot be read. */
export function readInputFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (error as Error).message;
    throw new InputError(`cannot read ${file}: ${why}`, { cause: error });
  }
}

/** Text of a UTF-8 file without its byte order mark. */
export function readTextFile(file: string): string {
  const text = readInputFile(file).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses a JSON file, naming the file and the position of a syntax error. */
export function readJsonFile(file: string): unknown {
  const text = readTextFile(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
