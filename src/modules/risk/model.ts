import type { Currency } from "../../platform/lib/money";

// Risk's vocabulary (docs/risk.md): decisions, rules and their conditions, lists, and what an
// assessment records on a payment.

/** What the assessment before authorization decides, mildest first. */
export const DECISIONS = ["pass", "step_up", "hold", "block"] as const;
export type Decision = (typeof DECISIONS)[number];

export const RULE_MODES = ["active", "dry_run"] as const;
export type RuleMode = (typeof RULE_MODES)[number];

/** Numeric comparisons: the signal's value on the left, the condition's `value` on the right. */
export const COMPARISONS = ["gt", "gte", "lt", "lte", "eq"] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Whose history a velocity condition counts: the card (fingerprint), the customer, the client IP. */
export const VELOCITY_SUBJECTS = ["card", "customer", "ip"] as const;
export type VelocitySubject = (typeof VELOCITY_SUBJECTS)[number];

/** Allow and block lists decide before any rule; a watch list decides nothing alone: rules test membership. */
export const LIST_KINDS = ["allow", "block", "watch"] as const;
export type ListKind = (typeof LIST_KINDS)[number];
export const LIST_TYPES = ["bin", "country", "ip", "asn"] as const;
export type ListType = (typeof LIST_TYPES)[number];

/** The longest velocity window (7 days) and cool-off (30 days): what the velocity object keeps. */
export const MAX_WINDOW_MINUTES = 7 * 24 * 60;
export const MAX_INSTRUMENT_AGE_HOURS = 30 * 24;

/** One test a rule makes; a rule fires when all of its conditions hold. */
export type Condition =
  | { field: "amount"; op: Comparison; value: number; currency?: Currency | undefined }
  | { field: "currency"; op: "in" | "not_in"; values: Currency[] }
  | { field: "card.bin"; op: "prefix" | "not_prefix"; values: string[] }
  | { field: "card.bin"; op: "between"; from: string; to: string }
  | { field: "card.country" | "client.country"; op: "in" | "not_in"; values: string[] }
  | { field: "card.brand"; op: "in" | "not_in"; values: ("visa" | "mastercard")[] }
  | { field: "method"; op: "in" | "not_in"; values: ("card" | "bank_redirect" | "qr")[] }
  | { field: "client.ip"; op: "in_cidr" | "not_in_cidr"; values: string[] }
  | { field: "client.asn"; op: "in" | "not_in"; values: number[] }
  | {
      field: "velocity";
      subject: VelocitySubject;
      measure: "count" | "amount";
      window_minutes: number;
      op: Comparison;
      value: number;
    }
  | { field: "instrument_age_hours"; op: Comparison; value: number }
  | { field: "score"; op: Comparison; value: number }
  | { field: "list"; list: ListKind; type: ListType };

export interface Rule {
  id: string;
  object: "risk_rule";
  name: string;
  position: number;
  conditions: Condition[];
  action: Decision;
  mode: RuleMode;
  created_at: string;
  updated_at: string;
}

export interface ListEntry {
  id: string;
  object: "risk_list_entry";
  list: ListKind;
  type: ListType;
  value: string;
  created_at: string;
}

/** When the scoring service fails or is late, its partner's chosen decision stands in. */
export const FALLBACKS = ["pass", "hold", "block"] as const satisfies readonly Decision[];
export type Fallback = (typeof FALLBACKS)[number];

export interface RiskSettings {
  object: "risk_settings";
  scoring_timeout_ms: number;
  scoring_fallback: Fallback;
  updated_at: string | null;
}

export const DEFAULT_SETTINGS: Omit<RiskSettings, "updated_at"> = {
  object: "risk_settings",
  scoring_timeout_ms: 300,
  scoring_fallback: "hold",
};

/** A rule (or list entry) that fired: the deciding one, and the dry-run ones that would have. */
export interface FiredRule {
  id: string;
  name: string;
  action: Decision;
  dry_run: boolean;
  /** The score this rule needed was unavailable: `action` is the partner's fallback, not the rule's. */
  fallback: boolean;
}

export const REVIEW_STATUSES = ["open", "approved", "rejected"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** What the assessment records on the payment (`payment.risk`). */
export interface RiskOutcome {
  decision: Decision;
  score: number | null;
  /** `not_used`: no rule asked for a score; `timeout` / `failed`: the fallback applied where needed. */
  scoring: "ok" | "timeout" | "failed" | "not_used";
  rules: FiredRule[];
  review: { id: string; status: ReviewStatus; capture_on_approval: boolean } | null;
}

/** A held payment's review, as the queue lists it. */
export interface Review {
  id: string;
  object: "review";
  payment_id: string;
  status: ReviewStatus;
  decision: "hold";
  rules: FiredRule[];
  amount: number;
  currency: Currency;
  capture_on_approval: boolean;
  created_at: string;
  closed_at: string | null;
  livemode: boolean;
}

/** Velocity over one window for one subject: this payment included. */
export interface WindowTotals {
  count: number;
  amount: number;
}

/** What the velocity object answers for a payment (keys absent from the payment are absent here). */
export interface VelocityView {
  /** `subject` → `window_minutes` → totals. */
  windows: Partial<Record<VelocitySubject, Record<string, WindowTotals>>>;
  /** When the card's fingerprint was first seen (ms), this payment included; null without a card. */
  cardFirstSeenAt: number | null;
}

/** The customer a payment counts for: its saved method's customer, else `metadata.customer_reference`. */
export function customerReferenceOf(
  customer: string | null,
  metadata: Record<string, string>,
): string | null {
  return customer ?? metadata.customer_reference ?? null;
}
