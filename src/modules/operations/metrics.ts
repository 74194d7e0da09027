import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { bpsFloor } from "../billing/sla/measure";
import { type Bucket, type GroupKey, MAX_RANGE_DAYS, type MetricFilters } from "./model";

/**
 * The payment and webhook metrics (docs/operations.md, definitions), aggregated in D1 over
 * [from, to): the Worker reads one row per group, never the attempts. Percentiles by nearest rank,
 * as the SLA's (src/modules/billing/sla/measure.ts): the value at rank ⌈p·n/100⌉ of the group's
 * values in ascending order, in integer SQL `(n·p + 99) / 100` over ROW_NUMBER.
 */

const DAY = 86_400_000;

/** A range as asked: `from` before `to`, at most MAX_RANGE_DAYS (code 230). */
export function metricsRange(from: string, to: string) {
  const [f, t] = [Date.parse(from), Date.parse(to)];
  if (!(f < t) || t - f > MAX_RANGE_DAYS * DAY)
    throw new ApiError("metrics_range_invalid", { from, to, max: MAX_RANGE_DAYS });
  return { from: new Date(f).toISOString(), to: new Date(t).toISOString() };
}

const COLUMN: Record<GroupKey, string> = {
  partner: "partner_id",
  provider: "provider",
  bin_country: "bin_country",
  method: "method",
};
const BUCKET: Record<Bucket, string> = {
  hour: "substr(created_at, 1, 13) || ':00:00.000Z'",
  day: "substr(created_at, 1, 10) || 'T00:00:00.000Z'",
};

const filtersSql = (f: MetricFilters): SQL =>
  sql.join(
    [
      f.partner_id !== undefined ? sql` AND partner_id = ${f.partner_id}` : sql``,
      f.provider !== undefined ? sql` AND provider = ${f.provider}` : sql``,
      f.bin_country !== undefined ? sql` AND bin_country = ${f.bin_country}` : sql``,
      f.method !== undefined ? sql` AND method = ${f.method}` : sql``,
    ],
    sql``,
  );

export interface PaymentQuery {
  from: string;
  to: string;
  groupBy?: GroupKey;
  bucket?: Bucket;
  filters: MetricFilters;
}

interface PaymentRow {
  k: string | null;
  bucket: string | null;
  attempts: number;
  approved_attempts: number;
  declined_attempts: number;
  failed_attempts: number;
  fallback_attempts: number;
  p50: number | null;
  p95: number | null;
  payments: number;
  payments_approved: number;
  payments_retried: number;
  payments_refunded: number;
}

/** `part / whole` in basis points, rounded down; null without a whole. */
const rate = (part: number, whole: number) => (whole > 0 ? bpsFloor(part, whole) : null);

/**
 * Per group (and bucket): attempt figures over every attempt of the range the filters keep, and
 * payment figures over those attempts' payments, each counted once, in the group and bucket of
 * its last attempt (highest `seq`) among them.
 */
async function paymentRows(db: Db, q: PaymentQuery) {
  const key = sql.raw(q.groupBy ? COLUMN[q.groupBy] : "NULL");
  const bucket = sql.raw(q.bucket ? BUCKET[q.bucket] : "NULL");
  return db.all<PaymentRow>(sql`
    WITH a AS (
      SELECT payment_id, seq, outcome, fallback, latency_ms, ${key} AS k, ${bucket} AS bucket
      FROM payment_attempts
      WHERE created_at >= ${q.from} AND created_at < ${q.to}${filtersSql(q.filters)}
    ), g AS (
      SELECT payment_id, outcome, fallback, latency_ms, k, bucket,
        ROW_NUMBER() OVER (PARTITION BY k, bucket ORDER BY latency_ms) AS rn,
        COUNT(*) OVER (PARTITION BY k, bucket) AS n,
        COUNT(*) OVER (PARTITION BY payment_id) AS tries,
        ROW_NUMBER() OVER (PARTITION BY payment_id ORDER BY seq DESC) AS last
      FROM a
    )
    SELECT k, bucket, COUNT(*) AS attempts,
      SUM(outcome = 'authorized') AS approved_attempts,
      SUM(outcome = 'declined') AS declined_attempts,
      SUM(outcome IN ('error', 'timeout')) AS failed_attempts,
      SUM(fallback = 1) AS fallback_attempts,
      MAX(CASE WHEN rn = (n * 50 + 99) / 100 THEN latency_ms END) AS p50,
      MAX(CASE WHEN rn = (n * 95 + 99) / 100 THEN latency_ms END) AS p95,
      SUM(last = 1) AS payments,
      SUM(last = 1 AND outcome = 'authorized') AS payments_approved,
      SUM(last = 1 AND tries > 1) AS payments_retried,
      SUM(last = 1 AND outcome = 'authorized'
        AND EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = g.payment_id)) AS payments_refunded
    FROM g GROUP BY k, bucket ORDER BY k, bucket`);
}

