import path from "node:path";

import { CsvError, parse } from "csv-parse/sync";

import { isJsonObject, type JsonObject, type JsonValue } from "../../sdk/src/utils/documents/json";
import { InputError } from "../../sdk/src/utils/validation";
import { InputProblemsError, type InputProblem } from "./output";

/**
 * Reads batch input files into rows: one object per certificate, numbered as a person would find them. Node-side
 * parsing only; validation against the type's schema and document building happen after.
 *
 * - CSV: UTF-8 with or without a byte order mark, CRLF or LF, RFC 4180 quoting (commas, quotes and line breaks inside
 *   quoted fields). The first record names the columns. Rows are numbered as in a spreadsheet: the header is row 1,
 *   the first certificate row 2 (a cell holding line breaks is still one row). Empty cells are left out, so a
 *   schema's `required` catches them. A column named `a.b` becomes the nested field `{ a: { b } }`.
 * - JSON: an array of objects (or `{ "rows": [...] }`); row N is the N-th object.
 */

export interface InputRow {
  /** Row number as reported to people. */
  row: number;
  values: JsonObject;
}

export interface ParsedInput {
  format: "csv" | "json";
  rows: InputRow[];
}

/** Parses a batch file's bytes by its extension (`.csv`, else JSON). */
export function parseBatchInput(file: string, bytes: Buffer): ParsedInput {
  const text = decodeUtf8(file, bytes);
  return path.extname(file).toLowerCase() === ".csv"
    ? { format: "csv", rows: parseCsvRows(file, text) }
    : { format: "json", rows: parseJsonRows(file, text) };
}

function decodeUtf8(file: string, bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${file} is not UTF-8 text: export it from the spreadsheet as "CSV UTF-8"`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `{ "a.b": 1 }` → `{ a: { b: 1 } }`. */
function nest(flat: Record<string, JsonValue>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split(".");
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (!isJsonObject(next)) node[part] = {};
      node = node[part] as JsonObject;
    }
    node[parts[parts.length - 1]] = value;
  }
  return out;
}

export function parseCsvRows(file: string, text: string): InputRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      throw new InputError(`${file} is not valid CSV: ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (records.length === 0) throw new InputError(`${file} is empty: the first row must name the columns`);
  const header = records[0];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  header.forEach((name, index) => {
    const column = `column ${index + 1}`;
    if (name.trim() === "") problems.push({ row: 1, field: column, message: "the column has no name" });
    else if (name !== name.trim())
      problems.push({ row: 1, field: name, message: "the column name has spaces around it" });
    else if (name.split(".").some((part) => part === "")) {
      problems.push({ row: 1, field: name, message: "a column name may not have an empty part around '.'" });
    } else if (seen.has(name)) problems.push({ row: 1, field: name, message: "the column appears twice" });
    seen.add(name);
  });
  if (problems.length) {
    throw new InputProblemsError(`${file}: row 1, field ${problems[0].field}: ${problems[0].message}`, problems);
  }
  if (records.length === 1) throw new InputError(`${file} has a header but no rows: nothing to issue`);
  return records.slice(1).map((record, index) => {
    const flat: Record<string, JsonValue> = {};
    record.forEach((cell, column) => {
      if (cell !== "") flat[header[column]] = cell;
    });
    return { row: index + 2, values: nest(flat) };
  });
}

export function parseJsonRows(file: string, text: string): InputRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const items = Array.isArray(parsed)
    ? parsed
    : isJsonObject(parsed) && Array.isArray(parsed.rows)
      ? parsed.rows
      : undefined;
  if (items === undefined) {
    throw new InputError(`${file} must hold a JSON array of objects (or {"rows": [...]}), one per certificate`);
  }
  if (items.length === 0) throw new InputError(`${file} has no rows: nothing to issue`);
  const problems: InputProblem[] = [];
  const rows = items.map((item: unknown, index: number) => {
    if (!isJsonObject(item)) problems.push({ row: index + 1, message: "is not a JSON object" });
    return { row: index + 1, values: (isJsonObject(item) ? item : {}) as JsonObject };
  });
  if (problems.length) {
    throw new InputProblemsError(`${file}: row ${problems[0].row} ${problems[0].message}`, problems);
  }
  return rows;
}
