import { GovChainError } from "./base";

/** Why a certificate document was refused. */
export type DocumentErrorCode =
  /** The document or wrapped certificate does not follow the format (the message names the field). */
  | "INVALID_DOCUMENT"
  /** A value cannot be canonicalised as JSON (NaN, Infinity, a lone surrogate, a non-plain object...). */
  | "INVALID_JSON_VALUE"
  /** A field path given to `disclose` is not in the certificate. */
  | "FIELD_NOT_FOUND"
  /** A field path given to `disclose` names a field that must stay visible for the certificate to verify. */
  | "FIELD_NOT_HIDEABLE"
  /** A field has to be disclosed for this operation (for example the holder id for a holder proof). */
  | "FIELD_HIDDEN"
  /** The certificate does not pass its integrity check, so it cannot be processed further. */
  | "INTEGRITY_FAILED"
  /** A batch cannot be built (empty, or documents for different chains or registries). */
  | "INVALID_BATCH"
  /** A salt is not 32 bytes. */
  | "INVALID_SALT";

/** A certificate document (plain or wrapped) was malformed or could not be processed. */
export class DocumentError extends GovChainError {
  override name = "DocumentError";
  declare readonly code: DocumentErrorCode;

  constructor(code: DocumentErrorCode, shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(shortMessage, { ...options, code });
  }
}
