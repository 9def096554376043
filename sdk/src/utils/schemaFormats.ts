import Ajv2020, { type ErrorObject, type Options, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { keccak256, toUtf8Bytes } from "ethers";

import type { Hex } from "./documents/hashing";
import { canonicalJson, type JsonValue } from "./documents/json";

/**
 * JSON Schema validation for certificate field schemas, with the Chinese identifier formats a government platform
 * needs. Pure: no I/O, no globals (Ajv compiles schemas to functions in memory), safe in the browser.
 */

/** Characters of the unified social credit code (GB 32100-2015): digits and capitals without I, O, Z, S, V. */
const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/** Weight of each of the 17 body characters: 3^i mod 31. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of a unified social credit code's first 17 characters, or undefined if they are not valid. */
export function unifiedSocialCreditCodeCheck(body: string): string | undefined {
  if (body.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(body[i]);
    if (value < 0) return undefined;
    sum += value * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/**
 * True for an 18-character unified social credit code (统一社会信用代码, GB 32100-2015): registration authority and
 * entity category (2 characters of the code alphabet), a 6-digit administrative division code, a 9-character
 * organisation code, and the MOD 31 check character. Capitals only: the standard has no lowercase form.
 */
export function isUnifiedSocialCreditCode(value: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) return false;
  return unifiedSocialCreditCodeCheck(value.slice(0, 17)) === value[17];
}

/** Weight of each of the 17 digits of a resident identity number: 2^(17-i) mod 11 (ISO 7064 MOD 11-2). */
const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character by the weighted sum mod 11. */
const RESIDENT_ID_CHECK = "10X98765432";
/** Province-level codes that begin an administrative division code (GB/T 2260), with 83 for Taiwan residents. */
const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82, 83,
]);
const EARLIEST_BIRTH_YEAR = 1800;

/** The check character of a resident identity number's first 17 digits, or undefined if they are not digits. */
export function residentIdNumberCheck(body: string): string | undefined {
  if (!/^\d{17}$/.test(body)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * RESIDENT_ID_WEIGHTS[i];
  return RESIDENT_ID_CHECK[sum % 11];
}

/**
 * True for an 18-character resident identity number (公民身份号码, GB 11643-1999): a 6-digit address code of a real
 * province, a birth date (YYYYMMDD) that exists on the calendar, a 3-digit sequence and the ISO 7064 MOD 11-2 check
 * character (`X` for 10, capital only). Pass `today` (YYYYMMDD) to refuse birth dates after it as well; without it
 * the function stays pure and only checks the calendar.
 */
export function isResidentIdNumber(value: string, options: { today?: string } = {}): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  if (!PROVINCE_CODES.has(Number(value.slice(0, 2)))) return false;
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  if (year < EARLIEST_BIRTH_YEAR || month < 1 || month > 12 || day < 1) return false;
  if (day > daysInMonth(year, month)) return false;
  if (options.today !== undefined && value.slice(6, 14) > options.today) return false;
  return residentIdNumberCheck(value.slice(0, 17)) === value[17];
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Format names these helpers register, for `"format": "..."` in a JSON Schema. */
export const GOVCHAIN_FORMATS = {
  unifiedSocialCreditCode: "unified-social-credit-code",
  residentIdNumber: "resident-id-number",
} as const;

/**
 * The annotation a certificate type's field schema may carry at its root to name the property that holds the
 * holder's identifier (`"x-govchain-holder": "creditCode"`); batch tools copy it into `holder.id`.
 */
export const HOLDER_KEYWORD = "x-govchain-holder";

/** Options of {@link createSchemaValidator}. */
export interface SchemaValidatorOptions {
  /**
   * Turn strings into the numbers and booleans the schema asks for (spreadsheet cells are all text). The validated
   * object is changed in place.
   */
  coerceTypes?: boolean;
  /** Report every problem, not only the first (default true). */
  allErrors?: boolean;
}

/**
 * An Ajv instance (JSON Schema 2020-12, also accepting schemas without `$schema`) with the standard formats of
 * ajv-formats (`date`, `email`, `uri`, ...) and GovChain's `unified-social-credit-code` and `resident-id-number`.
 * Strict mode is on, so a misspelt keyword in a schema is an error, not a silent pass.
 */
export function createSchemaValidator(options: SchemaValidatorOptions = {}): Ajv2020 {
  const ajvOptions: Options = {
    allErrors: options.allErrors ?? true,
    coerceTypes: options.coerceTypes ?? false,
    strict: true,
  };
  const ajv = new Ajv2020(ajvOptions);
  addFormats(ajv);
  ajv.addFormat(GOVCHAIN_FORMATS.unifiedSocialCreditCode, { type: "string", validate: isUnifiedSocialCreditCode });
  ajv.addFormat(GOVCHAIN_FORMATS.residentIdNumber, {
    type: "string",
    validate: (value: string) => isResidentIdNumber(value),
  });
  ajv.addKeyword({ keyword: HOLDER_KEYWORD, schemaType: "string" });
  return ajv;
}

/** One problem a schema found in a value: the field (a dotted path, empty for the whole value) and why. */
export interface SchemaProblem {
  field: string;
  message: string;
}

/** Turns Ajv's errors into readable problems naming the field. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): SchemaProblem[] {
  return (errors ?? []).map((error) => {
    const segments = error.instancePath
      .split("/")
      .slice(1)
      .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (error.keyword === "required")
      segments.push(String((error.params as { missingProperty: string }).missingProperty));
    if (error.keyword === "additionalProperties") {
      segments.push(String((error.params as { additionalProperty: string }).additionalProperty));
    }
    const field = segments.join(".");
    let message = error.message ?? "is invalid";
    if (error.keyword === "required") message = "is required";
    else if (error.keyword === "additionalProperties") message = "is not a field of this certificate type";
    else if (error.keyword === "format") {
      message = `is not a valid ${(error.params as { format: string }).format}`;
    } else if (error.keyword === "enum") {
      message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    return { field, message };
  });
}

/** Compiles a schema; the result reports problems by field. Throws Ajv's error for an invalid schema. */
export function compileFieldSchema(
  ajv: Ajv2020,
  schema: object,
): { validate: (value: unknown) => SchemaProblem[]; raw: ValidateFunction } {
  const raw = ajv.compile(schema);
  return {
    validate: (value) => (raw(value) ? [] : describeSchemaErrors(raw.errors)),
    raw,
  };
}

/**
 * The `schemaHash` a certificate type records for a field schema: keccak-256 of the schema's canonical JSON
 * (RFC 8785), so the same schema gives the same hash whatever its key order or whitespace.
 */
export function fieldSchemaHash(schema: JsonValue): Hex {
  return keccak256(toUtf8Bytes(canonicalJson(schema))) as Hex;
}
