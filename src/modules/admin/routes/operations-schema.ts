import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../platform/envelope";
import {
  ALERT_METRICS,
  ALERT_STATES,
  BUCKETS,
  COMPARATORS,
  DELIVERY_STATUSES,
  GROUP_KEYS,
  MAX_WINDOW_MINUTES,
  TRANSITIONS,
} from "../../operations/model";

/** The operational metrics' and alert rules' schemas (docs/operations.md). */

const dateTime = z.string().openapi({ format: "date-time" });
const count = z.number().int();
const bps = (what: string) =>
  z
    .number()
    .int()
    .nullable()
    .openapi({
      description: `${what}, in basis points (10 000 = 100 %), rounded down; null without a denominator.`,
    });
const ms = (what: string) =>
  z
    .number()
    .int()
    .nullable()
    .openapi({ description: `${what} in ms, nearest rank; null without values.` });
const query = (name: string) => ({ param: { name, in: "query" as const } });
const attribute = (name: string) => z.string().trim().min(1).max(64).optional().openapi(query(name));
const instant = (name: string, description: string) =>
  z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ ...query(name), description });

const range = {
  from: instant("from", "Start of the range (included); default: 24 hours before `to`."),
  to: instant("to", "End of the range (excluded); default: now. At most 31 days after `from`."),
};

export const PaymentMetricsQuery = z.object({
  ...range,
  group_by: z
    .enum(GROUP_KEYS)
    .optional()
    .openapi({
      ...query("group_by"),
      description: "One row per value of this attribute; none: one row for everything.",
    }),
  bucket: z
    .enum(BUCKETS)
    .optional()
    .openapi({ ...query("bucket"), description: "Also one row per UTC hour or day (a series, for charts)." }),
  partner_id: z.uuid().optional().openapi(query("partner_id")),
  provider: attribute("provider"),
  bin_country: attribute("bin_country"),
  method: attribute("method"),
});

export const PaymentFiguresSchema = z
  .object({
    key: z.string().nullable().openapi({
      description: "The group's value of `group_by` (null: no grouping, or an attempt without it).",
    }),
    bucket_start: dateTime
      .nullable()
      .openapi({ description: "The bucket's first instant; null without `bucket`." }),
    attempts: count.openapi({ description: "Authorization attempts of the range the filters keep." }),
    approved_attempts: count.openapi({ description: "Attempts answered `authorized`." }),
    declined_attempts: count.openapi({ description: "Attempts answered `declined`." }),
    failed_attempts: count.openapi({ description: "Attempts that ended in `error` or `timeout`." }),
    fallback_attempts: count.openapi({ description: "Attempts after a payment's first (fallback = 1)." }),
    approve_rate_bps: bps("approved_attempts / attempts"),
    decline_rate_bps: bps("declined_attempts / attempts"),
    fallback_share_bps: bps("fallback_attempts / attempts"),
    decline_reasons: z
      .record(z.string(), count)
      .openapi({ description: "Declined attempts per acquirer reason (`unknown` when none was given)." }),
    latency_p50_ms: ms("The attempts' median latency"),
    latency_p95_ms: ms("The attempts' 95th percentile latency"),
    payments: count.openapi({
      description: "The attempts' payments, each once, in the group of its last attempt.",
    }),
    payments_approved: count.openapi({ description: "Payments whose last attempt is `authorized`." }),
    payment_approve_rate_bps: bps("payments_approved / payments"),
    payments_retried: count.openapi({ description: "Payments with more than one attempt in the range." }),
    retry_share_bps: bps("payments_retried / payments"),
    payments_refunded: count.openapi({ description: "Approved payments with at least one refund so far." }),
    refund_rate_bps: bps("payments_refunded / payments_approved"),
    disputes: count.nullable().openapi({
      description:
        "Ledger entries of kind `dispute` posted in the range (bucket) for the group's partner; null when the grouping or filters are not the partner's.",
    }),
    dispute_rate_bps: bps("disputes / payments_approved"),
  })
  .openapi("AdminPaymentFigures");

export const PaymentMetricsSchema = z
  .object({
    object: z.literal("payment_metrics"),
    from: dateTime,
    to: dateTime,
    group_by: z.enum(GROUP_KEYS).nullable(),
    bucket: z.enum(BUCKETS).nullable(),
    data: z.array(PaymentFiguresSchema),
  })
  .openapi("AdminPaymentMetrics");

export const WebhookMetricsQuery = z.object({
  ...range,
  group_by: z
    .enum(["partner"])
    .optional()
    .openapi({ ...query("group_by"), description: "One row per partner; none: one row for everything." }),
  partner_id: z.uuid().optional().openapi(query("partner_id")),
});

