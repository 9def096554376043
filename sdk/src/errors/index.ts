export { GovChainError, type GovChainErrorOptions } from "./base";
export { DocumentError, type DocumentErrorCode } from "./document";
export {
  ContractRevertError,
  RpcUnavailableError,
  WrongChainError,
  decodeChainError,
  describeRevert,
  isTransientRpcError,
  revertDataOf,
} from "./chain";
