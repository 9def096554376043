import { GovChainError } from "../errors/base";

/**
 * The error every network-kit function throws: a sentence a person can act on (`shortMessage`), the technical
 * `details` when there are any, and the underlying `cause`. Pure: no I/O.
 */
export class NetworkKitError extends GovChainError {
  override readonly name = "NetworkKitError";

  constructor(shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(shortMessage, { ...options, code: "NETWORK_KIT" });
  }
}
