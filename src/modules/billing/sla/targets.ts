/**
 * Each tier's service levels (docs/sla.md): an availability target in basis points of calls, a p95
 * latency target at the edge in milliseconds, and the service credits a missed target earns, in
 * basis points of the period's recurring fee. Beside the tiers' rate limits (partners/profile.ts).
 * The sandbox is a test environment: it promises nothing and earns nothing.
 */

export type Tier = "sandbox" | "standard" | "enterprise";

export interface SlaTargets {
  /** Calls answered without a server-side error, of 10 000 (9950 = 99.50 %). */
  availability_bps: number;
  /** The month's 95th-percentile latency (nearest rank), at most this many ms. */
  p95_latency_ms: number;
  /** What a miss earns, of 10 000 of the period's recurring fee. */
  credits: {
    /** Availability below the target but at or above `availability_floor_bps`. */
    availability_missed_bps: number;
    /** Availability below this lower bound earns the larger credit instead. */
    availability_floor_bps: number;
    availability_below_floor_bps: number;
    /** p95 latency above the target. */
    p95_missed_bps: number;
  };
}

/** The table: null for a tier without an SLA. */
export const TIER_SLAS: Readonly<Record<Tier, SlaTargets | null>> = {
  sandbox: null,
  standard: {
    availability_bps: 9950,
    p95_latency_ms: 800,
    credits: {
      availability_missed_bps: 1000,
      availability_floor_bps: 9900,
      availability_below_floor_bps: 2500,
      p95_missed_bps: 500,
    },
  },
  enterprise: {
    availability_bps: 9990,
    p95_latency_ms: 300,
    credits: {
      availability_missed_bps: 1000,
      availability_floor_bps: 9950,
      availability_below_floor_bps: 2500,
      p95_missed_bps: 500,
    },
  },
};

export const slaOf = (tier: Tier): SlaTargets | null => TIER_SLAS[tier];
