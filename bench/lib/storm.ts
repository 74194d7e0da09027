// The idempotency storm: `keys` distinct Idempotency-Keys, each sent `retriesPerKey` times with
// the same POST /v1/payments, all of them in flight at once. A client would do the same: on a 409
// idempotency_in_flight (code 52) it waits Retry-After and sends the request again, until the key
// answers 200. Then every key must map to exactly one payment, the payments list must hold exactly
// one payment per key, the ledger exactly one capture entry per payment, and (through the bench's
// local D1) the whole ledger must still balance. Correctness, not speed: any miss is a failure.
import { type D1Target, querySql } from "../../scripts/lib/wrangler";
import { CARD_PAYMENT, parseResult } from "../scenarios";
import { positiveInt } from "./load";

export interface StormSettings {
  /** Distinct Idempotency-Keys. */
  keys: number;
  /** Identical requests per key, all sent at once. */
  retriesPerKey: number;
  /** Attempts per request (the first included) before giving up on a 409. */
  maxAttempts: number;
  /** How long to wait for the payments' outbox to reach the ledger. */
  ledgerWaitMs: number;
}

/** Defaults: 100 keys × 20; BENCH_STORM_KEYS, BENCH_STORM_RETRIES override. */
export function stormSettingsFromEnv(): StormSettings {
  return {
    keys: Math.round(positiveInt("BENCH_STORM_KEYS", 100)),
    retriesPerKey: Math.round(positiveInt("BENCH_STORM_RETRIES", 20)),
    maxAttempts: 30,
    ledgerWaitMs: 20_000,
  };
}

export interface StormResult {
  keys: number;
  retriesPerKey: number;
  /** Requests of the first wave (keys × retriesPerKey, all at once). */
  firstWave: number;
  /** Every request sent: the first wave and the retries of 409s (and of transport errors). */
  requestsSent: number;
  /** Status → count over every answer; "error" for a request that got no answer. */
  statusCodes: Record<string, number>;
  firstWaveCodes: Record<string, number>;
  /** 200s that ran the route (no `Idempotent-Replayed`) and 200s that replayed a stored answer. */
  executed: number;
  replayed: number;
  keysAnswered: number;
  keysWithSeveralIds: number;
  distinctPaymentIds: number;
  /** Payments of this storm in GET /v1/payments (tagged through their metadata). */
  paymentsCreated: number;
  /** paymentsCreated − keys answered 200: must be 0. */
  duplicates: number;
  ledger: {
    /** Capture entries (GET /v1/ledger/entries?reference=) over the storm's payments. */
    captureEntries: number;
    paymentsWithExactlyOne: number;
    wrongAmounts: number;
    /** Until every payment had its capture entry, or the wait ran out. */
    waitedMs: number;
  };
  d1?: {
    payments: number;
    captureEntries: number;
    /** Debits − credits per currency over the whole ledger. */
    imbalance: { currency: string; imbalance: number }[];
  };
  d1Error?: string;
  /** Gateway warn/error log lines during the storm, and among them rate-limiter fail-opens. */
  warnLines?: number;
  failOpens?: number;
  durationMs: number;
  failures: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};
export const formatCodes = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code}×${n}`)
    .join(", ") || "none";

interface Answer {
  status: number | "error";
  body: string;
  replayed: boolean;
  retryAfterSec: number;
}

const describe = (err: unknown): string => {
  if (!(err instanceof Error)) return String(err);
  return err.cause === undefined ? err.message : `${err.message} (${describe(err.cause)})`;
};

/** A GET of the checks; a lost connection (one of the storm's thousands closing) is tried again. */
async function getJson(base: string, path: string, token: string): Promise<Record<string, unknown>> {
  let res: Response | undefined;
  for (let attempt = 1; !res; attempt++) {
    try {
      res = await fetch(base + path, {
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      if (attempt >= 5) throw new Error(`GET ${path}: ${describe(err)}`);
      await sleep(200 * attempt);
    }
  }
  const text = await res.text();
  const result = parseResult(text);
  if (res.status !== 200 || !result) throw new Error(`GET ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return result;
}

