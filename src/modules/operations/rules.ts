import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { uuidv7 } from "../../platform/lib/ids";
import { sealSecret } from "../../platform/lib/secret-box";
import { urlPolicy } from "../webhooks/delivery";
import { newSymmetricSecret } from "../webhooks/signing";
import { checkWebhookUrl } from "../webhooks/url";
import {
  type AlertMetric,
  type Comparator,
  type Connector,
  DEFAULT_FIRE_AFTER,
  DEFAULT_RESOLVE_AFTER,
  MAX_RULES,
  type MetricFilters,
  RATE_METRICS,
  WEBHOOK_METRICS,
} from "./model";
import {
  type AlertRuleRow,
  countRules,
  deleteRule,
  findRule,
  insertRule,
  listRules,
  updateRule,
} from "./storage";

/** The alert rules (docs/operations.md, alert rules): validation, create, read, change, delete. */

export interface RuleInput {
  name: string;
  metric: AlertMetric;
  filters: MetricFilters;
  comparator: Comparator;
  threshold: number;
  resolve_threshold?: number | undefined;
  window_minutes: number;
  min_samples: number;
  fire_after?: number | undefined;
  resolve_after?: number | undefined;
  connector: Connector;
}

export type RulePatch = Partial<
  Pick<
    RuleInput,
    | "name"
    | "threshold"
    | "resolve_threshold"
    | "window_minutes"
    | "min_samples"
    | "fire_after"
    | "resolve_after"
  >
>;

/** The largest threshold of a millisecond metric: an hour. */
const MAX_MS = 3_600_000;

/** The thresholds fit the metric's scale, and the resolve threshold lies on the clear side (code 231). */
function checkThresholds(
  metric: AlertMetric,
  comparator: Comparator,
  threshold: number,
  resolve: number,
  filters: MetricFilters,
) {
  const max = RATE_METRICS.includes(metric) ? 10_000 : MAX_MS;
  const unit = RATE_METRICS.includes(metric) ? "basis points" : "ms";
  const refuse = (detail: string) => {
    throw new ApiError("alert_threshold_invalid", { detail }, { field: "params.threshold" });
  };
  if (threshold > max || resolve > max) refuse(`${metric} is in ${unit}, at most ${max}`);
  if (comparator === "below" && resolve < threshold)
    refuse("with `below`, resolve_threshold must be at or above threshold");
  if (comparator === "above" && resolve > threshold)
    refuse("with `above`, resolve_threshold must be at or below threshold");
  if (WEBHOOK_METRICS.includes(metric) && (filters.provider || filters.method || filters.bin_country))
    refuse(`${metric} is narrowed by partner_id only`);
}

