/** What one delivery attempt came to. */
export type AttemptResult =
  | { kind: "response"; status: number; retryAfter: string | null }
  | { kind: "error"; error: "timeout" | "network" | "url_refused" | "secret_unavailable" };

export type Decision =
  | { kind: "succeeded" }
  /** 410 Gone: the partner retired the endpoint; stop delivering there. */
  | { kind: "disable_endpoint" }
  | { kind: "retry"; delaySeconds: number }
  /** The last attempt failed, or retrying cannot help: to the dead letters. */
  | { kind: "give_up" };

/** The longest a queue message can be delayed. */
const MAX_DELAY_SECONDS = 43_200;
const HONOURS_RETRY_AFTER = new Set([429, 502, 503, 504]);

/** `Retry-After` as seconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // An HTTP date names its day and month; anything else (a negative number, junk) is unreadable.
  const at = /[A-Za-z]/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The delivery rules (docs/webhooks.md): 2xx succeeds; 410 disables the endpoint; a refused URL is
 * final; anything else (3xx included: redirects are never followed) is retried after the
 * schedule's next delay, or after `Retry-After` on 429/502/503/504, until the schedule ends.
 * `attempt` counts this delivery's attempts, the one just made included (1-based).
 */
export function decide(
  result: AttemptResult,
  attempt: number,
  delays: readonly number[],
  now: number,
): Decision {
  if (result.kind === "response" && result.status >= 200 && result.status < 300) return { kind: "succeeded" };
  if (result.kind === "response" && result.status === 410) return { kind: "disable_endpoint" };
  if (result.kind === "error" && result.error === "url_refused") return { kind: "give_up" };
  const scheduled = delays[attempt - 1];
  if (scheduled === undefined) return { kind: "give_up" };
  const asked =
    result.kind === "response" && HONOURS_RETRY_AFTER.has(result.status)
      ? parseRetryAfter(result.retryAfter, now)
      : undefined;
  return { kind: "retry", delaySeconds: Math.min(MAX_DELAY_SECONDS, asked ?? scheduled) };
}
