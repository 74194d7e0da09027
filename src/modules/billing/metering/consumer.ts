import type { MeteringMessage } from "./model";

// Every increment is an upsert that applies only if this delivery's token holds the window (and,
// for a keyed call, the call): a redelivered window, or a call another window counted, adds nothing.
const CLAIM_WINDOW = "INSERT OR IGNORE INTO metered_windows (id, token, applied_at) VALUES (?1, ?2, ?3)";
const HOLDS_WINDOW = "EXISTS (SELECT 1 FROM metered_windows WHERE id = ?7 AND token = ?8)";
const INCREMENT = `INSERT INTO metered_usage (partner_id, hour, product, operation, outcome, calls)
  SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE ${HOLDS_WINDOW}
  ON CONFLICT (partner_id, hour, product, operation, outcome) DO UPDATE SET calls = calls + excluded.calls`;
const CLAIM_CALL = `INSERT OR IGNORE INTO metered_calls (scope, token, counted_at)
  SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM metered_windows WHERE id = ?4 AND token = ?2)`;
const INCREMENT_KEYED = `INSERT INTO metered_usage (partner_id, hour, product, operation, outcome, calls)
  SELECT ?1, ?2, ?3, ?4, ?5, 1 WHERE EXISTS (SELECT 1 FROM metered_calls WHERE scope = ?6 AND token = ?7)
  ON CONFLICT (partner_id, hour, product, operation, outcome) DO UPDATE SET calls = calls + excluded.calls`;

/**
 * Adds one window's counts to metered_usage, exactly once (docs/metering.md). One D1 batch, which
 * is one transaction: the window's claim (`metered_windows`, by the message's id), the keyed
 * calls' claims (`metered_calls`, by scope) and the increments commit together or not at all. A
 * delivery that fails part-way leaves nothing and is retried; a redelivery of an applied window
 * finds its id claimed by another token and adds nothing. Answers whether this delivery counted it.
 */
export async function applyWindow(d1: D1Database, msg: MeteringMessage, now: number): Promise<boolean> {
  const token = crypto.randomUUID();
  const statements: D1PreparedStatement[] = [d1.prepare(CLAIM_WINDOW).bind(msg.id, token, now)];
  for (const [partnerId, hour, product, operation, outcome, calls] of msg.counts)
    statements.push(
      d1.prepare(INCREMENT).bind(partnerId, hour, product, operation, outcome, calls, msg.id, token),
    );
  const seen = new Set<string>();
  for (const [scope, partnerId, hour, product, operation, outcome] of msg.keyed) {
    if (seen.has(scope)) continue;
    seen.add(scope);
    statements.push(
      d1.prepare(CLAIM_CALL).bind(scope, token, now, msg.id),
      d1.prepare(INCREMENT_KEYED).bind(partnerId, hour, product, operation, outcome, scope, token),
    );
  }
  const results = await d1.batch(statements);
  return (results[0]?.meta.changes ?? 0) > 0;
}