export function ruleView(row: AlertRuleRow) {
  return {
    id: row.id,
    object: "alert_rule" as const,
    name: row.name,
    metric: row.metric as AlertMetric,
    filters: row.filters,
    comparator: row.comparator as Comparator,
    threshold: row.threshold,
    resolve_threshold: row.resolveThreshold,
    window_minutes: row.windowMinutes,
    min_samples: row.minSamples,
    fire_after: row.fireAfter,
    resolve_after: row.resolveAfter,
    connector:
      row.connectorType === "webhook"
        ? { type: "webhook" as const, url: row.connectorUrl ?? "" }
        : { type: "sandbox" as const },
    state: row.state as "ok" | "firing",
    state_since: row.stateSince,
    streak: row.streak,
    last_value: row.lastValue,
    last_samples: row.lastSamples,
    last_evaluated_at: row.lastEvaluatedAt,
    created_by: row.createdBy,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
export type RuleView = ReturnType<typeof ruleView>;

/** A webhook connector's URL, checked by the same SSRF guard as partners' endpoints (code 232). */
function connectorUrl(config: Config, url: string) {
  const verdict = checkWebhookUrl(url, urlPolicy(config, []));
  if (!verdict.ok)
    throw new ApiError(
      "alert_connector_url_refused",
      { detail: verdict.reason },
      { field: "params.connector.url" },
    );
  return verdict.url.href;
}

/**
 * A new rule, state ok. A webhook connector gets its own signing secret (`whsec_…`, Standard
 * Webhooks), sealed at rest and answered only here, once.
 */
export async function createRule(db: Db, config: Config, input: RuleInput, by: string, now = Date.now()) {
  const resolve = input.resolve_threshold ?? input.threshold;
  checkThresholds(input.metric, input.comparator, input.threshold, resolve, input.filters);
  if ((await countRules(db)) >= MAX_RULES) throw new ApiError("alert_rules_limit", { max: MAX_RULES });
  const id = uuidv7(now);
  const at = new Date(now).toISOString();
  let secret: string | undefined;
  let sealed: string | null = null;
  let url: string | null = null;
  if (input.connector.type === "webhook") {
    url = connectorUrl(config, input.connector.url);
    const key = config.WEBHOOK_SECRETS_KEY;
    if (!key) throw new ApiError("service_unavailable");
    secret = newSymmetricSecret();
    sealed = await sealSecret(secret, key, `alert_rule:${id}`);
  }
  await insertRule(db, {
    id,
    name: input.name,
    metric: input.metric,
    filters: input.filters,
    comparator: input.comparator,
    threshold: input.threshold,
    resolveThreshold: resolve,
    windowMinutes: input.window_minutes,
    minSamples: input.min_samples,
    fireAfter: input.fire_after ?? DEFAULT_FIRE_AFTER,
    resolveAfter: input.resolve_after ?? DEFAULT_RESOLVE_AFTER,
    connectorType: input.connector.type,
    connectorUrl: url,
    secretSealed: sealed,
    state: "ok",
    streak: 0,
    stateSince: at,
    createdBy: by,
    createdAt: at,
    updatedAt: at,
  });
  const row = await requireRule(db, id);
  return { ...ruleView(row), ...(secret !== undefined ? { signing_secret: secret } : {}) };
}

export async function requireRule(db: Db, id: string) {
  const row = await findRule(db, id);
  if (!row) throw new ApiError("not_found", { resource: `alert rule ${id}` });
  return row;
}

export const listRuleViews = async (db: Db) => ({
  object: "list" as const,
  data: (await listRules(db)).map(ruleView),
});

/**
 * Changes a rule's condition or name. Its state stays (a firing rule goes on firing until the new
 * condition clears); the streak starts again, as it counted evaluations of the old condition.
 */
export async function changeRule(db: Db, id: string, patch: RulePatch, now = Date.now()) {
  const before = await requireRule(db, id);
  const threshold = patch.threshold ?? before.threshold;
  const resolve =
    patch.resolve_threshold ?? (patch.threshold !== undefined ? patch.threshold : before.resolveThreshold);
  checkThresholds(
    before.metric as AlertMetric,
    before.comparator as Comparator,
    threshold,
    resolve,
    before.filters,
  );
  const after = await updateRule(db, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    threshold,
    resolveThreshold: resolve,
    ...(patch.window_minutes !== undefined ? { windowMinutes: patch.window_minutes } : {}),
    ...(patch.min_samples !== undefined ? { minSamples: patch.min_samples } : {}),
    ...(patch.fire_after !== undefined ? { fireAfter: patch.fire_after } : {}),
    ...(patch.resolve_after !== undefined ? { resolveAfter: patch.resolve_after } : {}),
    streak: 0,
    updatedAt: new Date(now).toISOString(),
  });
  if (!after) throw new ApiError("not_found", { resource: `alert rule ${id}` });
  return { before: ruleView(before), after: ruleView(after) };
}

export async function removeRule(db: Db, id: string) {
  const before = ruleView(await requireRule(db, id));
  if (!(await deleteRule(db, id))) throw new ApiError("not_found", { resource: `alert rule ${id}` });
  return { before, deleted: { id, object: "alert_rule" as const, deleted: true as const } };
}
