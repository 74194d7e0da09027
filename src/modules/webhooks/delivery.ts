import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import type { EventMessage } from "../../platform/events/events";
import { markConsumed, sendPending } from "../../platform/events/outbox";
import { readPrefix } from "../../platform/lib/bounded";
import { uuidv7 } from "../../platform/lib/ids";
import { createLogger } from "../../platform/lib/logger";
import { openSecret } from "../../platform/lib/secret-box";
import { CURRENT_VERSION } from "../../platform/versions/registry";
import { chainFor, downgradeValue, mentionsChangedObject } from "../../platform/versions/transform";
import { loadProfile, profileCache } from "../partners/profile";
import { type AttemptResult, type Decision, decide } from "./policy";
import { signHeaders } from "./signing";
import {
  claimStaleDeliveries,
  type DeliveryRow,
  deliveryContext,
  disableEndpointRow,
  type EndpointRow,
  type EventRow,
  ensureDeliveries,
  failDeadDelivery,
  findEndpoint,
  findEvent,
  recordAttempt,
  setDeliveryStatus,
  subscribedEndpoints,
} from "./storage";
import { checkWebhookUrl, type UrlPolicy, type UrlVerdict } from "./url";

/** What the delivery queue carries: one event to one endpoint. */
export interface DeliveryMessage {
  deliveryId: string;
}

/**
 * What the webhook services need, its queue typed by what it carries: the generated binding
 * types say only `Queue`, so what this module sends is checked here.
 */
export interface WebhookDeps {
  db: Db;
  config: Config;
  /** The delivery queue: one message per delivery to attempt. */
  deliveries: Queue<DeliveryMessage>;
}

/** What the delivery consumer needs besides: it announces disabled endpoints and dead-letters deliveries. */
export interface DeliveryDeps extends WebhookDeps {
  events: Queue<EventMessage>;
  /** Where deliveries go after their last attempt (and messages a consumer kept failing on). */
  deadLetters: Queue<DeliveryMessage | EventMessage>;
}

const EXCERPT_CHARS = 256;
/** Enough bytes for EXCERPT_CHARS characters of any UTF-8. */
const EXCERPT_READ_BYTES = EXCERPT_CHARS * 4;
export const USER_AGENT = "Portico-Webhooks/1.0";

/**
 * The URL rules for this environment: https on public hosts; loopback only where configured; in
 * production, only the hosts the partner's contract lists in `webhook_domains` when it lists any.
 */
export function urlPolicy(config: Config, webhookDomains: readonly string[]): UrlPolicy {
  const production = config.ENVIRONMENT === "production";
  return {
    requireHttps: production,
    allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK,
    allowedPorts: [],
    allowedHosts: production ? webhookDomains : [],
  };
}

/**
 * The partner's webhook domains as its contract stands (the profile cache: a change bites within
 * its TTL). Only production applies them, so only production reads them. A partner without a
 * contract delivers nowhere: undefined.
 */
async function contractDomains(deps: WebhookDeps, partnerId: string): Promise<readonly string[] | undefined> {
  if (deps.config.ENVIRONMENT !== "production") return [];
  const profile = await profileCache.get(partnerId, deps.config.PROFILE_CACHE_TTL_SECONDS * 1000, (id) =>
    loadProfile(deps.db, id),
  );
  return profile?.webhookDomains;
}

/**
 * The payload partners receive (docs/webhooks.md): thin, but with the object's snapshot, rendered
 * in the endpoint's API version through the same chain as answers (docs/versions.md). The snapshot
 * is stored at the current version; an endpoint pinned to it gets it as stored.
 */
export function payloadOf(event: EventRow, version: string = CURRENT_VERSION): string {
  const chain = chainFor(version);
  const data = JSON.parse(event.data) as unknown;
  return JSON.stringify({
    id: event.id,
    type: event.type,
    created_at: event.createdAt,
    livemode: event.livemode,
    data: chain.empty || !mentionsChangedObject(chain, event.data) ? data : downgradeValue(chain, data),
  });
}

/** Fan-out: a delivery per subscribed, enabled endpoint, and a queue message for each one still pending. */
export async function fanOut(deps: WebhookDeps, eventId: string): Promise<number> {
  const event = await findEvent(deps.db, eventId);
  if (!event) return 0;
  const endpoints = await subscribedEndpoints(deps.db, event.partnerId, event.type);
  const deliveries = await ensureDeliveries(
    deps.db,
    endpoints.map((e) => ({ id: uuidv7(), eventId, endpointId: e.id, partnerId: event.partnerId })),
  );
  // A fan-out re-run after a crash sends again what may not have been sent: deliveries are idempotent.
  await enqueueDeliveries(
    deps.deliveries,
    deliveries.filter((d) => d.status === "pending" && d.attempts === 0),
  );
  await markConsumed(deps.db, eventId);
  return deliveries.length;
}

