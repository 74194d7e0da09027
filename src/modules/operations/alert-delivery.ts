import type { CronContext } from "../../platform/cron";
import { openSecret } from "../../platform/lib/secret-box";
import { urlPolicy } from "../webhooks/delivery";
import { signHeaders } from "../webhooks/signing";
import { checkWebhookUrl } from "../webhooks/url";
import { MAX_DELIVERY_ATTEMPTS } from "./model";
import { type AlertEventRow, claimDelivery, findRule, pendingEvents, recordDelivery } from "./storage";

/**
 * Delivering a transition to its rule's connector (docs/operations.md, connectors):
 *
 * - `sandbox`: the transition's own row is the sink; delivering marks it delivered, once.
 * - `webhook`: an HTTP POST of the payload, signed as Standard Webhooks (webhook-id is the
 *   transition's id, so a receiver dedupes a repeat), to a URL the SSRF guard checks again before
 *   every attempt; no redirect is followed. A 2xx delivers it; anything else is retried on the next
 *   run, up to MAX_DELIVERY_ATTEMPTS, and then marked failed.
 */

const TIMEOUT_MS = 5_000;
export const ALERT_USER_AGENT = "Portico-Alerts/1.0";

type Attempt = { ok: true } | { ok: false; error: string; final?: boolean };

async function post(ctx: CronContext, event: AlertEventRow): Promise<Attempt> {
  const rule = await findRule(ctx.db, event.ruleId);
  // A deleted rule's transition has nowhere to go: it is given up.
  if (!rule?.connectorUrl || !rule.secretSealed) return { ok: false, error: "rule deleted", final: true };
  const verdict = checkWebhookUrl(rule.connectorUrl, urlPolicy(ctx.config, []));
  if (!verdict.ok) return { ok: false, error: `url refused: ${verdict.reason}` };
  const key = ctx.config.WEBHOOK_SECRETS_KEY;
  const secret = key
    ? await openSecret(rule.secretSealed, key, `alert_rule:${rule.id}`).catch(() => undefined)
    : undefined;
  if (secret === undefined) return { ok: false, error: "signing secret unavailable" };
  const headers = await signHeaders([secret], event.id, Math.floor(ctx.now / 1000), event.payload);
  try {
    const res = await fetch(verdict.url.href, {
      method: "POST",
      body: event.payload,
      headers: { ...headers, "Content-Type": "application/json", "User-Agent": ALERT_USER_AGENT },
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // The answer's body is never read: only its status counts.
    await res.body?.cancel();
    return res.status >= 200 && res.status < 300
      ? { ok: true }
      : { ok: false, error: `status ${res.status}` };
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    return { ok: false, error: name === "TimeoutError" || name === "AbortError" ? "timeout" : "network" };
  }
}

/** One attempt at one pending transition; true when it is delivered now. */
export async function deliverEvent(ctx: CronContext, event: AlertEventRow): Promise<boolean> {
  if (!(await claimDelivery(ctx.db, event.id, event.deliveryAttempts))) return false;
  const attempt: Attempt = event.connectorType === "sandbox" ? { ok: true } : await post(ctx, event);
  const attempts = event.deliveryAttempts + 1;
  const at = new Date(ctx.now).toISOString();
  if (attempt.ok) {
    await recordDelivery(ctx.db, event.id, {
      deliveryStatus: "delivered",
      deliveryAttempts: attempts,
      lastError: null,
      deliveredAt: at,
    });
    return true;
  }
  const gaveUp = attempt.final === true || attempts >= MAX_DELIVERY_ATTEMPTS;
  await recordDelivery(ctx.db, event.id, {
    deliveryStatus: gaveUp ? "failed" : "pending",
    deliveryAttempts: attempts,
    lastError: attempt.error,
    deliveredAt: null,
  });
  if (gaveUp) ctx.log.warn("alert transition not delivered", { event: event.id, attempts });
  return false;
}

/** Every pending transition, oldest first, at most `limit`: one attempt each. */
export async function deliverPending(ctx: CronContext, limit: number) {
  const events = await pendingEvents(ctx.db, limit);
  let delivered = 0;
  let undelivered = 0;
  for (const event of events) {
    try {
      if (await deliverEvent(ctx, event)) delivered += 1;
      else undelivered += 1;
    } catch (err) {
      undelivered += 1;
      ctx.log.error("alert delivery failed", {
        event: event.id,
        error: err instanceof Error ? err.name : "unknown",
      });
    }
  }
  return { delivered, undelivered };
}