/** Every page of a list, newest first, until `stop` says the rest is older than we care about. */
async function listAll(
  base: string,
  path: string,
  token: string,
  stop: (item: Record<string, unknown>) => boolean = () => false,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let after: string | undefined;
  for (;;) {
    const sep = path.includes("?") ? "&" : "?";
    const page = await getJson(
      base,
      `${path}${sep}limit=100${after ? `&starting_after=${after}` : ""}`,
      token,
    );
    const data = (page.data ?? []) as Record<string, unknown>[];
    items.push(...data);
    const last = data.at(-1);
    if (page.has_more !== true || !last || stop(last)) return items;
    after = String(last.id);
  }
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return out;
}

export async function runStorm(
  base: string,
  ctx: { token: string; partnerId: string },
  settings: StormSettings,
  d1: D1Target | undefined,
): Promise<StormResult> {
  const started = Date.now();
  const tag = `storm-${started}-${Math.random().toString(36).slice(2, 8)}`;
  const body = JSON.stringify({ params: { ...CARD_PAYMENT, metadata: { bench_storm: tag } } });
  const failures: string[] = [];
  const statusCodes: Record<string, number> = {};
  const firstWaveCodes: Record<string, number> = {};
  const otherErrors: Record<string, number> = {};
  const idsByKey = new Map<string, Set<string>>();
  const notCaptured: string[] = [];
  let requestsSent = 0;
  let executed = 0;
  let replayed = 0;

  async function post(key: string): Promise<Answer> {
    requestsSent++;
    try {
      const res = await fetch(`${base}/v1/payments`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${ctx.token}`,
          "Content-Type": "application/json",
          "Idempotency-Key": key,
        },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const retryAfter = Number(res.headers.get("Retry-After"));
      return {
        status: res.status,
        body: await res.text(),
        replayed: res.headers.get("Idempotent-Replayed") === "true",
        retryAfterSec: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1,
      };
    } catch (err) {
      return {
        status: "error",
        body: describe(err),
        replayed: false,
        retryAfterSec: 1,
      };
    }
  }

  /** One client's request under `key`: sent, and sent again after Retry-After while retryable. */
  async function client(key: string) {
    for (let attempt = 1; ; attempt++) {
      const answer = await post(key);
      bump(statusCodes, String(answer.status));
      if (attempt === 1) bump(firstWaveCodes, String(answer.status));
      if (answer.status === 200) {
        const result = parseResult(answer.body);
        if (answer.replayed) replayed++;
        else executed++;
        if (typeof result?.id === "string") idsByKey.get(key)?.add(result.id);
        if (result?.status !== "captured") notCaptured.push(answer.body.slice(0, 200));
        return;
      }
      const code = answer.status === "error" ? undefined : parseErrorCode(answer.body);
      if (answer.status === 409 && code !== 52) bump(otherErrors, `409 code ${code}`);
      // 409 in flight (and, to be a fair client, a lost connection, 429 or 5xx) is retried.
      const retryable =
        answer.status === "error" || answer.status === 409 || answer.status === 429 || answer.status >= 500;
      if (!retryable || attempt >= settings.maxAttempts) {
        bump(otherErrors, `gave up on ${answer.status}: ${answer.body.slice(0, 160)}`);
        return;
      }
      await sleep(answer.retryAfterSec * 1000 + Math.random() * 250);
    }
  }

  const keys = Array.from({ length: settings.keys }, (_, i) => `${tag}-key-${i}`);
  for (const key of keys) idsByKey.set(key, new Set());
  // All keys × retries in flight together, the duplicates of a key sent back to back so that they
  // reach the gateway together (a Worker takes them in about the order they were sent).
  const wave: Promise<void>[] = [];
  for (const key of keys) for (let r = 0; r < settings.retriesPerKey; r++) wave.push(client(key));
  await Promise.all(wave);
  const stormMs = Date.now() - started;

  const keysAnswered = [...idsByKey.values()].filter((ids) => ids.size > 0).length;
  const keysWithSeveralIds = [...idsByKey.values()].filter((ids) => ids.size > 1).length;
  const responseIds = new Set([...idsByKey.values()].flatMap((ids) => [...ids]));

  // The payments list: newest first, so stop once a page reaches payments older than the storm.
  const listed = await listAll(
    base,
    "/v1/payments",
    ctx.token,
    (p) => Date.parse(String(p.created_at)) < started - 60_000,
  );
  const stormPayments = listed.filter(
    (p) => (p.metadata as Record<string, string> | undefined)?.bench_storm === tag,
  );
  const paymentIds = new Set([...responseIds, ...stormPayments.map((p) => String(p.id))]);

  // The ledger: one capture entry per payment, once each payment's outbox has drained.
  const ledgerStart = Date.now();
  let entries = new Map<string, Record<string, unknown>[]>();
  for (;;) {
    const lists = await inBatches([...paymentIds], 25, async (id) => {
      const all = await listAll(base, `/v1/ledger/entries?reference=${id}`, ctx.token);
      return [id, all.filter((e) => e.kind === "capture")] as const;
    });
    entries = new Map(lists);
    const missing = lists.filter(([, list]) => list.length === 0).length;
    if (missing === 0 || Date.now() - ledgerStart > settings.ledgerWaitMs) break;
    await sleep(250);
  }
  const ledgerWaitedMs = Date.now() - ledgerStart;
  const perPayment = [...entries.values()];
  const ledger = {
    captureEntries: perPayment.reduce((n, list) => n + list.length, 0),
    paymentsWithExactlyOne: perPayment.filter((list) => list.length === 1).length,
    wrongAmounts: perPayment.flat().filter((e) => e.amount !== CARD_PAYMENT.amount).length,
    waitedMs: ledgerWaitedMs,
  };

  const result: StormResult = {
    keys: settings.keys,
    retriesPerKey: settings.retriesPerKey,
    firstWave: settings.keys * settings.retriesPerKey,
    requestsSent,
    statusCodes,
    firstWaveCodes,
    executed,
    replayed,
    keysAnswered,
    keysWithSeveralIds,
    distinctPaymentIds: responseIds.size,
    paymentsCreated: stormPayments.length,
    duplicates: stormPayments.length - keysAnswered,
    ledger,
    durationMs: stormMs,
    failures,
  };

  if (d1) {
    try {
      result.d1 = await d1Check(d1, ctx.partnerId, tag);
    } catch (err) {
      result.d1Error = err instanceof Error ? err.message.split("\n")[0] : String(err);
    }
  }

  if (keysAnswered !== settings.keys)
    failures.push(`storm: ${settings.keys - keysAnswered} keys never answered 200`);
  if (keysWithSeveralIds > 0)
    failures.push(`storm: ${keysWithSeveralIds} keys answered more than one payment id`);
  if (responseIds.size !== keysAnswered)
    failures.push(`storm: ${responseIds.size} distinct payment ids for ${keysAnswered} keys`);
  if (result.duplicates !== 0)
    failures.push(`storm: ${result.duplicates} duplicate payments (${stormPayments.length} listed)`);
  if (notCaptured.length > 0)
    failures.push(`storm: ${notCaptured.length} 200s not captured, e.g. ${notCaptured[0]}`);
  for (const [what, n] of Object.entries(otherErrors)) failures.push(`storm: ${n}× ${what}`);
  if (statusCodes["429"]) failures.push(`storm: ${statusCodes["429"]} answers 429: the rate limit capped it`);
  const unexpected = Object.keys(statusCodes).filter((c) => c !== "200" && c !== "409");
  if (unexpected.length > 0)
    failures.push(`storm: unexpected answers ${formatCodes(statusCodes)} (only 200 and 409 expected)`);
  if (ledger.paymentsWithExactlyOne !== paymentIds.size || ledger.captureEntries !== paymentIds.size)
    failures.push(
      `storm: ${ledger.captureEntries} capture entries for ${paymentIds.size} payments, ${ledger.paymentsWithExactlyOne} with exactly one (after ${ledgerWaitedMs} ms)`,
    );
  if (ledger.wrongAmounts > 0)
    failures.push(`storm: ${ledger.wrongAmounts} capture entries of a wrong amount`);
  if (result.d1Error) failures.push(`storm: D1 check failed: ${result.d1Error}`);
  if (result.d1) {
    const off = result.d1.imbalance.filter((r) => r.imbalance !== 0);
    if (off.length > 0)
      failures.push(
        `storm: the ledger does not balance: ${off.map((r) => `${r.currency} ${r.imbalance}`).join(", ")}`,
      );
    if (result.d1.payments !== paymentIds.size)
      failures.push(
        `storm: D1 holds ${result.d1.payments} payments of the storm, the API ${paymentIds.size}`,
      );
    if (result.d1.captureEntries !== result.d1.payments)
      failures.push(
        `storm: D1 holds ${result.d1.captureEntries} capture entries for ${result.d1.payments} payments`,
      );
  }
  return result;
}

function parseErrorCode(body: string): number | undefined {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === "number" ? code : undefined;
  } catch {
    return undefined;
  }
}

/** The storm's payments and capture entries in D1, and debits − credits per currency of the whole ledger. */
async function d1Check(
  target: D1Target,
  partnerId: string,
  tag: string,
): Promise<NonNullable<StormResult["d1"]>> {
  const literal = (s: string) => {
    if (!/^[\w-]+$/.test(s)) throw new Error(`unexpected characters in ${s}`);
    return `'${s}'`;
  };
  const ofStorm = `SELECT id FROM payments WHERE partner_id = ${literal(partnerId)} AND json_extract(snapshot, '$.metadata.bench_storm') = ${literal(tag)}`;
  const [counts] = await querySql(
    target,
    `SELECT (SELECT COUNT(*) FROM (${ofStorm})) AS payments, ` +
      `(SELECT COUNT(*) FROM journal_entries WHERE kind = 'capture' AND reference IN (${ofStorm})) AS capture_entries`,
  );
  const imbalance = await querySql(
    target,
    "SELECT currency, SUM(CASE WHEN direction = 'debit' THEN amount ELSE -amount END) AS imbalance FROM postings GROUP BY currency ORDER BY currency",
  );
  return {
    payments: Number(counts?.payments),
    captureEntries: Number(counts?.capture_entries),
    imbalance: imbalance.map((r) => ({ currency: String(r.currency), imbalance: Number(r.imbalance) })),
  };
}

export function printStorm(r: StormResult) {
  const rows: [string, string][] = [
    [
      "requests sent",
      `${r.requestsSent} (${r.firstWave} at once = ${r.keys} keys × ${r.retriesPerKey}, then ${r.requestsSent - r.firstWave} retries after Retry-After)`,
    ],
    ["status codes", `${formatCodes(r.statusCodes)} (first wave: ${formatCodes(r.firstWaveCodes)})`],
    ["200s executed/replayed", `${r.executed} ran the route, ${r.replayed} replayed (Idempotent-Replayed)`],
    [
      "keys answered 200",
      `${r.keysAnswered} / ${r.keys}; keys with more than one payment id: ${r.keysWithSeveralIds}`,
    ],
    ["distinct payment ids", String(r.distinctPaymentIds)],
    ["payments created", `${r.paymentsCreated} (GET /v1/payments, this storm's metadata tag)`],
    ["duplicates", String(r.duplicates)],
    [
      "ledger (API)",
      `${r.ledger.captureEntries} capture entries, ${r.ledger.paymentsWithExactlyOne} payments with exactly one, ${r.ledger.wrongAmounts} of a wrong amount (outbox drained within ${(r.ledger.waitedMs / 1000).toFixed(1)} s)`,
    ],
  ];
  if (r.d1) {
    const sums = r.d1.imbalance.map((i) => `${i.currency} ${i.imbalance}`).join(", ") || "no postings";
    const balanced = r.d1.imbalance.every((i) => i.imbalance === 0);
    rows.push([
      "ledger (D1)",
      `${r.d1.payments} payments, ${r.d1.captureEntries} capture entries; whole ledger debits − credits: ${sums} → ${balanced ? "balances" : "DOES NOT BALANCE"}`,
    ]);
  } else rows.push(["ledger (D1)", r.d1Error ? `check failed: ${r.d1Error}` : "not checked"]);
  rows.push(["storm took", `${(r.durationMs / 1000).toFixed(1)} s until every key had its answer`]);
  if (r.warnLines !== undefined)
    rows.push([
      "gateway warnings",
      `${r.warnLines} warn/error log lines, ${r.failOpens ?? 0} of them rate-limiter fail-opens (deadline exceeded, request let through)`,
    ]);
  rows.push(["verdict", r.failures.length === 0 ? "ok: one payment per key, ledger balanced" : "FAILED"]);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

export const stormJson = (r: StormResult) => ({
  keys: r.keys,
  retries_per_key: r.retriesPerKey,
  requests_sent: r.requestsSent,
  status_codes: r.statusCodes,
  executed: r.executed,
  replayed: r.replayed,
  keys_answered: r.keysAnswered,
  distinct_payment_ids: r.distinctPaymentIds,
  payments_created: r.paymentsCreated,
  duplicates: r.duplicates,
  capture_entries: r.ledger.captureEntries,
  ledger_balanced: r.d1 ? r.d1.imbalance.every((i) => i.imbalance === 0) : null,
  duration_ms: r.durationMs,
  rate_limiter_fail_opens: r.failOpens ?? null,
  ok: r.failures.length === 0,
});
