// One HTTP attempt through openapi-fetch, and the retry loop around attempts. An attempt either
// answers (any status) or throws a NetworkError; the caller's abort is rethrown as it is.
import createClient from "openapi-fetch";
import { NetworkError, PorticoError } from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { type RetryPolicy, retryDelay, sleep } from "./retry.js";

export type FetchLike = (request: Request) => Promise<Response>;

/** Path, query and header parameters, as openapi-fetch takes them. */
export interface LooseParams {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
}

export interface AttemptInit {
  params?: LooseParams;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

export interface Attempted {
  response: Response;
  /** The body parsed as JSON; the text when it is not JSON; undefined when empty. */
  body: unknown;
}

// The public signatures are typed from the generated paths (types.ts); underneath, one loosely typed
// call, so that the SDK's own options (the key it makes, the token it holds) need no casts per call.
type LooseRequest = (
  method: string,
  path: string,
  init: AttemptInit & { parseAs: "text" },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export class Transport {
  private readonly send: LooseRequest;

  constructor(
    baseUrl: string,
    fetch: FetchLike,
    private readonly timeoutMs: number,
  ) {
    const client = createClient<paths>({ baseUrl, fetch });
    this.send = client.request as unknown as LooseRequest;
  }

  /** One attempt; a timeout or a failed connection is a NetworkError. */
  async attempt(method: string, path: string, init: AttemptInit): Promise<Attempted> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let answer: Awaited<ReturnType<LooseRequest>>;
    try {
      answer = await this.send(method, path, { ...init, signal, parseAs: "text" });
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      const timedOut = timeout.aborted;
      throw new NetworkError({
        status: 0,
        code: 0,
        reason: timedOut ? "timeout" : "network",
        message: timedOut
          ? `${method} ${path}: no answer within ${this.timeoutMs} ms`
          : `${method} ${path}: the request failed before an answer (${describe(error)})`,
        cause: error,
      });
    }
    const text = answer.response.ok ? answer.data : answer.error;
    return { response: answer.response, body: parse(text) };
  }
}

function parse(text: unknown): unknown {
  if (typeof text !== "string") return text;
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs `attempt` until it succeeds or fails for good: each PorticoError is retried when the policy says
 * so, after its wait. Anything else (the caller's abort, a bug) is thrown at once.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  what: { method: string; path: string; signal?: AbortSignal | undefined },
  attempt: (n: number) => Promise<T>,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      const wait = retryDelay(policy, error, n);
      if (!wait) throw error;
      policy.onRetry?.({ method: what.method, path: what.path, attempt: n, ...wait, error });
      await sleep(wait.delayMs, what.signal);
    }
  }
}
