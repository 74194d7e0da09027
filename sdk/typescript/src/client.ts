// The Portico client: a typed request() over openapi-fetch that holds the token, makes the
// Idempotency-Key of each POST, unwraps the envelope, throws typed errors and retries what may be
// retried; paginate() walks a list by its cursor.
import { errorFromAnswer, PorticoError } from "./errors.js";
import { type RetryOptions, type RetryPolicy, retryPolicy } from "./retry.js";
import { TokenSource } from "./token.js";
import { type FetchLike, type LooseParams, Transport, withRetries } from "./transport.js";
import type {
  Answer,
  CallOptions,
  ItemOf,
  ListPath,
  Method,
  Operation,
  OptionsArg,
  PageOf,
  PaginateArg,
  PathsWith,
  ResultOf,
} from "./types.js";

export interface PorticoOptions {
  /** The gateway: `https://sandbox.portico.example`, or `http://127.0.0.1:8787` for `npm run dev`. */
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Space-separated scopes to narrow the token to; default: everything the contract grants. */
  scope?: string;
  /** The fetch to send with (a test's, a proxy's); default: the runtime's `fetch`. */
  fetch?: FetchLike;
  retry?: RetryOptions;
  /** How long one attempt may take before it counts as a network error (and is retried). Default 30 000 ms. */
  timeoutMs?: number;
  /** `Portico-Version` on every call (docs/versions.md); default: the version the account is pinned to. */
  apiVersion?: string;
}

interface LooseOptions extends CallOptions {
  params?: LooseParams;
  body?: unknown;
}

/** Code 12, token_expired: the one refusal the SDK answers by fetching a new token (once per call). */
const TOKEN_EXPIRED = 12;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export class Portico {
  private readonly transport: Transport;
  private readonly tokens: TokenSource;
  private readonly policy: RetryPolicy;
  private readonly apiVersion: string | undefined;

  constructor(options: PorticoOptions) {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new TypeError(`Portico: baseUrl is not a URL: ${options.baseUrl}`);
    }
    const fetch: FetchLike = options.fetch ?? ((request) => globalThis.fetch(request));
    this.transport = new Transport(base.href.replace(/\/+$/, ""), fetch, options.timeoutMs ?? 30_000);
    this.policy = retryPolicy(options.retry);
    this.tokens = new TokenSource(this.transport, options);
    this.apiVersion = options.apiVersion;
  }

  /** A token for this client's credentials: the cached one while it is fresh (retried like a call). */
  token(): Promise<string> {
    return withRetries(this.policy, { method: "POST", path: "/oauth2/token" }, () => this.tokens.get());
  }

  /** Calls an operation and answers the envelope's `result`; a refusal is thrown as a PorticoError. */
  async request<M extends Method, P extends PathsWith<M>>(
    method: M,
    path: P,
    ...options: OptionsArg<Operation<M, P>>
  ): Promise<ResultOf<Operation<M, P>>> {
    const answer = await this.execute(method, path, options[0] ?? {});
    return answer.result as ResultOf<Operation<M, P>>;
  }

  /** As request(), with what the answer says besides: status, request id, replayed, the key sent. */
  async send<M extends Method, P extends PathsWith<M>>(
    method: M,
    path: P,
    ...options: OptionsArg<Operation<M, P>>
  ): Promise<Answer<ResultOf<Operation<M, P>>>> {
    return (await this.execute(method, path, options[0] ?? {})) as Answer<ResultOf<Operation<M, P>>>;
  }

  /** Every item of a list, newest first, fetching page after page (`starting_after`) as the loop asks. */
  async *paginate<P extends ListPath>(path: P, ...options: PaginateArg<P>): AsyncGenerator<ItemOf<P>, void> {
    for await (const page of this.pages(path, ...options)) {
      yield* (page as { data: ItemOf<P>[] }).data;
    }
  }

  /** Every page of a list, `{ data, has_more }`, until `has_more` is false. `query.limit` sets the page size. */
  async *pages<P extends ListPath>(path: P, ...options: PaginateArg<P>): AsyncGenerator<PageOf<P>, void> {
    const { query, path: pathParams, header, ...call } = (options[0] ?? {}) as LooseParams & CallOptions;
    let startingAfter = query?.starting_after;
    for (;;) {
      const params = {
        ...(pathParams ? { path: pathParams } : {}),
        ...(header ? { header } : {}),
        query: { ...query, ...(startingAfter === undefined ? {} : { starting_after: startingAfter }) },
      };
      const { result } = await this.execute("GET", path, { ...call, params });
      const page = result as { data: { id: string }[]; has_more: boolean };
      yield page as PageOf<P>;
      const last = page.data.at(-1);
      // An empty page that claims more would loop forever: the cursor is the last id seen.
      if (!page.has_more || last === undefined) return;
      startingAfter = last.id;
    }
  }

  private async execute(method: Method, path: string, options: LooseOptions): Promise<Answer<unknown>> {
    const { params, body, signal, headers } = options;
    // One key per call, made before the first attempt and sent on every retry (docs/idempotency.md).
    const idempotencyKey = method === "POST" ? (options.idempotencyKey ?? crypto.randomUUID()) : undefined;
    let refreshed = false;
    return withRetries(this.policy, { method, path, signal }, async () => {
      for (;;) {
        const token = await this.tokens.get();
        const { response, body: answer } = await this.transport.attempt(method, path, {
          ...(params ? { params } : {}),
          ...(body === undefined ? {} : { body }),
          signal,
          headers: {
            ...(this.apiVersion ? { "Portico-Version": this.apiVersion } : {}),
            ...headers,
            Authorization: `Bearer ${token}`,
            ...(idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}),
          },
        });
        if (!response.ok) {
          const error = errorFromAnswer(response, answer);
          if (error.status === 401 && error.code === TOKEN_EXPIRED && !refreshed) {
            refreshed = true;
            this.tokens.expire(token);
            continue;
          }
          throw error;
        }
        return answerOf(response, answer, idempotencyKey);
      }
    });
  }
}

function answerOf(response: Response, body: unknown, idempotencyKey: string | undefined): Answer<unknown> {
  const requestId = response.headers.get("X-Request-Id") ?? undefined;
  if (!isRecord(body) || !("result" in body) || typeof body.id !== "string") {
    throw new PorticoError({
      status: response.status,
      code: 0,
      reason: "unexpected_answer",
      message: `HTTP ${response.status} without the envelope { id, result, error }`,
      requestId,
      headers: response.headers,
    });
  }
  return {
    result: body.result,
    status: response.status,
    id: body.id,
    requestId,
    replayed: response.headers.get("Idempotent-Replayed") === "true",
    idempotencyKey,
    apiVersion: response.headers.get("Portico-Version") ?? undefined,
    headers: response.headers,
  };
}