/**
 * Sends again the pending deliveries whose queue message was lost (untouched for `olderThanMs`
 * and not scheduled later). A re-driven delivery starts its retry schedule again; one whose
 * message was only slow may be attempted twice, which receivers recognise by `webhook-id`.
 */
export async function redriveDeliveries(
  deps: WebhookDeps,
  opts: { olderThanMs: number; limit: number; now?: number },
): Promise<number> {
  const now = opts.now ?? Date.now();
  const claimed = await claimStaleDeliveries(
    deps.db,
    new Date(now - opts.olderThanMs).toISOString(),
    opts.limit,
    new Date(now).toISOString(),
  );
  await enqueueDeliveries(deps.deliveries, claimed);
  return claimed.length;
}

export async function enqueueDeliveries(
  queue: Queue<DeliveryMessage>,
  deliveries: Pick<DeliveryRow, "id">[],
) {
  if (deliveries.length === 0) return;
  await queue.sendBatch(deliveries.map((d) => ({ body: { deliveryId: d.id } })));
}

/** What an attempt records when the endpoint's secret does not open (docs/recovery.md). */
export const SECRET_UNAVAILABLE =
  "signing secret cannot be opened with the configured WEBHOOK_SECRETS_KEY; rotate the endpoint's secret";

/** The sealed text, opened; undefined when it does not open under this key (never why: no secret in logs). */
const opened = (sealed: string, key: string, endpointId: string) =>
  openSecret(sealed, key, endpointId).catch(() => undefined);

/**
 * The secrets that sign now: the current one, and the previous one during a rotation's overlap.
 * Undefined when the current one does not open (sealed under another WEBHOOK_SECRETS_KEY): the
 * delivery cannot be signed. A previous one that does not open is left out: a rotation made
 * under a new key signs with its new secret at once.
 */
async function signingSecrets(endpoint: EndpointRow, key: string, now: number) {
  const current = await opened(endpoint.secretSealed, key, endpoint.id);
  if (current === undefined) return undefined;
  const secrets = [current];
  if (
    endpoint.previousSecretSealed &&
    endpoint.previousExpiresAt &&
    Date.parse(endpoint.previousExpiresAt) > now
  ) {
    const previous = await opened(endpoint.previousSecretSealed, key, endpoint.id);
    if (previous !== undefined) secrets.push(previous);
  }
  return secrets;
}

