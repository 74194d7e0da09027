import { ok, okResponse } from "../../../platform/envelope";
import { metricsRange, paymentMetrics, webhookMetrics } from "../../operations/metrics";
import { type AdminTarget, adminRoute, serve } from "./define";
import {
  PaymentMetricsQuery,
  PaymentMetricsSchema,
  WebhookMetricsQuery,
  WebhookMetricsSchema,
} from "./operations-schema";

const TAGS = ["Operations"];
const DAY = 86_400_000;

const payments = adminRoute(
  { role: "viewer", action: "metrics.payments", errors: ["metrics_range_invalid"] },
  {
    method: "get",
    path: "/admin/v1/metrics/payments",
    operationId: "adminPaymentMetrics",
    tags: TAGS,
    summary: "Payment metrics per partner, provider, BIN country or method",
    description:
      "Over the authorization attempts created in [from, to) that the filters keep (docs/operations.md, definitions): approve, decline and fallback rates per attempt; p50/p95 latency by nearest rank; per payment (in the group of its last attempt) the approve rate, retry share, refund rate and dispute rate. Rates are basis points rounded down. A range without attempts answers no rows. A range with from not before to, or longer than 31 days, is code 230.",
    request: { query: PaymentMetricsQuery },
    responses: okResponse("One row per group (and bucket)", PaymentMetricsSchema),
  },
);

const webhooks = adminRoute(
  { role: "viewer", action: "metrics.webhooks", errors: ["metrics_range_invalid"] },
  {
    method: "get",
    path: "/admin/v1/metrics/webhooks",
    operationId: "adminWebhookMetrics",
    tags: TAGS,
    summary: "Webhook delivery lag and failures",
    description:
      "Over the deliveries of the events created in [from, to): how many succeeded, failed for good or still wait, their attempts and failed attempts, and the lag of the delivered ones (first successful attempt − event created), p50 and p95 by nearest rank.",
    request: { query: WebhookMetricsQuery },
    responses: okResponse("One row for everything, or per partner", WebhookMetricsSchema),
  },
);

/** The range asked, or the 24 hours before `to` (default now). */
const rangeOf = (q: { from?: string | undefined; to?: string | undefined }) => {
  const to = q.to ?? new Date().toISOString();
  return metricsRange(q.from ?? new Date(Date.parse(to) - DAY).toISOString(), to);
};

export function registerMetrics(t: AdminTarget) {
  serve(t, payments, async (c) => {
    const q = c.req.valid("query");
    const { from, to } = rangeOf(q);
    const filters = {
      ...(q.partner_id !== undefined ? { partner_id: q.partner_id } : {}),
      ...(q.provider !== undefined ? { provider: q.provider } : {}),
      ...(q.bin_country !== undefined ? { bin_country: q.bin_country } : {}),
      ...(q.method !== undefined ? { method: q.method } : {}),
    };
    const data = await paymentMetrics(c.get("services").db, {
      from,
      to,
      filters,
      ...(q.group_by !== undefined ? { groupBy: q.group_by } : {}),
      ...(q.bucket !== undefined ? { bucket: q.bucket } : {}),
    });
    return ok(c, {
      object: "payment_metrics" as const,
      from,
      to,
      group_by: q.group_by ?? null,
      bucket: q.bucket ?? null,
      data,
    });
  });
  serve(t, webhooks, async (c) => {
    const q = c.req.valid("query");
    const { from, to } = rangeOf(q);
    const data = await webhookMetrics(c.get("services").db, {
      from,
      to,
      ...(q.partner_id !== undefined ? { partnerId: q.partner_id } : {}),
      ...(q.group_by !== undefined ? { groupBy: q.group_by } : {}),
    });
    return ok(c, { object: "webhook_metrics" as const, from, to, data });
  });
}
