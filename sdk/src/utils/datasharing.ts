/**
 * Pure encoders for the data-sharing registry, mirroring `contracts/libraries/Requester.sol` and
 * `contracts/interfaces/IDataSharingRegistry.sol`. No network, no globals: safe in Node and in the browser.
 */
import { getAddress, keccak256, toUtf8Bytes, ZeroAddress } from "ethers";

const AGENCY_SHIFT = 160n;
const ACCOUNT_MASK = (1n << AGENCY_SHIFT) - 1n;
const AGENCY_MASK = (1n << 32n) - 1n;

/** The `Requester` word naming an agency of the directory (any of its operators acts for it). */
export function agencyRequester(agencyId: bigint | number): bigint {
  const id = BigInt(agencyId);
  if (id <= 0n || id > AGENCY_MASK) throw new RangeError(`agency id out of range: ${id}`);
  return id << AGENCY_SHIFT;
}

/** The `Requester` word naming an enterprise account (only that account acts for it). */
export function enterpriseRequester(account: string): bigint {
  const address = getAddress(account);
  if (address === ZeroAddress) throw new RangeError("an enterprise requester cannot be the zero address");
  return BigInt(address);
}

/** Splits a `Requester` word into its agency id (0 for an enterprise) and account (zero address for an agency). */
export function decodeRequester(requester: bigint): { agencyId: number; account: string } {
  return {
    agencyId: Number((requester >> AGENCY_SHIFT) & AGENCY_MASK),
    account: getAddress("0x" + (requester & ACCOUNT_MASK).toString(16).padStart(40, "0")),
  };
}

/** The on-chain code of a purpose: the keccak-256 of its label from the platform's purpose list. */
export function purposeCode(label: string): string {
  return keccak256(toUtf8Bytes(label));
}

/** Mirrors `IDataSharingRegistry.Sensitivity`. */
export enum Sensitivity {
  Public = 0,
  Internal = 1,
  Personal = 2,
  SensitivePersonal = 3,
}

/** Mirrors `IDataSharingRegistry.SharingCategory`. */
export enum SharingCategory {
  Unconditional = 0,
  Conditional = 1,
  NotShared = 2,
}

/** Mirrors `IDataSharingRegistry.GrantState`. */
export enum GrantState {
  None = 0,
  Active = 1,
  Revoked = 2,
  Consumed = 3,
}

/** Mirrors `IDataSharingRegistry.RequestStatus`. */
export enum RequestStatus {
  None = 0,
  Pending = 1,
  Approved = 2,
  Denied = 3,
  Revoked = 4,
}

/** Mirrors `IDataSharingRegistry.AccessReason`: why `checkAccess` answered as it did. */
export enum AccessReason {
  Allowed = 0,
  UnknownDataset = 1,
  DatasetWithdrawn = 2,
  InvalidRequester = 3,
  SubjectNotApplicable = 4,
  OwnerInactive = 5,
  RequesterInactive = 6,
  NotShared = 7,
  PurposeNotAllowed = 8,
  NoPermission = 9,
  Expired = 10,
  Revoked = 11,
  Consumed = 12,
}

/** EIP-712 domain name and version of the registry (constants in the contract). */
export const DATA_SHARING_EIP712_NAME = "GovChain DataSharingRegistry";
export const DATA_SHARING_EIP712_VERSION = "1";

/** The EIP-712 domain a consent is signed under: one chain, one registry proxy. */
export function dataSharingDomain(chainId: bigint | number, verifyingContract: string) {
  return {
    name: DATA_SHARING_EIP712_NAME,
    version: DATA_SHARING_EIP712_VERSION,
    chainId: BigInt(chainId),
    verifyingContract: getAddress(verifyingContract),
  };
}

/** EIP-712 types of a signed consent (`ConsentGrant`). */
export const CONSENT_GRANT_TYPES = {
  ConsentGrant: [
    { name: "subject", type: "address" },
    { name: "requester", type: "uint192" },
    { name: "datasetId", type: "uint32" },
    { name: "purpose", type: "bytes32" },
    { name: "expiresAt", type: "uint40" },
    { name: "singleUse", type: "bool" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** EIP-712 types of a signed revocation (`ConsentRevocation`). */
export const CONSENT_REVOCATION_TYPES = {
  ConsentRevocation: [
    { name: "subject", type: "address" },
    { name: "requester", type: "uint192" },
    { name: "datasetId", type: "uint32" },
    { name: "purpose", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** A consent as the subject signs it. */
export interface ConsentGrantMessage {
  subject: string;
  requester: bigint;
  datasetId: bigint | number;
  purpose: string;
  expiresAt: bigint | number;
  singleUse: boolean;
  nonce: bigint | number;
  deadline: bigint | number;
}

/** A revocation as the subject signs it. */
export interface ConsentRevocationMessage {
  subject: string;
  requester: bigint;
  datasetId: bigint | number;
  purpose: string;
  nonce: bigint | number;
  deadline: bigint | number;
}