export const WebhookMetricsSchema = z
  .object({
    object: z.literal("webhook_metrics"),
    from: dateTime,
    to: dateTime,
    data: z.array(
      z
        .object({
          key: z
            .string()
            .nullable()
            .openapi({ description: "The partner id with `group_by=partner`, else null." }),
          deliveries: count.openapi({
            description: "Deliveries (event × endpoint) of the events created in the range.",
          }),
          succeeded: count,
          failed: count.openapi({ description: "Deliveries given up (past their last retry)." }),
          pending: count.openapi({ description: "Deliveries still waiting for a retry." }),
          attempts: count,
          failed_attempts: count.openapi({
            description: "Attempts that did not succeed (retried or final).",
          }),
          lag_p50_ms: ms("First successful attempt − event created: the median,"),
          lag_p95_ms: ms("First successful attempt − event created: the 95th percentile,"),
        })
        .openapi("AdminWebhookFigures"),
    ),
  })
  .openapi("AdminWebhookMetrics");

const Filters = z
  .object({
    partner_id: z.uuid().optional(),
    provider: z.string().trim().min(1).max(64).optional(),
    bin_country: z.string().trim().min(1).max(64).optional(),
    method: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .openapi({ description: "Which attempts the metric is over (webhook lag: `partner_id` only)." });

const Connector = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("sandbox") }).strict(),
    z.object({ type: z.literal("webhook"), url: z.string().min(1).max(2048) }).strict(),
  ])
  .openapi({
    description:
      "Where transitions go: the sandbox sink (GET /admin/v1/alerts/events) or a signed HTTP POST.",
  });

const threshold = z.number().int().min(0).max(3_600_000);
const ruleFields = {
  name: z.string().trim().min(1).max(100),
  threshold: threshold.openapi({ description: "Basis points for rates, ms for latency and lag." }),
  resolve_threshold: threshold
    .optional()
    .openapi({ description: "Where the condition clears (a band against flapping); default: `threshold`." }),
  window_minutes: z.number().int().min(1).max(MAX_WINDOW_MINUTES),
  min_samples: z.number().int().min(1).max(1_000_000),
  fire_after: z
    .number()
    .int()
    .min(1)
    .max(60)
    .optional()
    .openapi({ description: "Breaching evaluations in a row to fire (default 2)." }),
  resolve_after: z
    .number()
    .int()
    .min(1)
    .max(60)
    .optional()
    .openapi({ description: "Clearing evaluations in a row to resolve (default 2)." }),
};

export const RuleCreateRequest = envelopeRequest(
  z
    .object({
      ...ruleFields,
      metric: z.enum(ALERT_METRICS),
      filters: Filters.default({}),
      comparator: z.enum(COMPARATORS),
      connector: Connector,
    })
    .strict(),
).openapi("AdminAlertRuleCreateRequest");

export const RulePatchRequest = envelopeRequest(
  z
    .object({
      name: ruleFields.name.optional(),
      threshold: ruleFields.threshold.optional(),
      resolve_threshold: ruleFields.resolve_threshold,
      window_minutes: ruleFields.window_minutes.optional(),
      min_samples: ruleFields.min_samples.optional(),
      fire_after: ruleFields.fire_after,
      resolve_after: ruleFields.resolve_after,
    })
    .strict(),
).openapi("AdminAlertRulePatchRequest");

export const RuleSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("alert_rule"),
    name: z.string(),
    metric: z.enum(ALERT_METRICS),
    filters: Filters,
    comparator: z.enum(COMPARATORS),
    threshold: count,
    resolve_threshold: count,
    window_minutes: count,
    min_samples: count,
    fire_after: count,
    resolve_after: count,
    connector: z.union([
      z.object({ type: z.literal("sandbox") }),
      z.object({ type: z.literal("webhook"), url: z.string() }),
    ]),
    state: z.enum(ALERT_STATES),
    state_since: dateTime,
    streak: count.openapi({ description: "Evaluations in a row that point to the other state." }),
    last_value: count.nullable(),
    last_samples: count.nullable(),
    last_evaluated_at: dateTime.nullable(),
    created_by: z.string(),
    created_at: dateTime,
    updated_at: dateTime,
  })
  .openapi("AdminAlertRule");

export const CreatedRuleSchema = RuleSchema.extend({
  signing_secret: z.string().optional().openapi({
    description: "A webhook connector's `whsec_…` signing secret: shown this once, never again.",
  }),
}).openapi("AdminAlertRuleCreated");

export const RuleIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

export const AlertEventSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("alert_event"),
    rule_id: z.string().openapi({ format: "uuid" }),
    kind: z.enum(TRANSITIONS),
    value: count.nullable(),
    samples: count,
    threshold: count,
    window: z.object({ from: dateTime, to: dateTime }),
    connector_type: z.enum(["sandbox", "webhook"]),
    delivery: z.object({
      status: z.enum(DELIVERY_STATUSES),
      attempts: count,
      last_error: z.string().nullable(),
      delivered_at: dateTime.nullable(),
    }),
    payload: z.record(z.string(), z.unknown()).openapi({ description: "What the connector is sent." }),
    created_at: dateTime,
  })
  .openapi("AdminAlertEvent");
