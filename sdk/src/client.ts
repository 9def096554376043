import { JsonRpcProvider, type Provider, type Signer } from "ethers";

import { feeOverridesFor, TransactionSender, type TransactionSenderOptions } from "./chain/transactions";
import { CertificatesClient } from "./contracts/certificates";
import { GOVCHAIN_INTERFACES, type ClientContext } from "./contracts/base";
import { DataSharingClient } from "./contracts/datasharing";
import { DirectoryClient } from "./contracts/directory";
import { RegistryCertificateReader } from "./contracts/reader";
import { TitlesClient } from "./contracts/titles";
import { GovChainError } from "./errors/base";
import { isTransientRpcError, RpcUnavailableError, WrongChainError } from "./errors/chain";
import { DEFAULT_MAX_LOG_RANGE } from "./chain/logs";
import { verify, type VerificationResult } from "./utils/documents/verify";
import type { Manifest, SuiteContractName } from "./utils/manifest";

export interface ConnectOptions {
  /** The deployment manifest (`deployments/<network>.json`). */
  manifest: Manifest;
  /** A provider, or an RPC URL to make one. */
  provider?: Provider;
  rpcUrl?: string;
  /** Signs writes; without it the client is read-only. Connected to the provider if it is not already. */
  signer?: Signer;
  /** Blocks to wait after each transaction. */
  confirmations?: number;
  /** Fee fields for every transaction; detected from the chain when omitted (free gas → `gasPrice: 0`). */
  fees?: TransactionSenderOptions["fees"];
  /** Largest `eth_getLogs` range. */
  maxLogRange?: number;
  /** Attempts for transient RPC failures. */
  retries?: number;
}

/** Asks the node for its chain id, retrying transient failures (a dropped keep-alive socket, a busy node). */
async function chainIdWithRetries(provider: Provider, retries: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return Number((await provider.getNetwork()).chainId);
    } catch (error) {
      if (attempt >= retries || !isTransientRpcError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}

/** The manifest lacks a contract the caller needs. */
export class NotDeployedError extends GovChainError {
  override name = "NotDeployedError";

  constructor(contract: SuiteContractName, network: string) {
    super(`${contract} is not deployed on ${network} according to the deployment manifest`, { code: "NOT_DEPLOYED" });
  }
}

/**
 * The GovChain client: one object per chain and signer, with a thin client per registry. Works in Node and in the
 * browser (with a browser wallet's signer, or read-only).
 */
export class GovChainClient {
  private constructor(
    readonly manifest: Manifest,
    readonly provider: Provider,
    private readonly context: ClientContext,
  ) {}

  /** Connects to the chain the manifest names; fails clearly when it is unreachable or another chain. */
  static async connect(options: ConnectOptions): Promise<GovChainClient> {
    const provider =
      options.provider ??
      (options.rpcUrl
        ? // Each request goes to the node: ethers' 250 ms cache hands out stale nonces when blocks come instantly.
          new JsonRpcProvider(options.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 })
        : undefined);
    if (!provider) throw new GovChainError("give a provider or an RPC URL", { code: "NO_PROVIDER" });
    let chainId: number;
    try {
      chainId = await chainIdWithRetries(provider, options.retries ?? 4);
    } catch (error) {
      throw new RpcUnavailableError(
        `the blockchain node${options.rpcUrl ? ` at ${options.rpcUrl}` : ""} cannot be reached`,
        {
          cause: error,
          details: error instanceof Error ? error.message : String(error),
        },
      );
    }
    if (chainId !== options.manifest.chainId) throw new WrongChainError(options.manifest.chainId, chainId);
    let sender: TransactionSender | undefined;
    if (options.signer) {
      const signer = options.signer.provider ? options.signer : options.signer.connect(provider);
      sender = new TransactionSender(signer, {
        confirmations: options.confirmations,
        retries: options.retries,
        fees: options.fees ?? (await feeOverridesFor(provider)),
      });
    }
    return new GovChainClient(options.manifest, provider, {
      provider,
      sender,
      maxLogRange: options.maxLogRange ?? DEFAULT_MAX_LOG_RANGE,
      interfaces: GOVCHAIN_INTERFACES,
    });
  }

  /** The signer's address, when the client has one. */
  async account(): Promise<string | undefined> {
    return this.context.sender?.signer.getAddress();
  }

  private entry(name: SuiteContractName) {
    const entry = this.manifest.contracts[name];
    if (!entry) throw new NotDeployedError(name, this.manifest.network);
    return entry;
  }

  private cache = new Map<SuiteContractName, unknown>();

  private client<T>(name: SuiteContractName, make: (address: string, block: number) => T): T {
    if (!this.cache.has(name)) {
      const { address, deploymentBlock } = this.entry(name);
      this.cache.set(name, make(address, deploymentBlock));
    }
    return this.cache.get(name) as T;
  }

  get directory(): DirectoryClient {
    return this.client("AgencyDirectory", (a, b) => new DirectoryClient(this.context, a, b));
  }

  get certificates(): CertificatesClient {
    return this.client("CertificateRegistry", (a, b) => new CertificatesClient(this.context, a, b));
  }

  get dataSharing(): DataSharingClient {
    return this.client("DataSharingRegistry", (a, b) => new DataSharingClient(this.context, a, b));
  }

  get titles(): TitlesClient {
    return this.client("TitleRegistry", (address, deploymentBlock) => {
      const companion = (name: SuiteContractName) => {
        const { address: a, deploymentBlock: b } = this.entry(name);
        return { address: a, deploymentBlock: b };
      };
      return new TitlesClient(
        this.context,
        { address, deploymentBlock },
        {
          liens: companion("LienRegistry"),
          restrictions: companion("RestrictionRegistry"),
          lineage: companion("ParcelLineage"),
        },
      );
    });
  }

  /** What `verify` reads from this chain. */
  certificateReader(): RegistryCertificateReader {
    return new RegistryCertificateReader(this.manifest.chainId, this.certificates, this.directory);
  }

  /** Verifies a wrapped certificate (or anything claiming to be one) against this chain; never throws for bad input. */
  verifyCertificate(input: unknown): Promise<VerificationResult> {
    return verify(input, this.certificateReader());
  }
}
