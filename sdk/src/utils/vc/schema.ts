/**
 * JSON Schemas (draft 2020-12) of the shapes VC Data Model 2.0 and Bitstring Status List v1.0 require of the
 * documents GovChain produces: the required properties and their types, as the JSON-LD context defines them.
 * For validators such as ajv; pure data.
 */

const url = { type: "string", pattern: "^[a-zA-Z][a-zA-Z0-9+.-]*:[^\\s]+$" } as const;
const dateTime = { type: "string", format: "date-time" } as const;
const context = {
  type: "array",
  minItems: 1,
  prefixItems: [{ const: "https://www.w3.org/ns/credentials/v2" }],
  items: { anyOf: [{ type: "string" }, { type: "object" }] },
} as const;
const issuer = {
  anyOf: [url, { type: "object", required: ["id"], properties: { id: url, name: { type: "string" } } }],
} as const;

/** A `BitstringStatusListEntry`. */
export const STATUS_LIST_ENTRY_JSON_SCHEMA = {
  type: "object",
  required: ["type", "statusPurpose", "statusListIndex", "statusListCredential"],
  properties: {
    id: url,
    type: { const: "BitstringStatusListEntry" },
    statusPurpose: { type: "string", minLength: 1 },
    statusListIndex: { type: "string", pattern: "^(0|[1-9][0-9]*)$" },
    statusListCredential: url,
  },
} as const;

/** A verifiable credential (VC Data Model 2.0, section 4) with GovChain's status entries. */
export const VERIFIABLE_CREDENTIAL_JSON_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "urn:govchain:schema:verifiable-credential-2.0",
  type: "object",
  required: ["@context", "type", "issuer", "credentialSubject"],
  properties: {
    "@context": context,
    id: url,
    type: { type: "array", contains: { const: "VerifiableCredential" }, items: { type: "string" } },
    name: { type: "string" },
    description: { type: "string" },
    issuer,
    validFrom: dateTime,
    validUntil: dateTime,
    credentialSubject: {
      anyOf: [
        { type: "object", minProperties: 1 },
        { type: "array", minItems: 1, items: { type: "object", minProperties: 1 } },
      ],
    },
    credentialSchema: {
      anyOf: [{ $ref: "#/$defs/typedObject" }, { type: "array", items: { $ref: "#/$defs/typedObject" } }],
    },
    credentialStatus: {
      anyOf: [STATUS_LIST_ENTRY_JSON_SCHEMA, { type: "array", minItems: 1, items: STATUS_LIST_ENTRY_JSON_SCHEMA }],
    },
  },
  $defs: {
    typedObject: { type: "object", required: ["id", "type"], properties: { id: url, type: { type: "string" } } },
  },
} as const;

/** A `BitstringStatusListCredential`: the list of at least 131,072 bits, GZIP + base64url with prefix "u". */
export const STATUS_LIST_CREDENTIAL_JSON_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "urn:govchain:schema:bitstring-status-list-credential-1.0",
  type: "object",
  required: ["@context", "id", "type", "issuer", "credentialSubject"],
  properties: {
    "@context": context,
    id: url,
    type: { type: "array", contains: { const: "BitstringStatusListCredential" }, items: { type: "string" } },
    issuer,
    validFrom: dateTime,
    validUntil: dateTime,
    credentialSubject: {
      type: "object",
      required: ["type", "statusPurpose", "encodedList"],
      properties: {
        id: url,
        type: { const: "BitstringStatusList" },
        statusPurpose: { type: "string", minLength: 1 },
        encodedList: { type: "string", pattern: "^u[A-Za-z0-9_-]+$" },
      },
    },
  },
} as const;