/** Declined attempts per group, bucket and reason (`unknown` when the acquirer gave none). */
function declineRows(db: Db, q: PaymentQuery) {
  const key = sql.raw(q.groupBy ? COLUMN[q.groupBy] : "NULL");
  const bucket = sql.raw(q.bucket ? BUCKET[q.bucket] : "NULL");
  return db.all<{ k: string | null; bucket: string | null; reason: string; n: number }>(sql`
    SELECT ${key} AS k, ${bucket} AS bucket, COALESCE(decline_reason, 'unknown') AS reason, COUNT(*) AS n
    FROM payment_attempts
    WHERE created_at >= ${q.from} AND created_at < ${q.to} AND outcome = 'declined'${filtersSql(q.filters)}
    GROUP BY k, bucket, reason`);
}

/**
 * Disputes opened in the range: ledger entries of kind `dispute` (posted when a dispute opens),
 * per partner. They name the partner only, so they are counted only where a group is a partner
 * (or everything) and no filter but the partner's narrows the attempts.
 */
async function disputeRows(db: Db, q: PaymentQuery) {
  const f = q.filters;
  if ((q.groupBy !== undefined && q.groupBy !== "partner") || f.provider || f.bin_country || f.method)
    return undefined;
  const key = sql.raw(q.groupBy === "partner" ? "partner_id" : "NULL");
  const bucket = sql.raw(q.bucket ? BUCKET[q.bucket] : "NULL");
  const partner = f.partner_id !== undefined ? sql` AND partner_id = ${f.partner_id}` : sql``;
  return db.all<{ k: string | null; bucket: string | null; n: number }>(sql`
    SELECT ${key} AS k, ${bucket} AS bucket, COUNT(*) AS n FROM journal_entries
    WHERE kind = 'dispute' AND created_at >= ${q.from} AND created_at < ${q.to}${partner}
    GROUP BY k, bucket`);
}

const groupId = (k: string | null, bucket: string | null) => `${k ?? ""}|${bucket ?? ""}`;

/** One group's figures as the admin API answers them (GET /admin/v1/metrics/payments). */
export interface PaymentFigures {
  key: string | null;
  bucket_start: string | null;
  attempts: number;
  approved_attempts: number;
  declined_attempts: number;
  failed_attempts: number;
  fallback_attempts: number;
  approve_rate_bps: number | null;
  decline_rate_bps: number | null;
  fallback_share_bps: number | null;
  decline_reasons: Record<string, number>;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  payments: number;
  payments_approved: number;
  payment_approve_rate_bps: number | null;
  payments_retried: number;
  retry_share_bps: number | null;
  payments_refunded: number;
  refund_rate_bps: number | null;
  disputes: number | null;
  dispute_rate_bps: number | null;
}

