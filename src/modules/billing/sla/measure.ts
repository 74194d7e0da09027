import { sql } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";

/**
 * What the request log shows of a partner's service over [from, to) (ISO instants), in D1 and
 * without reading the rows into the Worker (docs/sla.md, measurement):
 *
 * - every recorded call counts, except answers of 429 (the partner's own rate limit or quota:
 *   the partner's doing, not the gateway's);
 * - a server-side error is any answer of 500 and above, the limiter's own 503 (code 42) included:
 *   a gateway that cannot reach its limiter has failed the call;
 * - availability is `(counted − server errors) / counted` in basis points, rounded down, from
 *   exact integers;
 * - p95 latency is the nearest rank `⌈0.95 · counted⌉` of the counted calls' `latency_ms`.
 *
 * Both queries walk the covering index request_log_partner_time (partner, time, product, status,
 * latency ms, error code); the percentile is one row fetched by `ORDER BY latency_ms LIMIT 1 OFFSET`.
 */
export interface SlaMeasurement {
  /** Every recorded call of the span, 429s included. */
  calls: number;
  /** Answers of 429: left out of both figures. */
  refused: number;
  /** The calls measured: `calls − refused`. */
  counted: number;
  /** Counted calls answered 500 and above. */
  server_errors: number;
  /** `floor((counted − server_errors) · 10 000 / counted)`; null when nothing was counted. */
  availability_bps: number | null;
  /** The latency at `p95_rank` in ascending order; null when nothing was counted. */
  p95_latency_ms: number | null;
  /** `⌈0.95 · counted⌉`, 1-based; null when nothing was counted. */
  p95_rank: number | null;
}

/** The nearest rank of the 95th percentile of n values, in integers: ⌈95n / 100⌉. */
export const p95Rank = (n: number) => Math.floor((n * 95 + 99) / 100);

/** Basis points of `part / whole`, rounded down, exactly (BigInt); `whole` is positive. */
export const bpsFloor = (part: number, whole: number) => Number((BigInt(part) * 10_000n) / BigInt(whole));

/** Every call of the span, its 429s and its server errors: one pass over the index. */
export const countsQuery = (partnerId: string, from: string, to: string) => sql`
  SELECT COUNT(*) AS calls,
    COALESCE(SUM(status = 429), 0) AS refused,
    COALESCE(SUM(status >= 500), 0) AS server_errors
  FROM request_log WHERE partner_id = ${partnerId} AND time >= ${from} AND time < ${to}`;

/** The counted calls' latency at `rank` (1-based, ascending): one row out of D1. */
export const p95Query = (partnerId: string, from: string, to: string, rank: number) => sql`
  SELECT latency_ms FROM request_log
  WHERE partner_id = ${partnerId} AND time >= ${from} AND time < ${to} AND status <> 429
  ORDER BY latency_ms LIMIT 1 OFFSET ${rank - 1}`;

/** The measurement over [from, to): a span without a counted call has no figures (not a breach). */
export async function measureSla(
  db: Db,
  partnerId: string,
  from: string,
  to: string,
): Promise<SlaMeasurement> {
  const [totals] = await db.all<{ calls: number; refused: number; server_errors: number }>(
    countsQuery(partnerId, from, to),
  );
  const calls = totals?.calls ?? 0;
  const refused = totals?.refused ?? 0;
  const counted = calls - refused;
  const server_errors = totals?.server_errors ?? 0;
  if (counted <= 0)
    return {
      calls,
      refused,
      counted: 0,
      server_errors: 0,
      availability_bps: null,
      p95_latency_ms: null,
      p95_rank: null,
    };
  const rank = p95Rank(counted);
  const [p95] = await db.all<{ latency_ms: number }>(p95Query(partnerId, from, to, rank));
  return {
    calls,
    refused,
    counted,
    server_errors,
    availability_bps: bpsFloor(counted - server_errors, counted),
    p95_latency_ms: p95?.latency_ms ?? null,
    p95_rank: rank,
  };
}
