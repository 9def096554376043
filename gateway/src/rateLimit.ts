/**
 * Requests per requesting agency, as token buckets: each agency may burst up to a minute's allowance and refills
 * continuously. In memory, per gateway process (each agency runs its own gateway; a fleet behind a load balancer
 * would share the limit through the database or a proxy instead).
 */
export class AgencyRateLimiter {
  private readonly buckets = new Map<number, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** Takes one token for `agencyId`; false when the agency is over its limit. */
  take(agencyId: number): boolean {
    const now = this.clock();
    const bucket = this.buckets.get(agencyId) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    bucket.at = now;
    this.buckets.set(agencyId, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
