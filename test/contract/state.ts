import { env } from "cloudflare:workers";
import type { Fingerprint } from "./checker";
import type { Send } from "./request";

/**
 * What a partner's requests can change in D1, by table, scoped to the partner. Left out:
 * the audit log and the request log (every request, refused or not, is audited and recorded
 * by design) and the progress of
 * webhook deliveries and attempts, which the queue consumers make on their own time (a
 * delivery that a request creates is still seen: its id), and likewise an event's progress
 * through the outbox (sent, fanned out): the event itself is seen. A key's `last_used_at` is
 * left out too: the token endpoint writes it after each token, which every test starts with.
 */
const TABLES: [table: string, columns: string, scope: string][] = [
  ["partners", "*", "id"],
  ["partner_contracts", "*", "partner_id"],
  [
    "partner_credentials",
    "id, partner_id, consumer_key, secret_hash, description, status, revoked_at, expires_at, created_at, updated_at",
    "partner_id",
  ],
  ["journal_entries", "*", "partner_id"],
  ["events", "id, type, livemode, data, created_at", "partner_id"],
  ["payments", "*", "partner_id"],
  ["refunds", "*", "partner_id"],
  ["payouts", "*", "partner_id"],
  ["webhook_endpoints", "*", "partner_id"],
  ["webhook_deliveries", "id, event_id, endpoint_id", "partner_id"],
  ["card_applications", "*", "partner_id"],
  ["cards", "*", "partner_id"],
  ["card_attachments", "*", "partner_id"],
  ["loan_applications", "*", "partner_id"],
  ["loans", "*", "partner_id"],
  ["fx_quotes", "*", "partner_id"],
  ["fx_conversions", "*", "partner_id"],
  ["consents", "*", "partner_id"],
  ["kyc_verifications", "*", "partner_id"],
  ["risk_rules", "*", "partner_id"],
  ["risk_list_entries", "*", "partner_id"],
  ["risk_settings", "*", "partner_id"],
  ["risk_reviews", "*", "partner_id"],
  ["risk_audit", "*", "partner_id"],
  ["publishable_keys", "*", "partner_id"],
  ["payment_method_tokens", "*", "partner_id"],
  ["customers", "*", "partner_id"],
  ["saved_payment_methods", "*", "partner_id"],
];

/** The partner's rows, one part per table: a refusal must leave every part as it was. */
export async function storedState(partnerId: string): Promise<Fingerprint> {
  const results = await env.DB.batch(
    TABLES.map(([table, columns, scope]) =>
      env.DB.prepare(`SELECT ${columns} FROM ${table} WHERE ${scope} = ? ORDER BY rowid`).bind(partnerId),
    ),
  );
  return Object.fromEntries(TABLES.map(([table], i) => [table, JSON.stringify(results[i]?.results ?? [])]));
}

/**
 * The object an operation acts on, as its GET shows it (a payment's truth lives in its
 * Durable Object, D1 has a copy written after the fact): `result` only, the envelope id is fresh.
 */
export async function shownState(
  send: Send,
  resourcePath: string,
  pathParams: Record<string, string>,
  headers: Record<string, string>,
): Promise<Fingerprint> {
  const auth = headers.Authorization;
  const ex = await send({
    method: "GET",
    path: resourcePath,
    pathParams,
    query: {},
    headers: auth === undefined ? {} : { Authorization: auth },
  });
  const body = ex.body as { result?: unknown } | undefined;
  return { [`GET ${resourcePath}`]: `${ex.status} ${JSON.stringify(body?.result ?? null)}` };
}
