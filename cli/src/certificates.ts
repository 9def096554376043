import type { GovChainClient } from "../../sdk/src/client";
import { GovChainError } from "../../sdk/src/errors/base";
import { Capability } from "../../sdk/src/utils/capabilities";
import { DocumentError } from "../../sdk/src/errors/document";
import {
  parseWrappedCertificate,
  type CertificateDocument,
  type WrappedCertificate,
} from "../../sdk/src/utils/documents/format";
import type { Hex } from "../../sdk/src/utils/documents/hashing";
import { isJsonObject, type JsonObject, type JsonValue } from "../../sdk/src/utils/documents/json";
import type { CertificateTypeRecord } from "../../sdk/src/utils/documents/reader";
import {
  compileFieldSchema,
  createSchemaValidator,
  fieldSchemaHash,
  HOLDER_KEYWORD,
  type SchemaProblem,
} from "../../sdk/src/utils/schemaFormats";
import { InputError } from "../../sdk/src/utils/validation";
import { readJsonFile } from "./args";
import { InputProblemsError, type InputProblem } from "./output";
import type { InputRow } from "./rows";

/**
 * What the certificate commands share: field schemas read from files, rows turned into certificate documents, and
 * the checks made before anything is sent (the type exists, the schema is the type's, the key may issue).
 */

/** A certificate type's field schema, read from a file. */
export interface FieldSchema {
  file: string;
  schema: JsonObject;
  /** What the type records on chain: keccak-256 of the canonical JSON. */
  hash: Hex;
  /** The property holding the holder's id (`x-govchain-holder`), if the schema names one. */
  holderField: string | undefined;
  /** Problems of a row; with `coerce`, text cells are turned into the schema's numbers and booleans in place. */
  validate: (values: JsonObject) => SchemaProblem[];
}

/** Reads and compiles a JSON Schema file. `coerce` suits spreadsheet rows, whose cells are all text. */
export function loadFieldSchema(file: string, options: { coerce?: boolean } = {}): FieldSchema {
  const schema = readJsonFile(file);
  if (!isJsonObject(schema)) throw new InputError(`${file} must hold a JSON Schema object`);
  let compiled: ReturnType<typeof compileFieldSchema>;
  try {
    compiled = compileFieldSchema(createSchemaValidator({ coerceTypes: options.coerce }), schema);
  } catch (error) {
    throw new InputError(`${file} is not a valid JSON Schema: ${(error as Error).message}`, { cause: error });
  }
  const holder = schema[HOLDER_KEYWORD];
  return {
    file,
    schema,
    hash: fieldSchemaHash(schema),
    holderField: typeof holder === "string" ? holder : undefined,
    validate: compiled.validate,
  };
}

/** Reads a wrapped certificate file; a file that is not one is refused as bad input. */
export function readWrapped(file: string): WrappedCertificate {
  const json = readJsonFile(file);
  try {
    return parseWrappedCertificate(json);
  } catch (error) {
    if (error instanceof DocumentError) {
      throw new InputError(`${file} is not a wrapped certificate: ${error.shortMessage}`, { cause: error });
    }
    throw error;
  }
}

/** The type, refused clearly when it does not exist, is retired, or does not use `schema`. */
export async function requireType(
  client: GovChainClient,
  typeId: number,
  schema?: FieldSchema,
): Promise<CertificateTypeRecord> {
  const type = await client.certificates.certificateType(typeId);
  if (!type) throw new InputError(`certificate type ${typeId} does not exist on chain ${client.manifest.chainId}`);
  if (type.retired) {
    throw new GovChainError(`certificate type ${typeId} (${type.name}) is retired: it issues no new certificates`, {
      code: "TYPE_RETIRED",
    });
  }
  if (schema && schema.hash !== type.schemaHash.toLowerCase()) {
    throw new InputError(
      `${schema.file} is not the schema of type ${typeId} (${type.name}): it hashes to ${schema.hash}, the type records ${type.schemaHash}`,
    );
  }
  return type;
}

/** Refuses a key that may not issue for the agency, before anything is signed. */
export async function requireIssuer(client: GovChainClient, account: string, agencyId: number): Promise<void> {
  if (!(await client.directory.canAct(account, agencyId, Capability.IssueCertificates))) {
    throw new GovChainError(
      `the key ${account} may not issue certificates for agency ${agencyId}: it is not an active operator of an agency holding IssueCertificates`,
      { code: "UNAUTHORIZED_KEY" },
    );
  }
}

/** Where certificates of a type live, and the validity they get. */
export interface DocumentTemplate {
  typeId: number;
  agencyId: number;
  chainId: number;
  registry: string;
  validFrom: number;
  validUntil: number;
}

/**
 * Turns a validated row into a certificate document: the holder property goes to `holder.id` (and out of the
 * fields), everything else to `fields`.
 */
export function rowDocument(values: JsonObject, holderField: string, template: DocumentTemplate): CertificateDocument {
  const { [holderField]: holder, ...fields } = values;
  return {
    type: { typeId: template.typeId, chainId: template.chainId, registry: template.registry },
    issuer: { agencyId: template.agencyId },
    holder: { id: holderText(holder) },
    validity: { validFrom: template.validFrom, validUntil: template.validUntil },
    fields,
  };
}

function holderText(value: JsonValue | undefined): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value);
}

/** The holder column: `--holder-field`, else the schema's `x-govchain-holder`. */
export function holderFieldOf(schema: FieldSchema | undefined, given: string | undefined): string {
  const field = given ?? schema?.holderField;
  if (!field) {
    throw new InputError(
      `name the property that holds the holder's id: --holder-field <name>, or "${HOLDER_KEYWORD}" in the schema`,
    );
  }
  return field;
}

/**
 * Validates every row (all of them, so one run reports every bad row) against the schema, and that each has a
 * holder id. Throws {@link InputProblemsError} naming each row and field.
 */
export function validateRows(
  file: string,
  rows: readonly InputRow[],
  schema: FieldSchema,
  holderField: string | undefined,
): void {
  const problems: InputProblem[] = [];
  for (const { row, values } of rows) {
    for (const problem of schema.validate(values)) {
      problems.push({ row, field: problem.field || undefined, message: problem.message });
    }
    if (holderField === undefined) continue;
    const holder = values[holderField];
    if (holder === undefined || holder === "") {
      if (!problems.some((p) => p.row === row && p.field === holderField)) {
        problems.push({ row, field: holderField, message: "is required (it holds the holder's id)" });
      }
    }
  }
  if (problems.length > 0) {
    const rowsWithProblems = new Set(problems.map((p) => p.row)).size;
    const first = problems[0];
    throw new InputProblemsError(
      `${file}: row ${first.row}${first.field ? `, field ${first.field}` : ""}: ${first.message}` +
        (rowsWithProblems > 1 ? ` (${rowsWithProblems} rows have problems; nothing was sent)` : " (nothing was sent)"),
      problems,
    );
  }
}
