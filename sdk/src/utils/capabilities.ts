/**
 * Capability bits of the agency directory, mirroring `contracts/common/Capabilities.sol`.
 * Pure data: safe in Node and in the browser.
 */
export const Capability = {
  IssueCertificates: 1 << 0,
  RegisterTitles: 1 << 1,
  HoldLiens: 1 << 2,
  FreezeTitles: 1 << 3,
  PublishDatasets: 1 << 4,
  RequestData: 1 << 5,
  AccreditAgencies: 1 << 6,
  RunServices: 1 << 7,
} as const;

export type CapabilityName = keyof typeof Capability;

/** Every capability the contracts know; any other bit is refused on chain. */
export const ALL_CAPABILITIES = Object.values(Capability).reduce((mask, bit) => mask | bit, 0);

/** Combines capability names into the mask the contracts take. */
export function capabilityMask(...names: CapabilityName[]): number {
  return names.reduce((mask, name) => mask | Capability[name], 0);
}

/** Lists the capability names present in a mask, in bit order. */
export function capabilityNames(mask: number): CapabilityName[] {
  return (Object.keys(Capability) as CapabilityName[]).filter((name) => (mask & Capability[name]) !== 0);
}

/** Agency lifecycle, mirroring `IAgencyDirectory.AgencyStatus`. */
export enum AgencyStatus {
  None = 0,
  Active = 1,
  Suspended = 2,
  Dissolved = 3,
}
