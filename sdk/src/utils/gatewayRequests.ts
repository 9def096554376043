/**
 * Pure encoders for the data-exchange gateway's signed requests and responses (EIP-712). No network, no globals:
 * the gateway, the SDK's `GatewayClient`, the CLI and the portal all use these.
 *
 * A request is signed by an operator key of the requesting agency. It names the gateway it is for (the gateway's
 * signing address), so a request made for one agency's gateway cannot be replayed at another; the domain names the
 * chain and the data-sharing registry, so it cannot be replayed on another deployment either. Each response carries
 * the gateway's EIP-712 signature over the request's hash, the HTTP status and the hash of the exact body bytes.
 */
import { getAddress, keccak256, toUtf8Bytes, TypedDataEncoder, verifyTypedData, ZeroHash } from "ethers";
import { z } from "zod";

import { addressSchema, bytes32Schema } from "./validation";

export const GATEWAY_EIP712_NAME = "GovChain Gateway";
export const GATEWAY_EIP712_VERSION = "1";

/** HTTP headers a gateway answers with: its address and its signature over the response. */
export const GATEWAY_ADDRESS_HEADER = "x-govchain-gateway";
export const GATEWAY_SIGNATURE_HEADER = "x-govchain-signature";
export const GATEWAY_REQUEST_HASH_HEADER = "x-govchain-request-hash";

/** The longest a signed request may stay valid: bounds how long the gateway must remember its nonce. */
export const MAX_REQUEST_VALIDITY_SECONDS = 600;

/** The EIP-712 domain of gateway requests: one chain, one data-sharing registry. */
export function gatewayDomain(chainId: bigint | number, dataSharingRegistry: string) {
  return {
    name: GATEWAY_EIP712_NAME,
    version: GATEWAY_EIP712_VERSION,
    chainId: BigInt(chainId),
    verifyingContract: getAddress(dataSharingRegistry),
  };
}
export type GatewayDomain = ReturnType<typeof gatewayDomain>;

/** EIP-712 types of a data request. */
export const DATA_REQUEST_TYPES = {
  DataRequest: [
    { name: "gateway", type: "address" },
    { name: "dataset", type: "uint32" },
    { name: "subject", type: "address" },
    { name: "purpose", type: "bytes32" },
    { name: "requesterAgencyId", type: "uint32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** EIP-712 types of a gateway's response signature. */
export const DATA_RESPONSE_TYPES = {
  DataResponse: [
    { name: "requestHash", type: "bytes32" },
    { name: "status", type: "uint16" },
    { name: "bodyHash", type: "bytes32" },
  ],
};

/** A data request as it is signed. */
export interface DataRequestMessage {
  /** The gateway's signing address: the request is good at that gateway only. */
  gateway: string;
  dataset: number;
  /** The data subject, or the zero address for agency-level access to a non-personal dataset. */
  subject: string;
  /** Purpose code (`purposeCode(label)`). */
  purpose: string;
  requesterAgencyId: number;
  /** Any unused number; the gateway refuses a second request from the same key with the same nonce. */
  nonce: bigint;
  /** Unix seconds (wall clock) after which the gateway refuses the request. */
  deadline: bigint;
}

const decimal = z.union([z.string().regex(/^[0-9]{1,78}$/, "must be a decimal integer"), z.number().int().min(0)]);
const UINT32_MAX = 2 ** 32 - 1;

/** The JSON body of `POST /v1/data`: the message with its integers as decimal strings, and the signature. */
export const dataRequestBodySchema = z.object({
  request: z.object({
    gateway: addressSchema,
    dataset: z.number().int().min(1).max(UINT32_MAX),
    subject: addressSchema,
    purpose: bytes32Schema,
    requesterAgencyId: z.number().int().min(1).max(UINT32_MAX),
    nonce: decimal.transform((v) => BigInt(v)),
    deadline: decimal.transform((v) => BigInt(v)),
  }),
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "must be a 65-byte hex signature"),
});
export type DataRequestBody = z.input<typeof dataRequestBodySchema>;

/** The JSON body for a signed request (integers as decimal strings, since JSON has no 256-bit numbers). */
export function encodeDataRequestBody(message: DataRequestMessage, signature: string): DataRequestBody {
  return {
    request: {
      gateway: getAddress(message.gateway),
      dataset: message.dataset,
      subject: getAddress(message.subject),
      purpose: message.purpose,
      requesterAgencyId: message.requesterAgencyId,
      nonce: message.nonce.toString(),
      deadline: message.deadline.toString(),
    },
    signature,
  };
}

/** The EIP-712 hash of a request: what its signature signs, and what the response names. */
export function hashDataRequest(domain: GatewayDomain, message: DataRequestMessage): string {
  return TypedDataEncoder.hash(domain, DATA_REQUEST_TYPES, message);
}

/** The address that signed a request (any signature recovers to some address: check it acts for the agency). */
export function recoverDataRequestSigner(
  domain: GatewayDomain,
  message: DataRequestMessage,
  signature: string,
): string {
  return verifyTypedData(domain, DATA_REQUEST_TYPES, message, signature);
}

/** The hash of a response body: keccak-256 of its exact UTF-8 bytes. It is also the receipt's `recordHash`. */
export function hashResponseBody(body: string): string {
  return keccak256(toUtf8Bytes(body));
}

/** What a gateway signs about one response. `requestHash` is zero when the request could not be parsed. */
export interface DataResponseMessage {
  requestHash: string;
  status: number;
  bodyHash: string;
}

export function dataResponseMessage(
  requestHash: string | undefined,
  status: number,
  body: string,
): DataResponseMessage {
  return { requestHash: requestHash ?? ZeroHash, status, bodyHash: hashResponseBody(body) };
}

/** The address that signed a response. */
export function recoverDataResponseSigner(
  domain: GatewayDomain,
  message: DataResponseMessage,
  signature: string,
): string {
  return verifyTypedData(domain, DATA_RESPONSE_TYPES, message, signature);
}

/** A fresh random 128-bit nonce (Web Crypto: Node 20 and every browser). */
export function randomRequestNonce(): bigint {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

/** The successful answer's body. */
export interface DataRecordResponse {
  requestHash: string;
  dataset: number;
  subject: string;
  purpose: string;
  requesterAgencyId: number;
  /** The grant that allowed it (consent or approved request; "0" for an unconditionally shared dataset). */
  grantId: string;
  record: unknown;
  updatedAt: string;
  /** The gateway's journal id of the access receipt (anchored on chain with `recordHash` = hash of this body). */
  receiptId: string;
}

/** An error answer's body. `reason` is the on-chain `AccessReason` name for a 403. */
export interface GatewayErrorBody {
  error: string;
  code: string;
  message: string;
  reason?: string;
  requestHash?: string;
}
