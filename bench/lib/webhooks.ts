// The webhook delivery benchmark. A receiver in this process (node:http on 127.0.0.1, a free port)
// is registered as the bench partner's endpoint for `payment.captured`; then `events` captured card
// payments are created, a few at a time, each one an event. The receiver verifies every signature
// with the `standardwebhooks` package and answers 500 to the first attempt of ~30% of the events
// (chosen by a hash of the webhook-id, so by the event), 200 otherwise. Measured: how many events
// arrive, how fast (events/s, lag from the payment's answer to its delivery), retries, dead letters
// (cross-checked with GET /v1/events), duplicates. Baseline: the same receiver loaded straight from
// the bench with signed POSTs, and the rate at which the bench could create the payments.
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { Webhook } from "standardwebhooks";
import { type D1Target, querySql } from "../../scripts/lib/wrangler";
import { CARD_PAYMENT, parseResult } from "../scenarios";
import { positiveInt } from "./load";
import { formatCodes } from "./storm";

export interface WebhookSettings {
  /** Payments created, each one a `payment.captured` event. */
  events: number;
  /** Payments created at once. */
  concurrency: number;
  /** How long to wait for every event to be delivered. */
  timeoutMs: number;
  /** Share of events whose first attempt the receiver answers 500. */
  failShare: number;
  /** Signed POSTs of the baseline (bench → receiver, no gateway), and how many at once. */
  baselineRequests: number;
  baselineConcurrency: number;
}

/** Defaults: 300 events, 4 at once, 120 s; BENCH_WEBHOOK_EVENTS, BENCH_WEBHOOK_CONCURRENCY override. */
export function webhookSettingsFromEnv(): WebhookSettings {
  return {
    events: Math.round(positiveInt("BENCH_WEBHOOK_EVENTS", 300)),
    concurrency: Math.round(positiveInt("BENCH_WEBHOOK_CONCURRENCY", 4)),
    timeoutMs: positiveInt("BENCH_WEBHOOK_TIMEOUT", 120) * 1000,
    failShare: 0.3,
    baselineRequests: 2000,
    // The gateway's delivery consumer takes batches of up to 20 messages, sent concurrently.
    baselineConcurrency: 20,
  };
}

/** One webhook-id as the receiver saw it: every attempt, in arrival order. */
interface Hook {
  type: string | undefined;
  paymentId: string | undefined;
  attempts: { at: number; status: number }[];
}

export interface WebhookResult {
  events: number;
  paymentsCreated: number;
  /** Payment creation: first request sent to last answer (ms, performance.now()). */
  produceMs: number;
  /** Distinct webhook-ids of this run's payments answered 200. */
  delivered: number;
  eventsPerSec: number;
  lagMs: { p50: number; p99: number; max: number };
  firstAttemptLagMs: { p50: number; p99: number };
  /** Attempts the receiver saw, by its answer; attempts the gateway recorded (local D1), by status or error. */
  attempts: number;
  attemptCodes: Record<string, number>;
  gatewayAttempts?: Record<string, number>;
  gatewayAttemptsError?: string;
  /** Events not yet delivered when the last payment was answered, and how long after it the last one was. */
  backlog: number;
  drainMs: number;
  retried: number;
  deadLettered: number;
  /** Events of this run that GET /v1/events?delivery_status=failed lists, and the status of all of them there. */
  apiFailed: number;
  apiStatuses: Record<string, number>;
  duplicates: number;
  /** Webhook-ids beyond one per payment (one event per capture expected). */
  severalEvents: number;
  signatureFailures: number;
  /** Deliveries of events that are not this run's captured payments. */
  unrelated: number;
  baseline: { requests: number; concurrency: number; rps: number; p50: number; p99: number };
  /** Gateway warn/error log lines during the run, and among them rate-limiter fail-opens. */
  warnLines?: number;
  failOpens?: number;
  failures: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};
/** Nearest-rank percentile of unsorted values; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** A request's whole body as text (the bench's and the crash loop's receivers). */
export const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

function eventOf(body: string): { type?: string; paymentId?: string } {
  try {
    const event = JSON.parse(body) as { type?: unknown; data?: { object?: { id?: unknown } } };
    const id = event.data?.object?.id;
    return {
      ...(typeof event.type === "string" ? { type: event.type } : {}),
      ...(typeof id === "string" ? { paymentId: id } : {}),
    };
  } catch {
    return {};
  }
}

