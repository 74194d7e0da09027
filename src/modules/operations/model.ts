/**
 * Operational metrics and alerts (docs/operations.md): the vocabulary. Every rate is in basis
 * points (0–10 000, rounded down from exact integers); every latency and lag in whole milliseconds.
 */

/** What payment metrics can be grouped by: each an attribute of an attempt row. */
export const GROUP_KEYS = ["partner", "provider", "bin_country", "method"] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

/** Time buckets of a series (the console's chart). */
export const BUCKETS = ["hour", "day"] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The filters a metrics query and an alert rule can narrow the attempts by. */
export interface MetricFilters {
  partner_id?: string;
  provider?: string;
  bin_country?: string;
  method?: string;
}

/** The longest range one metrics query reads. */
export const MAX_RANGE_DAYS = 31;

export const ALERT_METRICS = [
  "approve_rate",
  "decline_rate",
  "fallback_share",
  "latency_p95_ms",
  "webhook_lag_p95_ms",
] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

/** The metrics in basis points (the others are milliseconds). */
export const RATE_METRICS: readonly AlertMetric[] = ["approve_rate", "decline_rate", "fallback_share"];
/** Webhook lag knows partners only: no provider, method or BIN country. */
export const WEBHOOK_METRICS: readonly AlertMetric[] = ["webhook_lag_p95_ms"];

export const COMPARATORS = ["below", "above"] as const;
export type Comparator = (typeof COMPARATORS)[number];

export const ALERT_STATES = ["ok", "firing"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const TRANSITIONS = ["firing", "resolved"] as const;
export type Transition = (typeof TRANSITIONS)[number];

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type Connector = { type: "sandbox" } | { type: "webhook"; url: string };

/** The hysteresis defaults: two evaluations in a row to fire, two to resolve. */
export const DEFAULT_FIRE_AFTER = 2;
export const DEFAULT_RESOLVE_AFTER = 2;
/** At most this many rules: each costs a few D1 queries a minute. */
export const MAX_RULES = 100;
/** A transition's delivery is retried on each evaluation run, this many attempts at most. */
export const MAX_DELIVERY_ATTEMPTS = 20;
/** The longest window a rule looks back over (a day). */
export const MAX_WINDOW_MINUTES = 1440;

/** A rule's condition as the evaluation sees it. */
export interface Condition {
  comparator: Comparator;
  threshold: number;
  /** Where the condition counts as cleared: at or past it (equal to `threshold` when no band). */
  resolveThreshold: number;
}

/** Whether `value` breaches the rule (strictly below / above its threshold). */
export const breaches = (c: Condition, value: number) =>
  c.comparator === "below" ? value < c.threshold : value > c.threshold;

/** Whether `value` has cleared the resolve threshold: at or above it (below) / at or below it (above). */
export const clears = (c: Condition, value: number) =>
  c.comparator === "below" ? value >= c.resolveThreshold : value <= c.resolveThreshold;

/** A rule's state and the evaluations in a row that point to the other state. */
export interface RuleState {
  state: AlertState;
  streak: number;
}

/**
 * One evaluation (docs/operations.md, hysteresis): `value` null is no data (fewer samples than the
 * rule's minimum) and changes nothing. An ok rule counts breaching evaluations in a row and fires
 * at `fireAfter`; a firing rule counts clearing evaluations in a row and resolves at
 * `resolveAfter`. Any evaluation that does not point to the other state resets the count, so a
 * value that oscillates around the threshold never completes a streak. A value between the
 * threshold and the resolve threshold neither fires an ok rule nor resolves a firing one.
 */
export function step(
  current: RuleState,
  c: Condition & { fireAfter: number; resolveAfter: number },
  value: number | null,
): RuleState & { transition?: Transition } {
  if (value === null) return current;
  if (current.state === "ok") {
    if (!breaches(c, value)) return { state: "ok", streak: 0 };
    const streak = current.streak + 1;
    return streak >= c.fireAfter
      ? { state: "firing", streak: 0, transition: "firing" }
      : { state: "ok", streak };
  }
  if (!clears(c, value)) return { state: "firing", streak: 0 };
  const streak = current.streak + 1;
  return streak >= c.resolveAfter
    ? { state: "ok", streak: 0, transition: "resolved" }
    : { state: "firing", streak };
}
