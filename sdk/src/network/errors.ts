/**
 * The error every network-kit function throws: a sentence a person can act on (`shortMessage`), the technical
 * `details` when there are any, and the underlying `cause`. Pure: no I/O.
 */
export class NetworkKitError extends Error {
  override readonly name = "NetworkKitError";
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage, { cause: options.cause });
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}
