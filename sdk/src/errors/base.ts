/** Options every GovChain error takes. */
export interface GovChainErrorOptions {
  /** A stable, machine-readable code (`SCREAMING_SNAKE_CASE`), for programs that branch on the failure. */
  code?: string;
  /** Technical details for logs and `--verbose` output; not meant for the person at the counter. */
  details?: string;
  /** The error that caused this one, when there is one. */
  cause?: unknown;
}

/**
 * The base class of every error the GovChain SDK throws. `shortMessage` is one sentence a person can read;
 * `details` carries the technical context and `cause` the underlying error. `message` combines the first two so
 * that a plain `console.error(err)` is still useful.
 *
 * Pure: no I/O, safe in the browser.
 */
export class GovChainError extends Error {
  override name = "GovChainError";
  /** A stable, machine-readable code. */
  readonly code: string;
  /** One readable sentence saying what went wrong. */
  readonly shortMessage: string;
  /** Technical details, when there are any. */
  readonly details: string | undefined;

  constructor(shortMessage: string, options: GovChainErrorOptions = {}) {
    super(options.details === undefined ? shortMessage : `${shortMessage}\n\nDetails: ${options.details}`, {
      cause: options.cause,
    });
    this.code = options.code ?? "GOVCHAIN_ERROR";
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}
