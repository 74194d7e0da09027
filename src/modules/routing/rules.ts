import type { Currency } from "../../platform/lib/money";
import type { PaymentSignals } from "../payments/model";
import type { RoutingRule, RuleConditions, RuleTarget } from "./model";

/** What the rules see of a payment: never the card number, only its signals. */
export interface RoutingFacts {
  paymentId: string;
  amount: number;
  currency: Currency;
  signals: PaymentSignals;
}

/** The providers to try, in order, and which rule chose them (its index; null: a default). */
export interface RoutePlan {
  rule: number | null;
  providers: string[];
}

export function matches(conditions: RuleConditions, facts: RoutingFacts): boolean {
  const card = facts.signals.card;
  const { bin_range, card_countries, currencies, amount, methods } = conditions;
  if (bin_range && !(card && card.first6 >= bin_range.from && card.first6 <= bin_range.to)) return false;
  if (card_countries && !(card?.country && card_countries.includes(card.country))) return false;
  if (currencies && !currencies.includes(facts.currency)) return false;
  if (amount?.min !== undefined && facts.amount < amount.min) return false;
  if (amount?.max !== undefined && facts.amount > amount.max) return false;
  if (methods && !methods.includes(facts.signals.method)) return false;
  return true;
}

/**
 * The payment's bucket 0–99 (FNV-1a of its id): the same payment always lands in the same
 * bucket, so a recovered create picks the provider its first run picked.
 */
export function bucketOf(paymentId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < paymentId.length; i++) {
    hash ^= paymentId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100;
}

/** A target's order for this payment: a split's chosen provider first, the rest of the split after it. */
export function orderOf(target: RuleTarget, paymentId: string): string[] {
  if ("provider" in target) return [target.provider];
  if ("priority" in target) return [...target.priority];
  const bucket = bucketOf(paymentId);
  let upTo = 0;
  const chosen =
    target.split.find((s) => {
      upTo += s.percent;
      return bucket < upTo;
    }) ?? target.split[target.split.length - 1];
  const rest = target.split.filter((s) => s !== chosen).map((s) => s.provider);
  return chosen ? [chosen.provider, ...rest] : rest;
}

/** The first matching rule's order; else the partner's default; else the environment's. */
export function planRoute(
  rules: readonly RoutingRule[],
  partnerDefault: readonly string[] | null,
  environmentDefault: readonly string[],
  facts: RoutingFacts,
): RoutePlan {
  const index = rules.findIndex((r) => matches(r.conditions, facts));
  const rule = rules[index];
  if (rule) return { rule: index, providers: orderOf(rule.target, facts.paymentId) };
  return { rule: null, providers: [...(partnerDefault ?? environmentDefault)] };
}
