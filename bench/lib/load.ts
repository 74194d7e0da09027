// The load runner: autocannon with a fixed number of connections, a discarded warm-up and a
// measured run.
import autocannon, { type Result } from "autocannon";

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Replace `[<id>]` in the body and headers with a fresh id per request (e.g. idempotency keys). */
  idReplacement?: boolean;
  /** Headers made anew for every request (a DPoP proof), synchronously: autocannon calls it per request. */
  perRequestHeaders?: () => Record<string, string>;
}

export interface LoadSettings {
  connections: number;
  /** Measured seconds. */
  durationSec: number;
  /** Seconds of load before the measured run, discarded. */
  warmupSec: number;
}

export interface LoadResult {
  /** Mean of the per-second request counts of the measured run. */
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  /** Status code → count, for every code seen (2xx included). */
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Non-2xx, errors and timeouts of the warm-up, which must be clean too. */
  warmupFailures: number;
  warmupStatusCodes: Record<string, number>;
  durationSec: number;
  /** CPU seconds the bench process (autocannon) used during the measured run. */
  clientCpuSec: number;
}

/** The request with `[<id>]` replaced by a fresh UUID, as autocannon does per request: for one-off sends. */
export function withFreshIds(spec: RequestSpec): RequestSpec {
  if (spec.perRequestHeaders) {
    const { perRequestHeaders, ...rest } = spec;
    return withFreshIds({ ...rest, headers: { ...spec.headers, ...perRequestHeaders() } });
  }
  if (!spec.idReplacement) return spec;
  const fresh = (text: string) => text.replaceAll("[<id>]", () => crypto.randomUUID());
  return {
    ...spec,
    path: fresh(spec.path),
    headers: Object.fromEntries(Object.entries(spec.headers ?? {}).map(([k, v]) => [k, fresh(v)])),
    ...(spec.body !== undefined ? { body: fresh(spec.body) } : {}),
  };
}

export function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

/** Defaults: 32 connections, 3 s warm-up, 10 s measured; BENCH_CONNECTIONS, BENCH_WARMUP, BENCH_DURATION override. */
export function loadSettingsFromEnv(): LoadSettings {
  return {
    connections: Math.round(positiveInt("BENCH_CONNECTIONS", 32)),
    durationSec: positiveInt("BENCH_DURATION", 10),
    warmupSec: process.env.BENCH_WARMUP === "0" ? 0 : positiveInt("BENCH_WARMUP", 3),
  };
}

const codes = (r: Result) =>
  Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, { count }]) => [code, count]));

export interface MeasureHooks {
  /** Called right before the measured run starts (after the warm-up). */
  onMeasureStart?: () => void | Promise<void>;
  /** Called right after it ends. */
  onMeasureEnd?: () => void | Promise<void>;
}

const perRequest =
  (headers: () => Record<string, string>) => (req: { headers?: Record<string, string> }) => ({
    ...req,
    headers: { ...req.headers, ...headers() },
  });

export async function runLoad(
  baseUrl: string,
  spec: RequestSpec,
  settings: LoadSettings,
  hooks: MeasureHooks = {},
): Promise<LoadResult> {
  const options = {
    url: baseUrl + spec.path,
    method: spec.method,
    headers: spec.headers ?? {},
    connections: settings.connections,
    pipelining: 1,
    timeout: 10,
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    ...(spec.idReplacement ? { idReplacement: true } : {}),
    ...(spec.perRequestHeaders ? { requests: [{ setupRequest: perRequest(spec.perRequestHeaders) }] } : {}),
  };
  let warmupFailures = 0;
  let warmupStatusCodes: Record<string, number> = {};
  if (settings.warmupSec > 0) {
    const warm = await autocannon({ ...options, duration: settings.warmupSec });
    warmupFailures = warm.non2xx + warm.errors + warm.timeouts;
    warmupStatusCodes = codes(warm);
  }
  await hooks.onMeasureStart?.();
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({ ...options, duration: settings.durationSec });
  const cpu = process.cpuUsage(cpuBefore);
  await hooks.onMeasureEnd?.();
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    statusCodes: codes(result),
    errors: result.errors,
    timeouts: result.timeouts,
    warmupFailures,
    warmupStatusCodes,
    durationSec: result.duration,
    clientCpuSec: (cpu.user + cpu.system) / 1e6,
  };
}
