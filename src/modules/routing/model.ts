import type { Currency } from "../../platform/lib/money";

export const ROUTABLE_METHODS = ["card", "bank_redirect", "qr"] as const;
export type RoutableMethod = (typeof ROUTABLE_METHODS)[number];

/** What a rule asks of a payment; every condition given must hold, an absent one holds always. */
export interface RuleConditions {
  /** Inclusive range of the card's first six digits (`card.first6`); a payment without a card never matches. */
  bin_range?: { from: string; to: string };
  /** The card's issuing country (ISO 3166-1 alpha-2); a card of unknown country never matches. */
  card_countries?: string[];
  currencies?: Currency[];
  /** Inclusive band of the amount in minor units. */
  amount?: { min?: number; max?: number };
  methods?: RoutableMethod[];
}

/**
 * Where a matching payment goes: one provider (no fallback), a percentage split (the payment's
 * id picks the first, the others follow as fallbacks) or a priority list (fallback in order).
 */
export type RuleTarget =
  | { provider: string }
  | { split: { provider: string; percent: number }[] }
  | { priority: string[] };

export interface RoutingRule {
  /** The partner's own label for the rule, shown in answers and the audit log. */
  name?: string;
  conditions: RuleConditions;
  target: RuleTarget;
}

/** A partner's routing (docs/orchestration.md): rules in order, the first match wins; then its default. */
export interface Routing {
  object: "routing";
  partner_id: string;
  rules: RoutingRule[];
  /** The partner's own order when no rule matches; null: the environment's. */
  default_priority: string[] | null;
  /** The environment's order, used when no rule matches and the partner set no default. */
  environment_default: string[];
  /** The providers this environment can reach. */
  available_providers: string[];
  /** Counts the changes; 0 for a partner that never had rules. */
  version: number;
  updated_at: string | null;
}

/** The providers a target names, in its order (a split's in the order listed). */
export function providersOf(target: RuleTarget): string[] {
  if ("provider" in target) return [target.provider];
  if ("split" in target) return target.split.map((s) => s.provider);
  return [...target.priority];
}