/** The receiver: /hooks records every attempt; /baseline does the same work without recording. */
export async function startReceiver(failShare: number) {
  const hooks = new Map<string, Hook>();
  const state = { verifier: undefined as Webhook | undefined, signatureFailures: 0, sample: "" };
  const failsFirst = (id: string) =>
    createHash("sha256").update(id).digest().readUInt32BE(0) / 2 ** 32 < failShare;
  const server = createServer(async (req, res) => {
    const at = performance.now();
    const body = await readBody(req);
    const header = (name: string) => String(req.headers[name] ?? "");
    const headers = {
      "webhook-id": header("webhook-id"),
      "webhook-timestamp": header("webhook-timestamp"),
      "webhook-signature": header("webhook-signature"),
    };
    let valid = false;
    try {
      state.verifier?.verify(body, headers);
      valid = state.verifier !== undefined;
    } catch {}
    if (!valid) state.signatureFailures++;
    let status = valid ? 200 : 401;
    if (req.url === "/hooks") {
      const id = headers["webhook-id"];
      let hook = hooks.get(id);
      if (!hook) {
        state.sample ||= body;
        const { type, paymentId } = eventOf(body);
        hook = { type, paymentId, attempts: [] };
        hooks.set(id, hook);
      }
      if (valid && hook.attempts.length === 0 && failsFirst(id)) status = 500;
      hook.attempts.push({ at, status });
    }
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ received: status === 200 }));
  });
  // Longer than Node's 5 s default, so that an idle keep-alive connection is not closed just as
  // the gateway (slow under load) reuses it: that would fail attempts that never reached us.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hooks,
    state,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function api(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json", "Idempotency-Key": randomUUID() }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  const result = parseResult(text);
  if (res.status !== 200 || !result)
    throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return result;
}

/** Every event of a listing (newest first), page by page. */
async function listEvents(base: string, token: string, query: string) {
  const items: Record<string, unknown>[] = [];
  for (let after = ""; ; ) {
    const page = await api(base, token, "GET", `/v1/events?${query}&limit=100${after}`);
    const data = (page.data ?? []) as Record<string, unknown>[];
    items.push(...data);
    const last = data.at(-1);
    if (page.has_more !== true || !last) return items;
    after = `&starting_after=${String(last.id)}`;
  }
}

/** One payment under its own Idempotency-Key; a lost connection, 409, 429 or 5xx is sent again. */
async function createPayment(base: string, token: string, tag: string) {
  const key = `${tag}-${randomUUID()}`;
  const body = JSON.stringify({ params: { ...CARD_PAYMENT, metadata: { bench_webhooks: tag } } });
  let last = "";
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const res = await fetch(`${base}/v1/payments`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
          "Idempotency-Key": key,
        },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      const at = performance.now();
      const result = parseResult(text);
      if (res.status === 200 && result?.status === "captured" && typeof result.id === "string")
        return { id: result.id, at };
      last = `HTTP ${res.status} ${text.slice(0, 200)}`;
      if (res.status !== 409 && res.status !== 429 && res.status < 500) break;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(500 * attempt);
  }
  throw new Error(`POST /v1/payments: ${last}`);
}

/** Signed POSTs straight to the receiver, `concurrency` at a time: what it takes without the gateway. */
async function baseline(url: string, secret: string, sample: string, settings: WebhookSettings) {
  const signer = new Webhook(secret);
  const requests = Array.from({ length: settings.baselineRequests }, () => {
    const id = `msg_baseline_${randomUUID()}`;
    const now = new Date();
    return {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": signer.sign(id, now, sample),
      "Content-Type": "application/json",
    };
  });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: settings.baselineConcurrency }, async () => {
      for (let i = next++; i < requests.length; i = next++) {
        const t = performance.now();
        const res = await fetch(`${url}/baseline`, { method: "POST", headers: requests[i], body: sample });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`baseline: the receiver answered ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: requests.length,
    concurrency: settings.baselineConcurrency,
    rps: requests.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** The gateway's own record of the endpoint's attempts (local D1): status code, or the error. */
async function recordedAttempts(d1: D1Target, endpointId: string): Promise<Record<string, number>> {
  if (!/^[\w-]+$/.test(endpointId)) throw new Error(`unexpected endpoint id ${endpointId}`);
  const rows = await querySql(
    d1,
    "SELECT COALESCE(CAST(status_code AS TEXT), error) AS what, COUNT(*) AS n FROM webhook_attempts " +
      `WHERE endpoint_id = '${endpointId}' GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [String(r.what), Number(r.n)]));
}

