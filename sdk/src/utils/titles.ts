import { AbiCoder, keccak256 } from "ethers";

/**
 * Title registry encodings, mirroring `ITitleRegistryTypes`, `ILienRegistry` and `IRestrictionRegistry`. Pure.
 */

export const BASIS_POINTS = 10_000;

export enum UnitKind {
  None = 0,
  LandParcel = 1,
  Building = 2,
  Apartment = 3,
}

export enum TitleStatus {
  None = 0,
  Active = 1,
  Retired = 2,
}

export enum RegistrationBasis {
  FirstRegistration = 0,
  Sale = 1,
  Inheritance = 2,
  CourtOrder = 3,
  Subdivision = 4,
  Merger = 5,
}

export enum LienKind {
  None = 0,
  Ordinary = 1,
  Ceiling = 2,
}

export enum LienStatus {
  None = 0,
  Consented = 1,
  Active = 2,
  DischargeAgreed = 3,
  Released = 4,
  Discharged = 5,
}

export enum SeizureStatus {
  None = 0,
  Queued = 1,
  Active = 2,
  Lifted = 3,
  Withdrawn = 4,
}

/** Mirrors `IRestrictionRegistry.NoticeStatus`. */
export enum NoticeStatus {
  None = 0,
  Open = 1,
  Confirmed = 2,
  Converted = 3,
  Cancelled = 4,
}

/** A co-owner: an account, its share in basis points, and an optional salted identity commitment. */
export interface TitleOwner {
  account: string;
  shares: number;
  identityCommitment: string;
}

/** The title id of a parcel: `uint256(keccak256(abi.encode(jurisdiction, parcelNumber)))`, as the registry computes. */
export function titleIdOf(jurisdiction: string, parcelNumber: string): bigint {
  return BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["string", "string"], [jurisdiction, parcelNumber])));
}

/** Whether shares sum to 10,000 basis points with none zero. */
export function sharesAreComplete(owners: readonly TitleOwner[]): boolean {
  return (
    owners.length > 0 &&
    owners.every((o) => o.shares > 0) &&
    owners.reduce((sum, o) => sum + o.shares, 0) === BASIS_POINTS
  );
}
