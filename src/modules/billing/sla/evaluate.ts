import type { SlaMeasurement } from "./measure";
import type { SlaTargets } from "./targets";

/** A target's outcome: met, missed, no target (a tier without an SLA), or no calls to measure. */
export type SlaStatus = "met" | "missed" | "no_target" | "not_measured";

export interface SlaVerdict {
  availability: { status: SlaStatus; credit_bps: number };
  p95_latency: { status: SlaStatus; credit_bps: number };
  /** Both credits together, of 10 000 of the period's recurring fee. */
  credit_bps: number;
}

/**
 * Measured against the targets (docs/sla.md, credits): availability below its target earns the
 * smaller credit, below the lower bound the larger one (not both); p95 above its target earns its
 * own. A span without counted calls breaches nothing.
 */
export function evaluateSla(targets: SlaTargets | null, m: SlaMeasurement): SlaVerdict {
  if (targets === null) {
    const none = { status: "no_target" as const, credit_bps: 0 };
    return { availability: none, p95_latency: none, credit_bps: 0 };
  }
  const availability =
    m.availability_bps === null
      ? { status: "not_measured" as const, credit_bps: 0 }
      : m.availability_bps >= targets.availability_bps
        ? { status: "met" as const, credit_bps: 0 }
        : {
            status: "missed" as const,
            credit_bps:
              m.availability_bps < targets.credits.availability_floor_bps
                ? targets.credits.availability_below_floor_bps
                : targets.credits.availability_missed_bps,
          };
  const p95 =
    m.p95_latency_ms === null
      ? { status: "not_measured" as const, credit_bps: 0 }
      : m.p95_latency_ms <= targets.p95_latency_ms
        ? { status: "met" as const, credit_bps: 0 }
        : { status: "missed" as const, credit_bps: targets.credits.p95_missed_bps };
  return { availability, p95_latency: p95, credit_bps: availability.credit_bps + p95.credit_bps };
}
