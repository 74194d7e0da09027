import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";

/** What the platform team can narrow the list to: endpoints failing now, or disabled. */
export const HEALTH_STATES = ["failing", "disabled"] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** How many of an endpoint's latest attempts the report shows. */
export const RECENT_ATTEMPTS = 5;

const DAY_MS = 86_400_000;

interface EndpointHealthRow {
  id: string;
  partner_id: string;
  partner_name: string;
  url: string;
  status: "enabled" | "disabled";
  disabled_reason: string | null;
  failing_since: string | null;
  updated_at: string;
  failed_24h: number;
  failed_7d: number;
  pending: number;
}

interface AttemptRow {
  endpoint_id: string;
  attempted_at: string;
  status_code: number | null;
  outcome: "succeeded" | "retry" | "failed";
  error: string | null;
}

/**
 * The endpoints worth a look, of partners not offboarded: failing now (a run of failed
 * deliveries since `failing_since`), disabled (by Portico or by the partner), or with a delivery
 * that failed for good in the last 7 days.
 */
function unhealthy(state: HealthState | undefined, week: string): SQL {
  const failing = sql`(e.status = 'enabled' AND e.failing_since IS NOT NULL)`;
  const disabled = sql`e.status = 'disabled'`;
  if (state === "failing") return failing;
  if (state === "disabled") return disabled;
  return sql`(${failing} OR ${disabled} OR EXISTS (SELECT 1 FROM webhook_deliveries d
    WHERE d.endpoint_id = e.id AND d.status = 'failed' AND d.updated_at >= ${week}))`;
}

/** Deliveries of endpoint `e` that failed for good (dead letters included) since `since`. */
const failedSince = (since: string) => sql`(SELECT count(*) FROM webhook_deliveries d
  WHERE d.endpoint_id = e.id AND d.status = 'failed' AND d.updated_at >= ${since})`;

const LISTED = sql`FROM webhook_endpoints e JOIN partners p ON p.id = e.partner_id
  WHERE e.status != 'deleted' AND p.status != 'offboarded'`;

/** The host of an endpoint's URL: its path and query may hold the partner's own secret. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

/**
 * Webhook health across partners (docs/admin.md): the unhealthy endpoints, newest first and paged,
 * each with its partner, its URL's host, its failure run, its deliveries that failed in the last
 * 24 hours and 7 days, those still being retried and its latest attempts; and the totals over
 * every endpoint listed. Never a signing secret, never a URL's path.
 */
export async function webhookHealth(
  db: Db,
  q: { limit: number; startingAfter?: string; state?: HealthState },
  now = Date.now(),
) {
  const day = new Date(now - DAY_MS).toISOString();
  const week = new Date(now - 7 * DAY_MS).toISOString();
  const after = q.startingAfter !== undefined ? sql` AND e.id < ${q.startingAfter}` : sql``;
  const [rows, [totals]] = await Promise.all([
    db.all<EndpointHealthRow>(sql`
      SELECT e.id, e.partner_id, p.name AS partner_name, e.url, e.status, e.disabled_reason,
        e.failing_since, e.updated_at, ${failedSince(day)} AS failed_24h, ${failedSince(week)} AS failed_7d,
        (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending') AS pending
      ${LISTED} AND ${unhealthy(q.state, week)}${after}
      ORDER BY e.id DESC LIMIT ${q.limit + 1}`),
    db.all<{ failing: number; disabled: number; failed_24h: number; failed_7d: number }>(sql`
      SELECT COALESCE(SUM(e.status = 'enabled' AND e.failing_since IS NOT NULL), 0) AS failing,
        COALESCE(SUM(e.status = 'disabled'), 0) AS disabled,
        COALESCE(SUM(${failedSince(day)}), 0) AS failed_24h,
        COALESCE(SUM(${failedSince(week)}), 0) AS failed_7d
      ${LISTED}`),
  ]);
  const page = rows.slice(0, q.limit);
  const attempts = await recentAttempts(
    db,
    page.map((r) => r.id),
    week,
  );
  return {
    object: "webhook_health" as const,
    generated_at: new Date(now).toISOString(),
    totals: {
      failing_endpoints: totals?.failing ?? 0,
      disabled_endpoints: totals?.disabled ?? 0,
      failed_deliveries_last_24_hours: totals?.failed_24h ?? 0,
      failed_deliveries_last_7_days: totals?.failed_7d ?? 0,
    },
    data: page.map((r) => {
      const recent = attempts.filter((a) => a.endpoint_id === r.id);
      return {
        endpoint_id: r.id,
        object: "webhook_endpoint_health" as const,
        partner: { id: r.partner_id, name: r.partner_name },
        url_host: hostOf(r.url),
        status: r.status,
        disabled_reason: r.disabled_reason,
        failing_since: r.failing_since,
        failed_deliveries: { last_24_hours: r.failed_24h, last_7_days: r.failed_7d },
        retrying_deliveries: r.pending,
        last_status_code: recent[0]?.status_code ?? null,
        recent_attempts: recent.map((a) => ({
          attempted_at: a.attempted_at,
          status_code: a.status_code,
          outcome: a.outcome,
          error: a.error,
        })),
      };
    }),
    has_more: rows.length > q.limit,
  };
}

/**
 * The latest RECENT_ATTEMPTS attempts of each endpoint, of its deliveries of the last 7 days,
 * newest first (through the attempts' event index; the ids go as one JSON parameter).
 */
function recentAttempts(db: Db, endpointIds: string[], week: string) {
  if (endpointIds.length === 0) return Promise.resolve([]);
  return db.all<AttemptRow>(sql`
    SELECT endpoint_id, attempted_at, status_code, outcome, error FROM (
      SELECT a.endpoint_id, a.attempted_at, a.status_code, a.outcome, a.error,
        ROW_NUMBER() OVER (PARTITION BY a.endpoint_id ORDER BY a.attempted_at DESC, a.id DESC) AS n
      FROM webhook_deliveries d
      JOIN webhook_attempts a ON a.event_id = d.event_id AND a.endpoint_id = d.endpoint_id
      WHERE d.endpoint_id IN (SELECT value FROM json_each(${JSON.stringify(endpointIds)}))
        AND d.last_attempt_at >= ${week}
    ) WHERE n <= ${RECENT_ATTEMPTS} ORDER BY endpoint_id, n`);
}
