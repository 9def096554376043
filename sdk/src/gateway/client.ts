import { getAddress, type Signer } from "ethers";
import { z } from "zod";

import type { GovChainClient } from "../client";
import { GovChainError } from "../errors/base";
import { ContractRevertError } from "../errors/chain";
import { Capability } from "../utils/capabilities";
import {
  DATA_REQUEST_TYPES,
  dataResponseMessage,
  encodeDataRequestBody,
  GATEWAY_ADDRESS_HEADER,
  GATEWAY_SIGNATURE_HEADER,
  gatewayDomain,
  hashDataRequest,
  hashResponseBody,
  randomRequestNonce,
  recoverDataResponseSigner,
  type DataRecordResponse,
  type DataRequestMessage,
  type GatewayDomain,
  type GatewayErrorBody,
} from "../utils/gatewayRequests";
import { addressSchema, bytes32Schema, idSchema, validate } from "../utils/validation";

/** The gateway answered with an error (its signature checked): `status`, `code` and, for a 403, the chain's reason. */
export class GatewayRequestError extends GovChainError {
  override name = "GatewayRequestError";

  constructor(
    readonly status: number,
    readonly errorCode: string,
    shortMessage: string,
    readonly reason?: string,
  ) {
    super(shortMessage, {
      code: "GATEWAY_REFUSED",
      details: `HTTP ${status} ${errorCode}${reason ? ` (${reason})` : ""}`,
    });
  }
}

/** The response did not come from the gateway the chain knows, or was altered on the way. */
export class GatewayResponseUnverifiedError extends GovChainError {
  override name = "GatewayResponseUnverifiedError";

  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { code: "GATEWAY_UNVERIFIED", details });
  }
}

/** The gateway could not be reached. */
export class GatewayUnreachableError extends GovChainError {
  override name = "GatewayUnreachableError";

  constructor(url: string, cause: unknown) {
    super(`the gateway at ${url} cannot be reached`, {
      code: "GATEWAY_UNREACHABLE",
      cause,
      details: cause instanceof Error ? cause.message : String(cause),
    });
  }
}

const infoSchema = z.object({
  gateway: addressSchema,
  agencyId: z.number().int().positive(),
  chainId: z.number().int().positive(),
  dataSharingRegistry: addressSchema,
  agencyDirectory: addressSchema,
  datasets: z.array(z.number().int().positive()),
});
export type GatewayInfo = z.infer<typeof infoSchema>;

export interface GatewayClientOptions {
  /** The gateway's base URL, e.g. `http://127.0.0.1:8081`. */
  url: string;
  /** The chain: checks that the gateway's key acts for the agency that owns the dataset. */
  chain: GovChainClient;
  /** An operator key of the requesting agency (REQUEST_DATA). */
  signer: Signer;
  requesterAgencyId: number;
  /** How long a signed request stays valid, in seconds (default 60; the gateway accepts at most 600). */
  validitySeconds?: number;
  /** Injected for tests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/** A record as the gateway released it, with what the client verified. */
export interface GatewayRecord extends DataRecordResponse {
  /** keccak-256 of the body: the `recordHash` of this access's on-chain receipt. */
  recordHash: string;
  /** The gateway's address, verified as an operator of the dataset's owner with PUBLISH_DATASETS. */
  gateway: string;
}

/**
 * Asks an agency's data-exchange gateway for a record: signs an EIP-712 `DataRequest` with an operator key of the
 * requesting agency, posts it, and accepts the answer only when it is signed by the gateway's key and that key is,
 * on chain and now, an operator of the agency that owns the dataset (PUBLISH_DATASETS).
 */
export class GatewayClient {
  private infoCache: GatewayInfo | undefined;
  private readonly owners = new Map<number, number>();
  private readonly fetch: typeof fetch;

