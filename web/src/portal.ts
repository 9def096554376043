import { GovChainClient } from "../../sdk/src/client";
import type { CertificateEvent } from "../../sdk/src/contracts/certificates";
import type { Agency } from "../../sdk/src/contracts/directory";
import type { Dataset } from "../../sdk/src/contracts/datasharing";
import { purposeCode } from "../../sdk/src/utils/datasharing";
import type { VerificationResult } from "../../sdk/src/utils/documents/verify";
import type { PortalConfig } from "./config";

/** A certificate event with the time of its block. */
export type TimedEvent = CertificateEvent & { timestamp: number };

/**
 * The page's connection to the chain: the SDK client (read-only: the page holds no keys) and memoised reads, so
 * that re-rendering a view (after a language switch, say) does not read the chain again.
 */
export class Portal {
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly purposes: Map<string, string>;

  private constructor(
    readonly config: PortalConfig,
    readonly client: GovChainClient,
  ) {
    this.purposes = new Map(config.purposeLabels.map((label) => [purposeCode(label), label]));
  }

  static async connect(config: PortalConfig): Promise<Portal> {
    return new Portal(config, await GovChainClient.connect({ manifest: config.manifest, rpcUrl: config.rpcUrl }));
  }

  private cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    let value = this.memo.get(key) as Promise<T> | undefined;
    if (value === undefined) {
      value = read();
      // A failed read is not remembered: the next render tries again.
      value.catch(() => this.memo.delete(key));
      this.memo.set(key, value);
    }
    return value;
  }

  /** Forgets reads whose key starts with `prefix` (after the page changed the chain through a relay). */
  forget(prefix: string): void {
    for (const key of [...this.memo.keys()]) if (key.startsWith(prefix)) this.memo.delete(key);
  }

  /** Whether the manifest lists a contract (the title registry arrives later than the others). */
  has(contract: string): boolean {
    return contract in this.config.manifest.contracts;
  }

  verify(document: unknown): Promise<VerificationResult> {
    return this.cached(`verify:${JSON.stringify(document)}`, () => this.client.verifyCertificate(document));
  }

  agency(agencyId: number): Promise<Agency | undefined> {
    return this.cached(`agency:${agencyId}`, () => this.client.directory.agency(agencyId));
  }

  agencies(): Promise<Agency[]> {
    return this.cached("agencies", () => this.client.directory.agencies());
  }

  certificateTypeName(typeId: number): Promise<string | undefined> {
    return this.cached(`type:${typeId}`, async () => (await this.client.certificates.certificateType(typeId))?.name);
  }

  verification(certificateId: string) {
    return this.cached(`verification:${certificateId}`, () => this.client.certificates.verification(certificateId));
  }

  /** A certificate's events, each with its block's time. */
  history(certificateId: string): Promise<TimedEvent[]> {
    return this.cached(`history:${certificateId}`, async () => {
      const events = await this.client.certificates.history(certificateId);
      return Promise.all(
        events.map(async (event) => ({ ...event, timestamp: await this.blockTime(event.blockNumber) })),
      );
    });
  }

  blockTime(blockNumber: number): Promise<number> {
    return this.cached(`block:${blockNumber}`, async () => {
      const block = await this.client.provider.getBlock(blockNumber);
      return block?.timestamp ?? 0;
    });
  }

  /** The chain's current time (not the visitor's clock). */
  now(): Promise<number> {
    return this.client.directory.latestTimestamp();
  }

  dataset(datasetId: number): Promise<Dataset | undefined> {
    return this.cached(`dataset:${datasetId}`, () => this.client.dataSharing.dataset(datasetId).catch(() => undefined));
  }

  datasets(): Promise<Dataset[]> {
    return this.cached("datasets", () => this.client.dataSharing.datasets());
  }

  consentsOf(subject: string) {
    return this.cached(`subject:consents:${subject.toLowerCase()}`, () => this.client.dataSharing.consentsOf(subject));
  }

  receiptsOf(subject: string) {
    return this.cached(`subject:receipts:${subject.toLowerCase()}`, () => this.client.dataSharing.receiptsOf(subject));
  }

  /** A purpose's label when the configuration names it, else undefined (the page then shows the code). */
  purposeLabel(code: string): string | undefined {
    return this.purposes.get(code.toLowerCase());
  }
}
