import { AccessReason } from "../../sdk/src/utils/datasharing";
import {
  GATEWAY_ADDRESS_HEADER,
  GATEWAY_REQUEST_HASH_HEADER,
  GATEWAY_SIGNATURE_HEADER,
  MAX_REQUEST_VALIDITY_SECONDS,
} from "../../sdk/src/utils/gatewayRequests";

/** The OpenAPI 3.1 description of the gateway, served at `GET /openapi.json`. */
export function openApiDocument(info: { gateway: string; agencyId: number; version: string }) {
  const error = { $ref: "#/components/schemas/Error" };
  const errorResponse = (description: string) => ({
    description,
    headers: signedHeaders,
    content: { "application/json": { schema: error } },
  });
  const signedHeaders = {
    [GATEWAY_ADDRESS_HEADER]: { description: "The gateway's signing address.", schema: { type: "string" } },
    [GATEWAY_SIGNATURE_HEADER]: {
      description:
        "EIP-712 `DataResponse(bytes32 requestHash,uint16 status,bytes32 bodyHash)` signature by the gateway " +
        "(domain as for requests); bodyHash is the keccak-256 of the exact body bytes.",
      schema: { type: "string" },
    },
    [GATEWAY_REQUEST_HASH_HEADER]: { description: "EIP-712 hash of the request answered.", schema: { type: "string" } },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "GovChain data-exchange gateway",
      version: info.version,
      description:
        `Serves the datasets of agency ${info.agencyId} to other agencies, enforcing the on-chain permissions of the ` +
        `data-sharing registry at request time, and anchoring an access receipt on chain for every answer. Gateway ` +
        `address: ${info.gateway}.`,
    },
    paths: {
      "/health": {
        get: {
          summary: "Liveness: the process is up.",
          responses: { "200": { description: "Up.", content: { "application/json": { schema: { type: "object" } } } } },
        },
      },
      "/ready": {
        get: {
          summary: "Readiness: the database and the chain both answer.",
          responses: {
            "200": {
              description: "Ready.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Ready" } } },
            },
            "503": {
              description: "The database or the chain is unreachable.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Ready" } } },
            },
          },
        },
      },
      "/v1/info": {
        get: {
          summary: "Who this gateway is: its address, agency, chain, registry and datasets (what a client signs for).",
          responses: {
            "200": {
              description: "Identity.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Info" } } },
            },
          },
        },
      },
      "/v1/data": {
        post: {
          summary: "Reads one record, if the chain allows it now.",
          description:
            "The request is an EIP-712 `DataRequest(address gateway,uint32 dataset,address subject,bytes32 purpose," +
            'uint32 requesterAgencyId,uint256 nonce,uint256 deadline)` under the domain {name: "GovChain Gateway", ' +
            'version: "1", chainId, verifyingContract: the DataSharingRegistry}, signed by an operator key of the ' +
            `requesting agency with REQUEST_DATA. The deadline is Unix seconds by the gateway's wall clock, at most ` +
            `${MAX_REQUEST_VALIDITY_SECONDS} s ahead; each (key, nonce) is accepted once. Every response is signed.`,
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/DataRequestBody" } } },
          },
          responses: {
            "200": {
              description: "The record. A receipt was journaled before this answer and is anchored on chain.",
              headers: signedHeaders,
              content: { "application/json": { schema: { $ref: "#/components/schemas/DataRecord" } } },
            },
            "400": errorResponse("Malformed request."),
            "401": errorResponse(
              "Bad, expired or replayed signature, a key that does not act for the agency, or a request for another gateway.",
            ),
            "403": errorResponse("The chain does not allow the access now; `reason` is the registry's AccessReason."),
            "404": errorResponse("This gateway does not serve the dataset, or holds no record for the subject."),
            "429": errorResponse("The requesting agency exceeded its rate limit."),
            "503": errorResponse("The chain or the database is unreachable."),
          },
        },
      },
      "/v1/subjects/{subject}/receipts": {
        get: {
          summary: "Who used this subject's data through this gateway: every journaled receipt, anchored or not.",
          parameters: [{ name: "subject", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": {
              description: "Receipts, oldest first.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: { receipts: { type: "array", items: { $ref: "#/components/schemas/Receipt" } } },
                  },
                },
              },
            },
            "400": errorResponse("Not an address."),
            "503": errorResponse("The database is unreachable."),
          },
        },
      },
    },
    components: {
      schemas: {
        DataRequestBody: {
          type: "object",
          required: ["request", "signature"],
          properties: {
            request: {
              type: "object",
              required: ["gateway", "dataset", "subject", "purpose", "requesterAgencyId", "nonce", "deadline"],
              properties: {
                gateway: { type: "string", description: "The gateway's address (GET /v1/info)." },
                dataset: { type: "integer", minimum: 1 },
                subject: { type: "string", description: "The data subject; the zero address for non-personal data." },
                purpose: { type: "string", description: "bytes32 purpose code." },
                requesterAgencyId: { type: "integer", minimum: 1 },
                nonce: { type: "string", description: "Decimal uint256." },
                deadline: { type: "string", description: "Decimal Unix seconds." },
              },
            },
            signature: { type: "string" },
          },
        },
        DataRecord: {
          type: "object",
          properties: {
            requestHash: { type: "string" },
            dataset: { type: "integer" },
            subject: { type: "string" },
            purpose: { type: "string" },
            requesterAgencyId: { type: "integer" },
            grantId: { type: "string" },
            record: {},
            updatedAt: { type: "string", format: "date-time" },
            receiptId: { type: "string" },
          },
        },
        Error: {
          type: "object",
          required: ["error", "code", "message"],
          properties: {
            error: { type: "string", description: "HTTP reason phrase." },
            code: { type: "string", description: "Stable machine-readable code." },
            message: { type: "string" },
            reason: { type: "string", enum: Object.keys(AccessReason).filter((k) => Number.isNaN(Number(k))) },
            requestHash: { type: "string" },
          },
        },
        Ready: {
          type: "object",
          properties: { ready: { type: "boolean" }, database: { type: "string" }, chain: { type: "string" } },
        },
        Info: {
          type: "object",
          properties: {
            gateway: { type: "string" },
            agencyId: { type: "integer" },
            chainId: { type: "integer" },
            dataSharingRegistry: { type: "string" },
            agencyDirectory: { type: "string" },
            datasets: { type: "array", items: { type: "integer" } },
          },
        },
        Receipt: {
          type: "object",
          properties: {
            id: { type: "string" },
            dataset: { type: "integer" },
            requesterAgencyId: { type: "integer" },
            requesterKey: { type: "string" },
            purpose: { type: "string" },
            grantId: { type: "string" },
            recordHash: { type: "string" },
            status: { type: "string", enum: ["pending", "submitted", "refused"] },
            transactionHash: { type: ["string", "null"] },
            error: { type: ["string", "null"] },
            createdAt: { type: "string", format: "date-time" },
          },
        },
      },
    },
  };
}
