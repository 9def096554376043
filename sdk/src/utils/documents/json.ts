import { DocumentError } from "../../errors/document";

/** A JSON value, as it appears in a certificate document. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when a string holds a UTF-16 surrogate that is not part of a pair (it has no UTF-8 encoding). */
export function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next < 0xdc00 || next > 0xdfff) return true;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return true;
    }
  }
  return false;
}

function refuse(where: string, why: string): never {
  throw new DocumentError("INVALID_JSON_VALUE", `${where === "" ? "The value" : where}: ${why}`);
}

function serialise(value: unknown, where: string, seen: Set<object>): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) refuse(where, `${value} is not a JSON number`);
      // ECMAScript Number-to-String is exactly the number format RFC 8785 §3.2.2.3 prescribes; -0 becomes "0".
      return JSON.stringify(value);
    case "string":
      if (hasLoneSurrogate(value)) refuse(where, "the string contains a lone UTF-16 surrogate");
      // JSON.stringify escapes exactly what RFC 8785 §3.2.2.2 escapes (", \, and controls as \b \t \n \f \r or
      // lowercase \u00xx) and leaves every other character, Chinese included, as it is.
      return JSON.stringify(value);
    case "object": {
      if (seen.has(value)) refuse(where, "the value refers to itself");
      seen.add(value);
      let text: string;
      if (Array.isArray(value)) {
        text = `[${value.map((item, index) => serialise(item, `${where}[${index}]`, seen)).join(",")}]`;
      } else {
        const prototype = Object.getPrototypeOf(value) as unknown;
        if (prototype !== Object.prototype && prototype !== null) refuse(where, "only plain objects are JSON");
        const record = value as Record<string, unknown>;
        // Array.prototype.sort compares UTF-16 code units, the order RFC 8785 §3.2.3 prescribes.
        const keys = Object.keys(record).sort();
        const members = keys.map((key) => {
          if (hasLoneSurrogate(key)) refuse(where, `the key ${JSON.stringify(key)} contains a lone UTF-16 surrogate`);
          return `${JSON.stringify(key)}:${serialise(record[key], where === "" ? key : `${where}.${key}`, seen)}`;
        });
        text = `{${members.join(",")}}`;
      }
      seen.delete(value);
      return text;
    }
    default:
      return refuse(where, `a ${typeof value} is not a JSON value`);
  }
}

/**
 * Serialises a JSON value canonically, following the JSON Canonicalization Scheme (RFC 8785): object members
 * sorted by the UTF-16 code units of their names, no whitespace, ECMAScript number formatting, minimal string
 * escaping. Two values that are equal as JSON always give the same text, whatever the key order or the number
 * spelling (`1`, `1.0`, `1e0`) of the source, on every machine and in the browser.
 *
 * The output is byte-for-byte what the `canonicalize` package produces (the unit tests compare the two on random
 * values). It is reimplemented here because `canonicalize` 4 ships as an ES module whose `exports` map offers no
 * `require` entry, so the CommonJS build of this workspace (Hardhat, ts-node) cannot load it.
 *
 * @throws {DocumentError} `INVALID_JSON_VALUE` for NaN, ±Infinity, lone surrogates, cycles, `undefined`, bigint,
 * functions, symbols and objects that are not plain (Date, Map, class instances).
 */
export function canonicalJson(value: JsonValue): string {
  return serialise(value, "", new Set());
}