/** One HTTP attempt: never follows a redirect, gives up after the timeout. */
async function send(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ result: AttemptResult; excerpt: string | null; detail?: string }> {
  try {
    const res = await fetch(url, {
      method: "POST",
      body,
      headers: { ...headers, "Content-Type": "application/json", "User-Agent": USER_AGENT },
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Only an excerpt is kept: a receiver's long (or endless) answer is never read whole.
    const text = await readPrefix(res.body, EXCERPT_READ_BYTES).catch(() => "");
    return {
      result: { kind: "response", status: res.status, retryAfter: res.headers.get("Retry-After") },
      excerpt: text.slice(0, EXCERPT_CHARS),
    };
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    const error = name === "TimeoutError" || name === "AbortError" ? "timeout" : "network";
    // What the runtime said (never our secret: the request carries only signatures).
    const detail = err instanceof Error ? err.message.slice(0, 120) : undefined;
    return { result: { kind: "error", error }, excerpt: null, ...(detail ? { detail } : {}) };
  }
}

export type DeliveryOutcome = Decision | { kind: "skip" };

/**
 * One attempt of one delivery (`attempt`: the queue's count for this message, 1-based).
 * Answers what the consumer does with the message: ack (succeeded, skip, give up,
 * endpoint disabled) or retry after a delay.
 */
export async function deliver(
  deps: DeliveryDeps,
  deliveryId: string,
  attempt: number,
): Promise<DeliveryOutcome> {
  const { db, config } = deps;
  const found = await deliveryContext(db, deliveryId);
  if (found?.delivery.status !== "pending") return { kind: "skip" };
  const { delivery, endpoint, event } = found;
  if (endpoint.status !== "enabled") {
    await setDeliveryStatus(db, deliveryId, "failed");
    return { kind: "skip" };
  }
  const key = config.WEBHOOK_SECRETS_KEY;
  if (!key) throw new Error("WEBHOOK_SECRETS_KEY is not configured");

  const started = Date.now();
  const domains = await contractDomains(deps, endpoint.partnerId);
  const verdict: UrlVerdict = domains
    ? checkWebhookUrl(endpoint.url, urlPolicy(config, domains))
    : { ok: false, reason: "the partner has no contract" };
  const secrets = verdict.ok ? await signingSecrets(endpoint, key, started) : undefined;
  let sent: { result: AttemptResult; excerpt: string | null; detail?: string };
  let error: string | null = null;
  if (!verdict.ok) {
    sent = { result: { kind: "error", error: "url_refused" }, excerpt: null };
    error = `url refused: ${verdict.reason}`;
  } else if (!secrets) {
    // Nothing is sent unsigned: the attempt is recorded and retried on the schedule like a failure.
    sent = { result: { kind: "error", error: "secret_unavailable" }, excerpt: null };
    error = SECRET_UNAVAILABLE;
    createLogger("warn").warn("webhook secret cannot be opened", { endpoint_id: endpoint.id });
  } else {
    const body = payloadOf(event, endpoint.apiVersion);
    const headers = await signHeaders(secrets, event.id, Math.floor(started / 1000), body);
    sent = await send(verdict.url.toString(), body, headers, config.WEBHOOK_TIMEOUT_MS);
    if (sent.result.kind === "error") {
      error = sent.result.error === "network" && sent.detail ? `network: ${sent.detail}` : sent.result.error;
    }
  }
  const now = Date.now();
  const decision = decide(sent.result, attempt, config.WEBHOOK_RETRY_DELAYS, now);
  const failed = decision.kind !== "succeeded";
  const failingSince = failed ? (endpoint.failingSince ?? new Date(started).toISOString()) : null;
  const nextAttemptAt =
    decision.kind === "retry" ? new Date(now + decision.delaySeconds * 1000).toISOString() : null;

  await recordAttempt(
    db,
    {
      id: uuidv7(),
      deliveryId,
      eventId: event.id,
      endpointId: endpoint.id,
      attemptedAt: new Date(started).toISOString(),
      statusCode: sent.result.kind === "response" ? sent.result.status : null,
      latencyMs: now - started,
      responseExcerpt: sent.excerpt,
      error,
      outcome: decision.kind === "succeeded" ? "succeeded" : decision.kind === "retry" ? "retry" : "failed",
      nextRetryAt: nextAttemptAt,
    },
    {
      status: decision.kind === "succeeded" ? "succeeded" : decision.kind === "retry" ? "pending" : "failed",
      nextAttemptAt,
    },
    // The endpoint row is written only when its failure run starts or ends.
    failingSince === endpoint.failingSince ? undefined : { failingSince },
  );

  const failingTooLong =
    failingSince !== null && now - Date.parse(failingSince) >= config.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000;
  if (decision.kind === "disable_endpoint") {
    await disableEndpoint(deps, endpoint, "the endpoint answered 410 Gone");
  } else if (failingTooLong) {
    await disableEndpoint(
      deps,
      endpoint,
      `no successful delivery for ${config.WEBHOOK_DISABLE_AFTER_HOURS} hours`,
    );
  }
  if (decision.kind === "give_up") await deps.deadLetters.send({ deliveryId: delivery.id });
  return decision;
}

/**
 * Stops deliveries to an endpoint and tells the partner with an `endpoint.disabled` event,
 * committed with the change: once, however many failing deliveries decide it at once.
 */
async function disableEndpoint(deps: DeliveryDeps, stale: EndpointRow, reason: string) {
  // The endpoint as it is now (a rotation or an edit may have happened since the delivery began).
  const endpoint = await findEndpoint(deps.db, stale.partnerId, stale.id);
  if (endpoint?.status !== "enabled") return;
  const eventId = uuidv7();
  const disabled = await disableEndpointRow(deps.db, endpoint, reason, (row) => ({
    id: eventId,
    type: "endpoint.disabled",
    partnerId: row.partnerId,
    livemode: deps.config.ENVIRONMENT === "production",
    createdAt: row.updatedAt,
    object: endpointView(row),
  }));
  if (!disabled) return;
  createLogger("warn").warn("webhook endpoint disabled", { endpoint_id: endpoint.id, reason });
  await sendPending(deps.db, deps.events, [eventId]);
}

/** An endpoint as the API shows it; never its secret. */
export function endpointView(row: EndpointRow) {
  return {
    id: row.id,
    object: "webhook_endpoint" as const,
    url: row.url,
    description: row.description,
    events: row.events,
    status: row.status as "enabled" | "disabled",
    disabled_reason: row.disabledReason,
    api_version: row.apiVersion,
    signing: {
      algorithm: row.signing,
      public_key: row.publicKey,
      previous_public_key: row.previousPublicKey,
      previous_expires_at: row.previousExpiresAt,
    },
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

/**
 * The dead-letter consumer: says so for every dead letter. A delivery past its last attempt
 * is failed already; one whose consumer kept crashing is failed here.
 */
export async function recordDeadLetter(db: Db, body: DeliveryMessage | { eventId: string }, deadSince: Date) {
  const log = createLogger("error");
  if ("deliveryId" in body) {
    await failDeadDelivery(db, body.deliveryId, deadSince);
    log.error("webhook delivery dead-lettered", { delivery_id: body.deliveryId });
  } else {
    log.error("event fan-out dead-lettered", { event_id: body.eventId });
  }
}
