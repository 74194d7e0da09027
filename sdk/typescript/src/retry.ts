// Which failures are retried and how long to wait (docs/errors.md, Handling them; docs/idempotency.md,
// A retry loop that works): no answer, 5xx, 429 and 409 code 52, after `Retry-After` or an exponential
// backoff with jitter. Any other 4xx is final.
import type { PorticoError } from "./errors.js";

export interface RetryOptions {
  /** Attempts per call, the first included; 1 turns retries off. Default 4. */
  maxAttempts?: number;
  /** The first backoff, before jitter. Default 1000 ms (the docs' "around one second"). */
  initialDelayMs?: number;
  /** The longest backoff between two attempts. Default 20 000 ms. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown (a daily quota waits until midnight). Default 60 s. */
  maxRetryAfterSeconds?: number;
  /** Called before each wait: for logs and metrics. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  method: string;
  path: string;
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** How long the SDK waits before the next attempt. */
  delayMs: number;
  /** Whether `delayMs` is the answer's `Retry-After`. */
  retryAfter: boolean;
  error: PorticoError;
}

export type RetryPolicy = Required<Omit<RetryOptions, "onRetry">> & Pick<RetryOptions, "onRetry">;

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy = {
    maxAttempts: options.maxAttempts ?? 4,
    initialDelayMs: options.initialDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 20_000,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 60,
    onRetry: options.onRetry,
  };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    throw new RangeError("retry.maxAttempts must be a whole number, at least 1");
  if (!(policy.initialDelayMs >= 0) || !(policy.maxDelayMs >= policy.initialDelayMs))
    throw new RangeError("retry delays must be 0 ≤ initialDelayMs ≤ maxDelayMs");
  return policy;
}

/** Whether the same request may succeed later unchanged. */
export function isRetryable(error: PorticoError): boolean {
  if (error.kind === "network") return true;
  if (error.status === 429) return true;
  if (error.status === 409 && error.code === 52) return true;
  // A 5xx is never stored under the key, so the same request cannot run twice; the API marks the
  // few that will not heal by themselves with retryable: false.
  if (error.status >= 500) return error.retryable !== false;
  return error.retryable === true;
}

/**
 * The wait before attempt `attempt + 1`, or undefined when the failure is final: not retryable, no
 * attempts left, or a `Retry-After` beyond `maxRetryAfterSeconds`. Backoff: "equal jitter", between
 * half and all of initialDelayMs · 2^(attempt − 1), capped at maxDelayMs.
 */
export function retryDelay(
  policy: RetryPolicy,
  error: PorticoError,
  attempt: number,
  random: () => number = Math.random,
): { delayMs: number; retryAfter: boolean } | undefined {
  if (attempt >= policy.maxAttempts || !isRetryable(error)) return undefined;
  if (error.retryAfterSeconds !== undefined) {
    if (error.retryAfterSeconds > policy.maxRetryAfterSeconds) return undefined;
    return { delayMs: error.retryAfterSeconds * 1000, retryAfter: true };
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return { delayMs: Math.round(ceiling / 2 + (random() * ceiling) / 2), retryAfter: false };
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener("abort", abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}
