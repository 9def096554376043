import type { BaseContract, Interface, Provider, Signer, TransactionReceipt } from "ethers";

import {
  AgencyDirectory__factory,
  CertificateRegistry__factory,
  DataSharingRegistry__factory,
  ILienRegistry__factory,
  IParcelLineage__factory,
  IRestrictionRegistry__factory,
  ITitleRegistry__factory,
} from "../../../typechain-types";
import { getLogsPaged } from "../chain/logs";
import { TransactionSender } from "../chain/transactions";
import { GovChainError } from "../errors/base";
import { decodeChainError } from "../errors/chain";

/** Every custom error any GovChain contract can raise, so a revert is decoded whichever contract raised it. */
export const GOVCHAIN_INTERFACES: readonly Interface[] = [
  AgencyDirectory__factory.createInterface(),
  CertificateRegistry__factory.createInterface(),
  DataSharingRegistry__factory.createInterface(),
  ITitleRegistry__factory.createInterface(),
  ILienRegistry__factory.createInterface(),
  IRestrictionRegistry__factory.createInterface(),
  IParcelLineage__factory.createInterface(),
];

/** What every contract client shares: the provider, an optional sender, and where log scans start. */
export interface ClientContext {
  provider: Provider;
  sender?: TransactionSender;
  /** Largest `eth_getLogs` range (Besu's default cap is 5,000 blocks). */
  maxLogRange: number;
  /** Extra interfaces whose errors should be decoded (registered by clients added later). */
  interfaces: readonly Interface[];
}

/** A read-only call or a write needs a signer. */
export class SignerRequiredError extends GovChainError {
  override name = "SignerRequiredError";

  constructor(action: string) {
    super(`${action} sends a transaction: connect the client with a signer (a private key)`, {
      code: "SIGNER_REQUIRED",
    });
  }
}

/**
 * One thin class per contract (as eas-sdk does): reads go straight to the contract, writes go through the
 * transaction sender, and every failure comes back as a typed GovChain error.
 */
export abstract class ContractClient<C extends BaseContract> {
  protected constructor(
    protected readonly context: ClientContext,
    readonly contract: C,
    readonly address: string,
    readonly deploymentBlock: number,
  ) {}

  protected get signer(): Signer | undefined {
    return this.context.sender?.signer;
  }

  /** Runs a read, turning a revert into a typed error. */
  protected async read<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw decodeChainError(error, this.context.interfaces);
    }
  }

  /** Sends `method(args)` and waits for its receipt; refusals come back decoded by name. */
  protected async write(method: string, args: readonly unknown[]): Promise<TransactionReceipt> {
    const sender = this.context.sender;
    if (!sender) throw new SignerRequiredError(method);
    const data = this.contract.interface.encodeFunctionData(method, args);
    try {
      return await sender.send({ to: this.address, data });
    } catch (error) {
      throw decodeChainError(error, this.context.interfaces);
    }
  }

  /** The first `eventName` log of this contract in a receipt, decoded. */
  protected eventIn(receipt: TransactionReceipt, eventName: string): Record<string, unknown> & unknown[] {
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== this.address.toLowerCase()) continue;
      const parsed = this.contract.interface.parseLog(log);
      if (parsed?.name === eventName) return parsed.args as unknown as Record<string, unknown> & unknown[];
    }
    throw new GovChainError(`the transaction did not emit ${eventName}`, { code: "MISSING_EVENT" });
  }

  /** Every `eventName` log of this contract matching `topics`, from its deployment block, paged. */
  protected async events(
    eventName: string,
    topics: readonly (string | null)[] = [],
  ): Promise<
    { args: Record<string, unknown> & unknown[]; blockNumber: number; transactionHash: string; logIndex: number }[]
  > {
    const fragment = this.contract.interface.getEvent(eventName);
    if (!fragment) throw new GovChainError(`unknown event ${eventName}`, { code: "UNKNOWN_EVENT" });
    const logs = await this.read(() =>
      getLogsPaged(
        this.context.provider,
        { address: this.address, topics: [fragment.topicHash, ...topics] },
        { fromBlock: this.deploymentBlock, maxRange: this.context.maxLogRange },
      ),
    );
    return logs.map((log) => ({
      args: this.contract.interface.parseLog(log)!.args as unknown as Record<string, unknown> & unknown[],
      blockNumber: log.blockNumber,
      transactionHash: log.transactionHash,
      logIndex: log.index,
    }));
  }
}
