import fs from "node:fs";

import { JsonRpcProvider, Wallet } from "ethers";

import { GovChainClient } from "../../sdk/src/client";
import { GovChainError } from "../../sdk/src/errors/base";
import { isTransientRpcError, RpcUnavailableError } from "../../sdk/src/errors/chain";
import { readManifestFile } from "../../sdk/src/node/manifestFile";
import { manifestFileName, type Manifest } from "../../sdk/src/utils/manifest";
import { InputError } from "../../sdk/src/utils/validation";
import { Output } from "./output";

/** The options every command takes (commander's `optsWithGlobals()`). */
export interface GlobalOptions {
  rpc?: string;
  key?: string;
  deployment?: string;
  json?: boolean;
  verbose?: boolean;
  confirmations?: number;
}

/** What a command runs with: its options, the environment and the output. */
export class CliContext {
  readonly out: Output;
  private provider: JsonRpcProvider | undefined;
  private chainId: number | undefined;

  constructor(
    readonly options: GlobalOptions,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.out = new Output(Boolean(options.json), Boolean(options.verbose));
  }

  /** `--rpc`, else `GOVCHAIN_RPC_URL`. */
  rpcUrl(): string {
    const url = this.options.rpc ?? nonEmpty(this.env.GOVCHAIN_RPC_URL);
    if (!url) throw new InputError("no blockchain node given: pass --rpc <url> or set GOVCHAIN_RPC_URL");
    if (!/^(https?|wss?):\/\//i.test(url)) {
      throw new InputError(`--rpc ${url} is not an http(s):// or ws(s):// URL`);
    }
    return url;
  }

  /** The signing key: `--key`, else `GOVCHAIN_PRIVATE_KEY`. The key itself is never printed. */
  wallet(): Wallet {
    const key = this.options.key ?? nonEmpty(this.env.GOVCHAIN_PRIVATE_KEY);
    if (!key) throw new InputError("this command signs a transaction: pass --key <hex> or set GOVCHAIN_PRIVATE_KEY");
    const hex = key.startsWith("0x") ? key : `0x${key}`;
    if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) {
      throw new InputError("the private key (--key or GOVCHAIN_PRIVATE_KEY) must be 32 bytes of hex");
    }
    try {
      return new Wallet(hex);
    } catch {
      throw new InputError("the private key (--key or GOVCHAIN_PRIVATE_KEY) is not a valid secp256k1 key");
    }
  }

  /** A provider on the node, after checking that it answers; its chain id. */
  async connectProvider(): Promise<{ provider: JsonRpcProvider; chainId: number }> {
    if (this.provider && this.chainId !== undefined) return { provider: this.provider, chainId: this.chainId };
    const url = this.rpcUrl();
    // Each request goes to the node (no 250 ms cache): blocks come instantly on development chains.
    const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    try {
      this.chainId = await chainIdWithRetries(provider);
    } catch (error) {
      provider.destroy();
      throw new RpcUnavailableError(`the blockchain node at ${url} cannot be reached`, {
        cause: error,
        details: error instanceof Error ? error.message : String(error),
      });
    }
    this.provider = provider;
    return { provider, chainId: this.chainId };
  }

  /** The manifest file this command uses: `--deployment`, `GOVCHAIN_DEPLOYMENT`, else `deployments/<chain id>.json`. */
  async manifestPath(): Promise<string> {
    const given = this.options.deployment ?? nonEmpty(this.env.GOVCHAIN_DEPLOYMENT);
    if (given) return given;
    const { chainId } = await this.connectProvider();
    return manifestFileName(undefined, chainId);
  }

  /** The deployment manifest, read and validated. */
  async manifest(): Promise<Manifest> {
    const file = await this.manifestPath();
    if (!fs.existsSync(file)) {
      throw new InputError(`no deployment manifest at ${file}: deploy the suite first or pass --deployment <file>`);
    }
    try {
      const manifest = readManifestFile(file);
      if (!manifest) throw new Error("missing");
      return manifest;
    } catch (error) {
      throw new InputError((error as Error).message, { cause: error });
    }
  }

  /** A GovChain client on the manifest's chain; with `signer`, it signs with the configured key. */
  async client(options: { signer?: boolean } = {}): Promise<GovChainClient> {
    // The key is checked before any network access: a bad key never waits on the node.
    const wallet = options.signer ? this.wallet() : undefined;
    const manifest = await this.manifest();
    const { provider } = await this.connectProvider();
    return GovChainClient.connect({
      manifest,
      provider,
      signer: wallet?.connect(provider),
      confirmations: this.options.confirmations,
    });
  }

  /** Releases the provider so the process can exit. */
  close(): void {
    this.provider?.destroy();
    this.provider = undefined;
  }
}

/** Retries a transient failure of the first request briefly: a busy node gets a second chance, a dead one fails fast. */
async function chainIdWithRetries(provider: JsonRpcProvider, retries = 2): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return Number((await provider.getNetwork()).chainId);
    } catch (error) {
      if (attempt >= retries || !isTransientRpcError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** The signer's address of a connected client (commands that sign always have one). */
export async function accountOf(client: GovChainClient): Promise<string> {
  const account = await client.account();
  if (!account) throw new GovChainError("no signing key configured", { code: "SIGNER_REQUIRED" });
  return account;
}
