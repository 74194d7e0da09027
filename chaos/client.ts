// A partner's HTTP client under faults, and the history it records. Every write carries an
// Idempotency-Key chosen once per operation; after a timeout, a lost connection, a 5xx, a 429
// or a 409 "in flight" the same request is sent again under the same key, until the gateway
// gives a definitive answer (any other status) or the operation's deadline passes.
import { performance } from "node:perf_hooks";

export interface Attempt {
  /** ms since the run started. */
  at: number;
  /** The HTTP status, or the transport error. */
  outcome: number | "timeout" | "network";
  code?: number;
}

export interface Operation {
  /** Unique in the run: `<worker>.<n>`. */
  id: string;
  partner: number;
  kind: string;
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  key?: string;
  attempts: Attempt[];
  /** The definitive answer; absent when the deadline passed first. */
  answer?: { status: number; body: Envelope; replayed: boolean; text: string };
}

export interface Envelope {
  result?: Record<string, unknown> | null;
  error?: { code?: number; message?: string } | null;
}

const TRANSIENT = new Set([408, 429, 500, 502, 503, 504]);
/** The idempotency layer's "a request under this key is still running" (docs/errors.md). */
const IN_FLIGHT_CODE = 52;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ClientOptions {
  baseUrl: () => string;
  /** A bearer token of the partner; `refresh` after a 401 (a restart never revokes one, but tokens expire). */
  token: (partner: number, refresh?: boolean) => Promise<string>;
  started: number;
  timeoutMs: number;
  deadlineMs: number;
}

export class ChaosClient {
  readonly history: Operation[] = [];
  retries = 0;

  constructor(private readonly opts: ClientOptions) {}

  private now() {
    return Math.round(performance.now() - this.opts.started);
  }

  /** Sends until a definitive answer; the operation joins the history either way. */
  async run(op: Omit<Operation, "attempts" | "answer">): Promise<Operation> {
    const record: Operation = { ...op, attempts: [] };
    this.history.push(record);
    const deadline = performance.now() + this.opts.deadlineMs;
    let refresh = false;
    for (let n = 0; performance.now() < deadline; n++) {
      if (n > 0) this.retries += 1;
      const attempt = await this.once(record, refresh);
      refresh = attempt.outcome === 401;
      record.attempts.push(attempt.attempt);
      if (attempt.final) return record;
      // Retry-After when the gateway gave one, else a capped backoff.
      await sleep(attempt.retryAfterMs ?? Math.min(2000, 100 * 2 ** Math.min(n, 5)));
    }
    return record;
  }

  /**
   * Sends every acknowledged write once more under its key (transport failures retried), off
   * the history: what a partner's late retry would get. Each must be the stored answer.
   */
  async replayAcknowledged(concurrency: number, which: (op: Operation) => boolean) {
    const writes = this.history.filter(
      (op) => op.method === "POST" && op.key && op.answer?.status === 200 && which(op),
    );
    const replays: { op: Operation; status: number; text: string; replayed: boolean }[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < writes.length; i = next++) {
        const op = writes[i] as Operation;
        const copy: Operation = { ...op, attempts: [] };
        delete copy.answer;
        for (let n = 0; n < 20 && !copy.answer; n++) {
          const attempt = await this.once(copy, n > 0 && copy.attempts.at(-1)?.outcome === 401);
          copy.attempts.push(attempt.attempt);
          if (!attempt.final) await sleep(attempt.retryAfterMs ?? 500);
        }
        const answer = copy.answer as Operation["answer"];
        replays.push({
          op,
          status: answer?.status ?? 0,
          text: answer?.text ?? "",
          replayed: answer?.replayed ?? false,
        });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return replays;
  }

  private async once(record: Operation, refresh: boolean) {
    const at = this.now();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await this.opts.token(record.partner, refresh)}`,
    };
    if (record.body !== undefined) headers["Content-Type"] = "application/json";
    if (record.key) headers["Idempotency-Key"] = record.key;
    try {
      const res = await fetch(this.opts.baseUrl() + record.path, {
        method: record.method,
        headers,
        ...(record.body === undefined ? {} : { body: JSON.stringify(record.body) }),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      const text = await res.text();
      let body: Envelope = {};
      try {
        body = JSON.parse(text) as Envelope;
      } catch {
        // wrangler's proxy answers plain text while the Worker is down: transient
      }
      const code = typeof body.error?.code === "number" ? body.error.code : undefined;
      const attempt: Attempt = { at, outcome: res.status, ...(code === undefined ? {} : { code }) };
      const retryAfter = Number(res.headers.get("Retry-After"));
      const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
      const transient =
        TRANSIENT.has(res.status) ||
        res.status === 401 ||
        (res.status === 409 && code === IN_FLIGHT_CODE) ||
        (body.result === undefined && body.error === undefined);
      if (transient) return { attempt, final: false, outcome: res.status, retryAfterMs };
      record.answer = {
        status: res.status,
        body,
        replayed: res.headers.get("Idempotent-Replayed") === "true",
        text,
      };
      return { attempt, final: true, outcome: res.status };
    } catch (err) {
      const name = err instanceof Error ? err.name : "";
      const outcome = name === "TimeoutError" || name === "AbortError" ? "timeout" : "network";
      return { attempt: { at, outcome } satisfies Attempt, final: false, outcome };
    }
  }
}
