export { GovChainError, type GovChainErrorOptions } from "./base";
export { DocumentError, type DocumentErrorCode } from "./document";