  constructor(private readonly options: GatewayClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  private get base(): string {
    return this.options.url.replace(/\/+$/, "");
  }

  /** The gateway's identity, checked against the chain the client is connected to. */
  async info(): Promise<GatewayInfo> {
    if (this.infoCache) return this.infoCache;
    let response: Response;
    try {
      response = await this.fetch(`${this.base}/v1/info`);
    } catch (error) {
      throw new GatewayUnreachableError(this.base, error);
    }
    if (!response.ok) throw new GatewayResponseUnverifiedError(`the gateway's /v1/info answered ${response.status}`);
    const info = validate(infoSchema, await response.json(), "gateway info");
    const manifest = this.options.chain.manifest;
    if (
      info.chainId !== manifest.chainId ||
      info.dataSharingRegistry !==
        getAddress(manifest.contracts.DataSharingRegistry?.address ?? info.dataSharingRegistry)
    ) {
      throw new GatewayResponseUnverifiedError("the gateway serves another chain or deployment than this client's");
    }
    this.infoCache = info;
    return info;
  }

  private domain(info: GatewayInfo): GatewayDomain {
    return gatewayDomain(info.chainId, info.dataSharingRegistry);
  }

  /** Signs a request (exposed for tools that send it themselves). */
  async signRequest(input: {
    dataset: number;
    subject: string;
    purpose: string;
    nonce?: bigint;
    deadline?: bigint;
  }): Promise<{ message: DataRequestMessage; signature: string; requestHash: string; domain: GatewayDomain }> {
    const info = await this.info();
    const domain = this.domain(info);
    const message: DataRequestMessage = {
      gateway: info.gateway,
      dataset: validate(idSchema, input.dataset, "dataset"),
      subject: validate(addressSchema, input.subject, "subject"),
      purpose: validate(bytes32Schema, input.purpose, "purpose"),
      requesterAgencyId: validate(idSchema, this.options.requesterAgencyId, "requesterAgencyId"),
      nonce: input.nonce ?? randomRequestNonce(),
      deadline: input.deadline ?? BigInt(Math.floor(Date.now() / 1000) + (this.options.validitySeconds ?? 60)),
    };
    const signature = await this.options.signer.signTypedData(domain, DATA_REQUEST_TYPES, message);
    return { message, signature, requestHash: hashDataRequest(domain, message), domain };
  }

  /** Reads `subject`'s record of `dataset` for `purpose` (a purpose code: `purposeCode(label)`). */
  async get(input: { dataset: number; subject: string; purpose: string }): Promise<GatewayRecord> {
    const { message, signature, requestHash, domain } = await this.signRequest(input);
    return this.send(message, signature, requestHash, domain);
  }

  /** Posts a signed request and verifies the answer. */
  async send(
    message: DataRequestMessage,
    signature: string,
    requestHash: string,
    domain: GatewayDomain,
  ): Promise<GatewayRecord> {
    const info = await this.info();
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(`${this.base}/v1/data`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(encodeDataRequestBody(message, signature)),
      });
      text = await response.text();
    } catch (error) {
      throw new GatewayUnreachableError(this.base, error);
    }
    const responseSignature = response.headers.get(GATEWAY_SIGNATURE_HEADER);
    const claimed = response.headers.get(GATEWAY_ADDRESS_HEADER);
    if (!responseSignature || !claimed) {
      throw new GatewayResponseUnverifiedError(
        `the response (HTTP ${response.status}) is not signed by the gateway`,
        text,
      );
    }
    let signer: string;
    try {
      signer = recoverDataResponseSigner(
        domain,
        dataResponseMessage(requestHash, response.status, text),
        responseSignature,
      );
    } catch (error) {
      throw new GatewayResponseUnverifiedError("the response signature is malformed", String(error));
    }
    if (signer !== info.gateway) {
      throw new GatewayResponseUnverifiedError(
        `the response is signed by ${signer}, not by the gateway ${info.gateway} (altered, or for another request)`,
      );
    }
    await this.requireServingKey(info.gateway, message.dataset);
    if (!response.ok) {
      const body = JSON.parse(text) as GatewayErrorBody;
      throw new GatewayRequestError(response.status, body.code, body.message, body.reason);
    }
    const record = JSON.parse(text) as DataRecordResponse;
    if (record.requestHash !== requestHash) {
      throw new GatewayResponseUnverifiedError("the response answers another request");
    }
    return { ...record, recordHash: hashResponseBody(text), gateway: info.gateway };
  }

  /** The gateway's key must act, now, for the dataset's owner with PUBLISH_DATASETS. */
  private async requireServingKey(gateway: string, datasetId: number): Promise<void> {
    const chain = this.options.chain;
    let owner = this.owners.get(datasetId);
    if (owner === undefined) {
      try {
        owner = (await chain.dataSharing.dataset(datasetId)).ownerAgencyId;
        this.owners.set(datasetId, owner);
      } catch (error) {
        // No such dataset on chain: the gateway must then at least act for the agency it claims to serve.
        if (!(error instanceof ContractRevertError)) throw error;
        owner = (await this.info()).agencyId;
      }
    }
    if (!(await chain.directory.canAct(gateway, owner, Capability.PublishDatasets))) {
      throw new GatewayResponseUnverifiedError(
        `the gateway key ${gateway} is not an operator of agency ${owner}, which owns dataset ${datasetId}`,
      );
    }
  }
}
