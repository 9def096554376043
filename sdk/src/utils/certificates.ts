/**
 * Certificate registry codes shared by the SDK, the CLI and the portal. Pure.
 */

/** Revocation reason codes (the registry stores a `uint8`); text for people in `REVOCATION_REASONS`. */
export enum RevocationReason {
  Unspecified = 0,
  IssuedInError = 1,
  HolderRequest = 2,
  Fraud = 3,
  CourtOrder = 4,
  HolderDeceased = 5,
  ConditionsNoLongerMet = 6,
}

export const REVOCATION_REASONS: Record<number, string> = {
  [RevocationReason.Unspecified]: "unspecified",
  [RevocationReason.IssuedInError]: "issued in error",
  [RevocationReason.HolderRequest]: "at the holder's request",
  [RevocationReason.Fraud]: "obtained by fraud",
  [RevocationReason.CourtOrder]: "by court order",
  [RevocationReason.HolderDeceased]: "the holder died",
  [RevocationReason.ConditionsNoLongerMet]: "the conditions of issue are no longer met",
};

/** The text of a revocation reason code (codes the platform has not named are shown as numbers). */
export function revocationReasonText(code: number): string {
  return REVOCATION_REASONS[code] ?? `reason code ${code}`;
}

/** Parses a reason given by name (`fraud`, `issued-in-error`) or number. */
export function parseRevocationReason(input: string | number): RevocationReason | undefined {
  if (typeof input === "number") return Number.isInteger(input) && input >= 0 && input <= 255 ? input : undefined;
  if (/^\d+$/.test(input)) return parseRevocationReason(Number(input));
  const key = input.replace(/[-_\s]/g, "").toLowerCase();
  const match = Object.entries(RevocationReason).find(
    ([name, value]) => typeof value === "number" && name.toLowerCase() === key,
  );
  return match ? (match[1] as RevocationReason) : undefined;
}
