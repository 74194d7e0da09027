// The mixed soak: BENCH_SOAK_SECONDS (300) of mixed traffic at a fixed arrival rate
// (BENCH_SOAK_RATE, 20 requests/s, sent on schedule whether or not earlier ones have answered):
// reads of the partner and of payments, captured card payments, partial refunds, payouts from
// the balance the captures build, and the webhooks they cause (payment.captured,
// refund.succeeded) to a receiver in this process. Prints p50/p99 per operation, errors (the run
// is broken unless there are none), every event delivered once, and the gateway workerd's
// resident memory sampled through the run (start, end, and its growth in the second half).
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Webhook } from "standardwebhooks";
import { CARD_PAYMENT, parseResult } from "../scenarios";
import { positiveInt } from "./load";
import { api, percentile, startReceiver } from "./webhooks";
import type { WorkerProcess } from "./worker-process";

export interface SoakSettings {
  seconds: number;
  /** Requests started per second, on a fixed schedule. */
  rate: number;
  /** How long to wait after the last request for the last webhooks. */
  drainMs: number;
}

export function soakSettingsFromEnv(): SoakSettings {
  return {
    seconds: positiveInt("BENCH_SOAK_SECONDS", 300),
    rate: positiveInt("BENCH_SOAK_RATE", 20),
    drainMs: positiveInt("BENCH_SOAK_DRAIN", 60) * 1000,
  };
}

type Operation = "read partner" | "read payment" | "payment" | "refund" | "payout";
/** The mix, per 20 arrivals: 7 partner reads, 3 payment reads, 5 payments, 3 refunds, 2 payouts. */
const MIX: Operation[] = [
  ["read partner", 7],
  ["read payment", 3],
  ["payment", 5],
  ["refund", 3],
  ["payout", 2],
].flatMap(([op, n]) => Array<Operation>(n as number).fill(op as Operation));
// Interleaved, so each second carries every kind of request.
const SCHEDULE = MIX.map((op, i) => ({ op, key: (i * 7) % MIX.length }))
  .sort((a, b) => a.key - b.key)
  .map((x) => x.op);

interface OpStats {
  latencies: number[];
  errors: number;
  codes: Record<string, number>;
}