export async function runWebhooks(
  base: string,
  ctx: { token: string },
  settings: WebhookSettings,
  d1: D1Target | undefined,
): Promise<WebhookResult> {
  const receiver = await startReceiver(settings.failShare);
  try {
    const since = new Date(Date.now() - 5_000).toISOString();
    const endpoint = await api(base, ctx.token, "POST", "/v1/webhook_endpoints", {
      params: { url: `${receiver.url}/hooks`, events: ["payment.captured"], description: "npm run bench" },
    });
    if (typeof endpoint.secret !== "string") throw new Error("the new endpoint came without its secret");
    receiver.state.verifier = new Webhook(endpoint.secret);

    // The events: payments created `concurrency` at a time, each answer's time kept by payment id.
    const tag = `webhooks-${Date.now()}`;
    const answeredAt = new Map<string, number>();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: settings.concurrency }, async () => {
        while (next++ < settings.events) {
          const { id, at } = await createPayment(base, ctx.token, tag);
          answeredAt.set(id, at);
        }
      }),
    );
    const produced = performance.now();

    // This run's events as the receiver saw them, by webhook-id.
    const ours = () =>
      [...receiver.hooks.values()].filter(
        (h) => h.type === "payment.captured" && answeredAt.has(h.paymentId ?? ""),
      );
    const okAt = (h: Hook) => h.attempts.find((a) => a.status === 200)?.at;
    const deliveredPayments = () =>
      new Set(ours().flatMap((h) => (okAt(h) === undefined ? [] : [h.paymentId]))).size;
    const deadline = performance.now() + settings.timeoutMs;
    while (deliveredPayments() < answeredAt.size && performance.now() < deadline) await sleep(100);
    // A short grace for late duplicates, and for the last outcomes to reach D1.
    await sleep(3_000);

    const hooks = ours();
    const attemptCodes: Record<string, number> = {};
    for (const h of hooks) for (const a of h.attempts) bump(attemptCodes, String(a.status));
    const sentAt = (h: Hook) => answeredAt.get(h.paymentId ?? "") ?? Number.NaN;
    const okHooks = hooks.filter((h) => okAt(h) !== undefined);
    const lags = okHooks.map((h) => (okAt(h) ?? 0) - sentAt(h));
    const firstLags = hooks.map((h) => (h.attempts[0]?.at ?? 0) - sentAt(h));
    const lastDelivery = Math.max(started, ...okHooks.map((h) => okAt(h) ?? 0));
    const delivered = okHooks.length;
    const apiEvents = (
      await listEvents(base, ctx.token, `type=payment.captured&created[gte]=${since}`)
    ).filter((e) => answeredAt.has(String((e.data as { object?: { id?: unknown } })?.object?.id)));
    const apiStatuses: Record<string, number> = {};
    for (const e of apiEvents) bump(apiStatuses, String(e.delivery_status));
    const failedIds = new Set(apiEvents.map((e) => e.id));
    const apiFailed = (
      await listEvents(base, ctx.token, `delivery_status=failed&created[gte]=${since}`)
    ).filter((e) => failedIds.has(e.id)).length;

    // The baseline's body: a real delivery's payload, so the receiver verifies as much as before.
    const sample =
      receiver.state.sample || JSON.stringify({ type: "payment.captured", data: { object: {} } });
    const result: WebhookResult = {
      events: settings.events,
      paymentsCreated: answeredAt.size,
      produceMs: produced - started,
      delivered,
      eventsPerSec: delivered / ((lastDelivery - started) / 1000),
      lagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: Math.max(...lags) },
      firstAttemptLagMs: { p50: percentile(firstLags, 50), p99: percentile(firstLags, 99) },
      attempts: hooks.reduce((n, h) => n + h.attempts.length, 0),
      attemptCodes,
      backlog: answeredAt.size - okHooks.filter((h) => (okAt(h) ?? 0) <= produced).length,
      drainMs: lastDelivery - produced,
      retried: okHooks.filter((h) => h.attempts[0]?.status !== 200).length,
      deadLettered: answeredAt.size - deliveredPayments(),
      apiFailed,
      apiStatuses,
      duplicates: hooks.reduce(
        (n, h) => n + Math.max(0, h.attempts.filter((a) => a.status === 200).length - 1),
        0,
      ),
      severalEvents: hooks.length - new Set(hooks.map((h) => h.paymentId)).size,
      signatureFailures: receiver.state.signatureFailures,
      unrelated: receiver.hooks.size - hooks.length,
      baseline: await baseline(receiver.url, endpoint.secret, sample, settings),
      failures: [],
    };
    await api(base, ctx.token, "DELETE", `/v1/webhook_endpoints/${String(endpoint.id)}`);
    if (d1) {
      try {
        result.gatewayAttempts = await recordedAttempts(d1, String(endpoint.id));
      } catch (err) {
        result.gatewayAttemptsError = err instanceof Error ? err.message.split("\n")[0] : String(err);
      }
    }

    const f = result.failures;
    if (result.deadLettered > 0)
      f.push(`webhooks: ${result.deadLettered} of ${answeredAt.size} events never delivered within the wait`);
    if (
      apiEvents.length !== answeredAt.size ||
      result.apiFailed !== result.deadLettered ||
      (apiStatuses.succeeded ?? 0) !== answeredAt.size - result.deadLettered
    )
      f.push(
        `webhooks: GET /v1/events lists ${apiEvents.length} events of ${answeredAt.size} payments (${formatCodes(apiStatuses)}), ${apiFailed} with delivery_status=failed; the receiver misses ${result.deadLettered}`,
      );
    if (result.signatureFailures > 0)
      f.push(`webhooks: ${result.signatureFailures} deliveries failed signature verification`);
    if (result.severalEvents > 0)
      f.push(
        `webhooks: ${result.severalEvents} more webhook-ids than payments (one event per capture expected)`,
      );
    return result;
  } finally {
    await receiver.close();
  }
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "-");

