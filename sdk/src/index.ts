/**
 * The GovChain SDK. Pure helpers (`utils`) work anywhere; the client talks to a node over JSON-RPC.
 * Node-only helpers (manifest files, network kit file writers) are imported from `sdk/src/node` and
 * `sdk/src/network` directly, so a browser bundle never pulls them in.
 */
export * from "./errors";
export * from "./utils/capabilities";
export * from "./utils/certificates";
export * from "./utils/datasharing";
export * from "./utils/documents";
export * from "./utils/manifest";
export * from "./utils/titles";
export * from "./utils/vc";
export * from "./utils/validation";
export * from "./utils/gatewayRequests";
export { getLogsPaged, DEFAULT_MAX_LOG_RANGE, type LogPagingOptions } from "./chain/logs";
export {
  TransactionSender,
  TransactionFailedError,
  feeOverridesFor,
  withGasHeadroom,
  type TransactionSenderOptions,
} from "./chain/transactions";
export { GovChainClient, NotDeployedError, type ConnectOptions } from "./client";
export { SignerRequiredError } from "./contracts/base";
export { CertificatesClient, type CertificateEvent, type CertificateVerification } from "./contracts/certificates";
export {
  DataSharingClient,
  type AccessReceipt,
  type ConsentRecord,
  type Dataset,
  type DatasetInput,
} from "./contracts/datasharing";
export { DirectoryClient, type Agency, type OperatorKeyInfo } from "./contracts/directory";
export { RegistryCertificateReader } from "./contracts/reader";
export {
  TitlesClient,
  type Title,
  type TitleHistoryEntry,
  type TitleLien,
  type TitleSeizure,
} from "./contracts/titles";
export { deploySuite, type DeploySuiteOptions, type DeploySuiteResult } from "./deploy/suite";
export {
  GatewayClient,
  GatewayRequestError,
  GatewayResponseUnverifiedError,
  GatewayUnreachableError,
  type GatewayClientOptions,
  type GatewayInfo,
  type GatewayRecord,
} from "./gateway/client";