export interface SoakResult {
  settings: SoakSettings;
  sent: number;
  /** How late requests left against their schedule (the bench process keeping up), ms. */
  scheduleLagP99: number;
  ops: Record<
    Operation,
    { count: number; p50: number; p99: number; errors: number; codes: Record<string, number> }
  >;
  errors: number;
  memory: { startMiB: number; endMiB: number; maxMiB: number; secondHalfMiBPerMin: number; samples: number };
  webhooks: {
    expected: number;
    delivered: number;
    duplicates: number;
    lost: number;
    firstAttemptP50: number;
    firstAttemptP99: number;
  };
  /** Gateway warn/error log lines during the run, and among them rate-limiter fail-opens. */
  warnLines?: number;
  failOpens?: number;
  failures: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(
  base: string,
  ctx: { token: string },
  settings: SoakSettings,
  gateway: WorkerProcess,
): Promise<SoakResult> {
  const receiver = await startReceiver(0);
  const failures: string[] = [];
  const endpoint = await api(base, ctx.token, "POST", "/v1/webhook_endpoints", {
    params: {
      url: `${receiver.url}/hooks`,
      events: ["payment.captured", "refund.succeeded"],
      description: "npm run bench: soak",
    },
  });
  if (typeof endpoint.secret !== "string") throw new Error("the new endpoint came without its secret");
  receiver.state.verifier = new Webhook(endpoint.secret);

  const stats = Object.fromEntries(
    SCHEDULE.map((op) => [op, { latencies: [], errors: 0, codes: {} } as OpStats]),
  ) as Record<Operation, OpStats>;
  /** Captured payments of this run, for reads and refunds; object id → when its answer came. */
  const payments: string[] = [];
  const answeredAt = new Map<string, number>();

  async function request(op: Operation, method: string, path: string, body?: unknown) {
    const started = performance.now();
    const s = stats[op];
    try {
      const res = await fetch(base + path, {
        method,
        headers: {
          Authorization: `Bearer ${ctx.token}`,
          ...(body === undefined
            ? {}
            : { "Content-Type": "application/json", "Idempotency-Key": randomUUID() }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      const at = performance.now();
      s.codes[res.status] = (s.codes[res.status] ?? 0) + 1;
      if (res.status < 200 || res.status > 299) {
        s.errors++;
        return undefined;
      }
      s.latencies.push(at - started);
      return { result: parseResult(text), at };
    } catch {
      s.errors++;
      s.codes.network = (s.codes.network ?? 0) + 1;
      return undefined;
    }
  }

  const pick = () => payments[Math.floor(Math.random() * payments.length)];
  async function run(op: Operation) {
    if (op === "read partner") return request(op, "GET", "/v1/partner");
    const id = pick();
    if (op === "read payment" && id) return request(op, "GET", `/v1/payments/${id}`);
    if (op === "refund" && id) {
      const out = await request(op, "POST", `/v1/payments/${id}/refunds`, { params: { amount: 100 } });
      if (typeof out?.result?.id === "string") answeredAt.set(out.result.id, out.at);
      return out;
    }
    if (op === "payout") {
      return request(op, "POST", "/v1/payouts", {
        params: { amount: 100, currency: "UZS", destination_token: "dest_tok_ok" },
      });
    }
    // A payment (also what a read or a refund does before the first payment exists).
    const out = await request("payment", "POST", "/v1/payments", { params: CARD_PAYMENT });
    if (typeof out?.result?.id === "string") {
      payments.push(out.result.id);
      answeredAt.set(out.result.id, out.at);
    }
    return out;
  }

  const memory: number[] = [];
  const sampleMemory = () => {
    const mib = gateway.workerRssMiB();
    if (mib !== undefined) memory.push(mib);
  };
  sampleMemory();
  const sampler = setInterval(sampleMemory, 5_000);

  const total = settings.seconds * settings.rate;
  const lags: number[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / settings.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    lags.push(Math.max(0, performance.now() - due));
    const op = SCHEDULE[i % SCHEDULE.length] ?? "read partner";
    const p: Promise<unknown> = run(op).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  sampleMemory();
  clearInterval(sampler);

  // Every event of this run's captures and refunds, delivered once.
  const ours = () => [...receiver.hooks.values()].filter((h) => answeredAt.has(h.paymentId ?? ""));
  const deadline = performance.now() + settings.drainMs;
  while (
    ours().filter((h) => h.attempts.some((a) => a.status === 200)).length < answeredAt.size &&
    performance.now() < deadline
  )
    await sleep(250);
  await sleep(2_000);
  const hooks = ours();
  const byObject = new Map<string, number>();
  for (const h of hooks) byObject.set(h.paymentId ?? "", (byObject.get(h.paymentId ?? "") ?? 0) + 1);
  const firstLags = hooks.flatMap((h) => {
    const first = h.attempts[0]?.at;
    const sent = answeredAt.get(h.paymentId ?? "");
    return first === undefined || sent === undefined ? [] : [first - sent];
  });
  const duplicates =
    hooks.reduce((n, h) => n + Math.max(0, h.attempts.filter((a) => a.status === 200).length - 1), 0) +
    [...byObject.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
  const delivered = new Set(
    hooks.filter((h) => h.attempts.some((a) => a.status === 200)).map((h) => h.paymentId),
  ).size;
  await api(base, ctx.token, "DELETE", `/v1/webhook_endpoints/${String(endpoint.id)}`).catch(() => undefined);
  await receiver.close();

  const ops = Object.fromEntries(
    Object.entries(stats).map(([op, s]) => [
      op,
      {
        count: s.latencies.length + s.errors,
        p50: percentile(s.latencies, 50),
        p99: percentile(s.latencies, 99),
        errors: s.errors,
        codes: s.codes,
      },
    ]),
  ) as SoakResult["ops"];
  const errors = Object.values(stats).reduce((n, s) => n + s.errors, 0);
  const half = memory.slice(Math.floor(memory.length / 2));
  const halfMinutes = (half.length * 5) / 60;
  const result: SoakResult = {
    settings,
    sent: total,
    scheduleLagP99: percentile(lags, 99),
    ops,
    errors,
    memory: {
      startMiB: memory[0] ?? Number.NaN,
      endMiB: memory.at(-1) ?? Number.NaN,
      maxMiB: Math.max(...memory),
      secondHalfMiBPerMin:
        half.length > 1 && halfMinutes > 0 ? ((half.at(-1) ?? 0) - (half[0] ?? 0)) / halfMinutes : Number.NaN,
      samples: memory.length,
    },
    webhooks: {
      expected: answeredAt.size,
      delivered,
      duplicates,
      lost: answeredAt.size - delivered,
      firstAttemptP50: percentile(firstLags, 50),
      firstAttemptP99: percentile(firstLags, 99),
    },
    failures,
  };
  if (errors > 0)
    failures.push(
      `soak: ${errors} requests failed (${JSON.stringify(Object.fromEntries(Object.entries(ops).map(([op, o]) => [op, o.codes])))})`,
    );
  if (result.webhooks.lost > 0) failures.push(`soak: ${result.webhooks.lost} events never delivered`);
  if (duplicates > 0) failures.push(`soak: ${duplicates} duplicate deliveries`);
  if (result.scheduleLagP99 > 100)
    failures.push(
      `soak: the bench fell behind its schedule (p99 ${result.scheduleLagP99.toFixed(0)} ms late): lower BENCH_SOAK_RATE`,
    );
  return result;
}

export function printSoak(r: SoakResult) {
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "-");
  console.log(
    `  ${r.sent} requests over ${r.settings.seconds} s at ${r.settings.rate}/s (schedule p99 ${f(r.scheduleLagP99)} ms late), ${r.errors} errors`,
  );
  console.log("  operation      count  p50 ms  p99 ms  errors");
  for (const [op, o] of Object.entries(r.ops))
    console.log(
      `  ${op.padEnd(13)} ${String(o.count).padStart(6)} ${f(o.p50).padStart(7)} ${f(o.p99).padStart(7)} ${String(o.errors).padStart(7)}`,
    );
  const w = r.webhooks;
  console.log(
    `  webhooks: ${w.delivered}/${w.expected} events delivered, ${w.lost} lost, ${w.duplicates} duplicates; first attempt after the answer p50 ${f(w.firstAttemptP50)} ms, p99 ${f(w.firstAttemptP99)} ms`,
  );
  const m = r.memory;
  console.log(
    `  gateway workerd memory (RSS, ${m.samples} samples): ${m.startMiB.toFixed(0)} MiB at start, ${m.endMiB.toFixed(0)} MiB at the end, ${m.maxMiB.toFixed(0)} MiB at most; second half ${m.secondHalfMiBPerMin.toFixed(1)} MiB/min`,
  );
}

export const soakJson = (r: SoakResult) => ({
  seconds: r.settings.seconds,
  rate: r.settings.rate,
  errors: r.errors,
  ops: Object.fromEntries(
    Object.entries(r.ops).map(([op, o]) => [
      op,
      { count: o.count, p50_ms: o.p50, p99_ms: o.p99, errors: o.errors },
    ]),
  ),
  webhooks: r.webhooks,
  memory_mib: r.memory,
});