export function printWebhooks(r: WebhookResult, delays: number[]) {
  const rows: [string, string][] = [
    ["events", `${r.events} payment.captured (${r.paymentsCreated} payments created)`],
    ["delivered", `${r.delivered} distinct webhook-ids answered 200`],
    ["events/s delivered", `${r.eventsPerSec.toFixed(1)} (first payment sent → last first-200 delivery)`],
    [
      "lag to delivery",
      `p50 ${ms(r.lagMs.p50)} ms, p99 ${ms(r.lagMs.p99)} ms, max ${ms(r.lagMs.max)} ms (payment answered → first 200)`,
    ],
    ["lag to 1st attempt", `p50 ${ms(r.firstAttemptLagMs.p50)} ms, p99 ${ms(r.firstAttemptLagMs.p99)} ms`],
    [
      "attempts",
      `${r.attempts} received (${formatCodes(r.attemptCodes)}); retry delays ${delays.join(",")} s`,
    ],
    [
      "attempts (gateway)",
      r.gatewayAttempts
        ? `${Object.values(r.gatewayAttempts).reduce((a, b) => a + b, 0)} recorded in D1 (${formatCodes(r.gatewayAttempts)})`
        : `not checked${r.gatewayAttemptsError ? `: ${r.gatewayAttemptsError}` : ""}`,
    ],
    [
      "backlog",
      `${r.backlog} events undelivered when the last payment was answered; the last delivered ${(r.drainMs / 1000).toFixed(1)} s later`,
    ],
    ["retried", `${r.retried} events answered 500 first, delivered later`],
    [
      "dead-lettered",
      `${r.deadLettered} never delivered; GET /v1/events: ${r.apiFailed} failed (${formatCodes(r.apiStatuses)})`,
    ],
    ["duplicates", `${r.duplicates} deliveries answered 200 for an id already answered 200`],
    ["signature failures", `${r.signatureFailures} (standardwebhooks verify)`],
  ];
  if (r.unrelated > 0) rows.push(["unrelated", `${r.unrelated} webhook-ids not of this run's payments`]);
  if (r.warnLines !== undefined)
    rows.push([
      "gateway warnings",
      `${r.warnLines} warn/error log lines, ${r.failOpens ?? 0} of them rate-limiter fail-opens`,
    ]);
  rows.push(
    [
      "baseline: producer",
      `${(r.paymentsCreated / (r.produceMs / 1000)).toFixed(1)} payments/s created (the events' source, ${(r.produceMs / 1000).toFixed(1)} s)`,
    ],
    [
      "baseline: receiver",
      `${r.baseline.rps.toFixed(0)} req/s, p50 ${r.baseline.p50.toFixed(1)} ms, p99 ${r.baseline.p99.toFixed(1)} ms ` +
        `(${r.baseline.requests} signed POSTs by fetch from this process, ${r.baseline.concurrency} at once, no gateway)`,
    ],
    ["verdict", r.failures.length === 0 ? "ok: every event delivered, signatures valid" : "FAILED"],
  );
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

export const webhooksJson = (r: WebhookResult) => ({
  events: r.events,
  delivered: r.delivered,
  events_per_s: Number(r.eventsPerSec.toFixed(2)),
  lag_p50_ms: Math.round(r.lagMs.p50),
  lag_p99_ms: Math.round(r.lagMs.p99),
  first_attempt_lag_p50_ms: Math.round(r.firstAttemptLagMs.p50),
  first_attempt_lag_p99_ms: Math.round(r.firstAttemptLagMs.p99),
  retried: r.retried,
  backlog: r.backlog,
  drain_ms: Math.round(r.drainMs),
  gateway_attempts: r.gatewayAttempts ?? null,
  dead_lettered: r.deadLettered,
  api_failed: r.apiFailed,
  duplicates: r.duplicates,
  signature_failures: r.signatureFailures,
  payments_per_s: Number((r.paymentsCreated / (r.produceMs / 1000)).toFixed(2)),
  receiver_baseline_rps: Math.round(r.baseline.rps),
  ok: r.failures.length === 0,
});
