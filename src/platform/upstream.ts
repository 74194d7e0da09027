import { ApiError } from "./errors";
import { readBounded } from "./lib/bounded";

/** The largest answer read from a bank system (1 MiB): a longer one is a failed answer, never read whole. */
export const MAX_UPSTREAM_ANSWER_BYTES = 1024 * 1024;

/** Answers a retry may fix: the upstream was busy or broken, not the request. */
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

export interface UpstreamOptions {
  /** The bank system's name, for errors and the breaker: `cards`, `scoring`… */
  system: string;
  baseUrl: string;
  token?: string | undefined;
  timeoutMs?: number;
  /** Retries of retryable failures after the first attempt. */
  retries?: number;
  /** The first backoff; it doubles with each retry. */
  backoffMs?: number;
  /** The largest answer read (default `MAX_UPSTREAM_ANSWER_BYTES`). */
  maxAnswerBytes?: number;
}

/**
 * Opens after `threshold` failed calls in a row and then answers fast for `openMs`; after
 * that one trial call goes through (half-open): its success closes the breaker again.
 * Per isolate, per upstream system.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;

  constructor(
    readonly threshold = 5,
    readonly openMs = 30_000,
  ) {}

  /** Milliseconds until a call may go through; 0 when it may now. */
  waitMs(now = Date.now()): number {
    return this.failures >= this.threshold ? Math.max(0, this.openUntil - now) : 0;
  }

  /** closed: calls go through; open: refused until `waitMs`; half-open: the next call is the trial. */
  state(now = Date.now()): "closed" | "open" | "half-open" {
    if (this.failures < this.threshold) return "closed";
    return this.openUntil > now ? "open" : "half-open";
  }

  success() {
    this.failures = 0;
  }

  failure(now = Date.now()) {
    this.failures += 1;
    if (this.failures >= this.threshold) this.openUntil = now + this.openMs;
  }
}

const breakers = new Map<string, CircuitBreaker>();
export const breakerFor = (system: string) => {
  let breaker = breakers.get(system);
  if (!breaker) {
    breaker = new CircuitBreaker();
    breakers.set(system, breaker);
  }
  return breaker;
};

type Attempt =
  | { ok: true; text: string }
  | { ok: false; status: number; message: string; retryable: boolean };

/**
 * The HTTP connector to an upstream bank system: a timeout per attempt, retries with
 * exponential backoff of retryable failures only, and a circuit breaker. An empty answer
 * is 1004; a failed one 1005 with the upstream's status (never its body: it may carry
 * personal data, and it is not read); an answer over `maxAnswerBytes` is 1005 too, read no
 * further than the limit; an open breaker answers 91 at once.
 */
export class HttpUpstream {
  constructor(
    private readonly opts: UpstreamOptions,
    private readonly breaker: CircuitBreaker = breakerFor(opts.system),
  ) {}

  async call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const wait = this.breaker.waitMs();
    if (wait > 0) {
      throw new ApiError(
        "upstream_unavailable",
        { system: this.opts.system },
        { retryable: true, headers: { "Retry-After": String(Math.ceil(wait / 1000)) } },
      );
    }
    const retries = this.opts.retries ?? 2;
    let last: Attempt = { ok: false, status: 0, message: "not attempted", retryable: true };
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep((this.opts.backoffMs ?? 100) * 2 ** (attempt - 1));
      last = await this.attempt(method, path, body);
      if (last.ok || !last.retryable) break;
    }
    if (!last.ok) {
      this.breaker.failure();
      throw new ApiError(
        "upstream_failed",
        { status: last.status, msg: last.message },
        { retryable: last.retryable },
      );
    }
    this.breaker.success();
    const text = last.text.trim();
    if (text === "" || text === "null") throw new ApiError("upstream_empty");
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError("upstream_failed", { status: 200, msg: "unreadable answer" });
    }
  }

  private async attempt(method: string, path: string, body: unknown): Promise<Attempt> {
    try {
      const res = await fetch(new URL(path, this.opts.baseUrl), {
        method,
        headers: {
          Accept: "application/json",
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
          ...(this.opts.token ? { Authorization: `Bearer ${this.opts.token}` } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        redirect: "manual",
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
      });
      if (res.status >= 200 && res.status < 300) {
        const limit = this.opts.maxAnswerBytes ?? MAX_UPSTREAM_ANSWER_BYTES;
        const declared = Number(res.headers.get("Content-Length") ?? "0");
        const text = declared > limit ? undefined : await readBounded(res.body, limit);
        if (text !== undefined) return { ok: true, text };
        await res.body?.cancel().catch(() => {});
        return { ok: false, status: res.status, message: "answer too large", retryable: false };
      }
      await res.body?.cancel().catch(() => {});
      return {
        ok: false,
        status: res.status,
        message: res.statusText || "error",
        retryable: RETRYABLE.has(res.status),
      };
    } catch (err) {
      const timeout = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      return { ok: false, status: 0, message: timeout ? "timeout" : "network error", retryable: true };
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The HTTP connector for a bank system when one is configured (`UPSTREAM_URLS`), else
 * undefined: the product then uses its sandbox simulator, which production never does.
 */
export function upstreamFor(
  config: {
    ENVIRONMENT: string;
    UPSTREAM_URLS: Record<string, string>;
    UPSTREAM_TOKENS: Record<string, string>;
    UPSTREAM_TIMEOUT_MS: number;
  },
  system: string,
): HttpUpstream | undefined {
  const baseUrl = config.UPSTREAM_URLS[system];
  if (baseUrl) {
    return new HttpUpstream({
      system,
      baseUrl,
      token: config.UPSTREAM_TOKENS[system],
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    });
  }
  if (config.ENVIRONMENT === "production") throw new ApiError("upstream_unavailable", { system });
  return undefined;
}
