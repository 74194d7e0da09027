import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { defaultPriority, providerNamesFor } from "../payments/orchestration/providers";
import { providersOf, type Routing, type RoutingRule } from "./model";
import { findRouting, partnerExists, saveRouting } from "./storage";

export interface RoutingDeps {
  db: Db;
  config: Config;
}

export interface RoutingChange {
  rules: RoutingRule[];
  default_priority: string[] | null;
}

/** The partner's routing as it applies now (the environment's default when it set none). */
export async function readRouting(deps: RoutingDeps, partnerId: string): Promise<Routing> {
  const row = await findRouting(deps.db, partnerId);
  return {
    object: "routing",
    partner_id: partnerId,
    rules: row?.rules ?? [],
    default_priority: row?.defaultPriority ?? null,
    environment_default: defaultPriority(deps.config),
    available_providers: providerNamesFor(deps.config),
    version: row?.version ?? 0,
    updated_at: row?.updatedAt ?? null,
  };
}

/**
 * Replaces a partner's routing after checking what a schema cannot: every provider named is
 * reachable here (200), splits add up to 100 with each provider once (201), ranges are ordered
 * and priority lists name each provider once (202). Answers the routing before and after.
 */
export async function replaceRouting(
  deps: RoutingDeps,
  partnerId: string,
  change: RoutingChange,
  by: string,
): Promise<{ before: Routing; after: Routing }> {
  if (!(await partnerExists(deps.db, partnerId)))
    throw new ApiError("not_found", { resource: `partner ${partnerId}` });
  const available: string[] = providerNamesFor(deps.config);
  for (const [i, rule] of change.rules.entries()) checkRule(rule, i, available);
  if (change.default_priority) checkOrder(change.default_priority, "default", available);
  const before = await readRouting(deps, partnerId);
  await saveRouting(deps.db, {
    partnerId,
    rules: change.rules,
    defaultPriority: change.default_priority,
    updatedBy: by,
    updatedAt: new Date().toISOString(),
  });
  return { before, after: await readRouting(deps, partnerId) };
}

function checkRule(rule: RoutingRule, index: number, available: string[]) {
  const label = rule.name ? `${index} (${rule.name})` : String(index);
  const { bin_range, amount } = rule.conditions;
  if (bin_range && bin_range.from > bin_range.to)
    throw new ApiError("routing_rule_invalid", { rule: label, msg: "bin_range.from is after bin_range.to" });
  if (amount?.min !== undefined && amount.max !== undefined && amount.min > amount.max)
    throw new ApiError("routing_rule_invalid", { rule: label, msg: "amount.min is above amount.max" });
  const target = rule.target;
  if ("split" in target) {
    const total = target.split.reduce((sum, s) => sum + s.percent, 0);
    const names = new Set(target.split.map((s) => s.provider));
    if (total !== 100 || names.size !== target.split.length)
      throw new ApiError("routing_split_invalid", { rule: label, total });
  }
  checkOrder(providersOf(target), label, available);
}

function checkOrder(order: string[], label: string, available: string[]) {
  for (const provider of order)
    if (!available.includes(provider))
      throw new ApiError("routing_provider_unknown", {
        rule: label,
        provider,
        available: available.join(", "),
      });
  if (new Set(order).size !== order.length)
    throw new ApiError("routing_rule_invalid", { rule: label, msg: "a provider is listed twice" });
}