export async function paymentMetrics(db: Db, q: PaymentQuery): Promise<PaymentFigures[]> {
  const [rows, declines, disputes] = await Promise.all([
    paymentRows(db, q),
    declineRows(db, q),
    disputeRows(db, q),
  ]);
  const reasons = new Map<string, Record<string, number>>();
  for (const d of declines) {
    const id = groupId(d.k, d.bucket);
    reasons.set(id, { ...reasons.get(id), [d.reason]: d.n });
  }
  const disputed = new Map((disputes ?? []).map((d) => [groupId(d.k, d.bucket), d.n]));
  return rows
    .filter((r) => r.attempts > 0)
    .map((r) => {
      const id = groupId(r.k, r.bucket);
      const opened = disputes === undefined ? null : (disputed.get(id) ?? 0);
      return {
        key: r.k,
        bucket_start: r.bucket,
        attempts: r.attempts,
        approved_attempts: r.approved_attempts,
        declined_attempts: r.declined_attempts,
        failed_attempts: r.failed_attempts,
        fallback_attempts: r.fallback_attempts,
        approve_rate_bps: rate(r.approved_attempts, r.attempts),
        decline_rate_bps: rate(r.declined_attempts, r.attempts),
        fallback_share_bps: rate(r.fallback_attempts, r.attempts),
        decline_reasons: reasons.get(id) ?? {},
        latency_p50_ms: r.p50,
        latency_p95_ms: r.p95,
        payments: r.payments,
        payments_approved: r.payments_approved,
        payment_approve_rate_bps: rate(r.payments_approved, r.payments),
        payments_retried: r.payments_retried,
        retry_share_bps: rate(r.payments_retried, r.payments),
        payments_refunded: r.payments_refunded,
        refund_rate_bps: rate(r.payments_refunded, r.payments_approved),
        disputes: opened,
        dispute_rate_bps: opened === null ? null : rate(opened, r.payments_approved),
      };
    });
}

export interface WebhookQuery {
  from: string;
  to: string;
  partnerId?: string;
  groupBy?: "partner";
  /**
   * For alerts: a delivery not delivered yet counts with its lag so far, `openAt − event created`
   * (a stalled endpoint raises the lag instead of leaving no data). The API's figures leave it out.
   */
  openAt?: string;
}

export interface WebhookFigures {
  key: string | null;
  deliveries: number;
  succeeded: number;
  failed: number;
  pending: number;
  attempts: number;
  failed_attempts: number;
  lag_p50_ms: number | null;
  lag_p95_ms: number | null;
}

/**
 * Webhook deliveries of the events created in [from, to): how each ended so far, its attempts, and
 * the lag of each delivered one, `first successful attempt − event created`, in ms (p50/p95 over
 * the delivered ones only: one still pending or failed has no lag yet).
 */
export async function webhookMetrics(db: Db, q: WebhookQuery): Promise<WebhookFigures[]> {
  const key = sql.raw(q.groupBy === "partner" ? "d.partner_id" : "NULL");
  const partner = q.partnerId !== undefined ? sql` AND d.partner_id = ${q.partnerId}` : sql``;
  const rows = await db.all<WebhookFigures>(sql`
    WITH d AS (
      SELECT ${key} AS k, d.status, d.attempts, e.created_at AS event_at,
        (SELECT MIN(attempted_at) FROM webhook_attempts wa WHERE wa.event_id = d.event_id
          AND wa.endpoint_id = d.endpoint_id AND wa.outcome = 'succeeded') AS first_ok,
        (SELECT COUNT(*) FROM webhook_attempts wa WHERE wa.event_id = d.event_id
          AND wa.endpoint_id = d.endpoint_id AND wa.outcome <> 'succeeded') AS failed_attempts
      FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
      WHERE e.created_at >= ${q.from} AND e.created_at < ${q.to}${partner}
    ), l AS (
      SELECT k, status, attempts, failed_attempts,
        CASE WHEN COALESCE(first_ok, ${q.openAt ?? null}) IS NOT NULL
          THEN MAX(0, CAST(ROUND((julianday(COALESCE(first_ok, ${q.openAt ?? null})) - julianday(event_at))
            * 86400000) AS INTEGER)) END AS lag_ms
      FROM d
    ), r AS (
      SELECT *, ROW_NUMBER() OVER (PARTITION BY k, lag_ms IS NULL ORDER BY lag_ms) AS rn,
        COUNT(lag_ms) OVER (PARTITION BY k) AS n
      FROM l
    )
    SELECT k AS key, COUNT(*) AS deliveries,
      SUM(status = 'succeeded') AS succeeded, SUM(status = 'failed') AS failed,
      SUM(status = 'pending') AS pending, SUM(attempts) AS attempts,
      SUM(failed_attempts) AS failed_attempts,
      MAX(CASE WHEN lag_ms IS NOT NULL AND rn = (n * 50 + 99) / 100 THEN lag_ms END) AS lag_p50_ms,
      MAX(CASE WHEN lag_ms IS NOT NULL AND rn = (n * 95 + 99) / 100 THEN lag_ms END) AS lag_p95_ms
    FROM r GROUP BY k ORDER BY k`);
  return rows.filter((r) => r.deliveries > 0);
}
