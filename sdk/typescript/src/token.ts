// The access token (docs/authentication.md): client_credentials at /oauth2/token with HTTP Basic,
// cached, fetched again shortly before `expires_in` runs out, one request at a time however many
// calls wait for it. A failed fetch is retried by the call that needed the token, as one of its attempts.
import { errorFromTokenAnswer, PorticoError } from "./errors.js";
import type { Transport } from "./transport.js";

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  /** Space-separated scopes to narrow the token to; default: everything the contract grants. */
  scope?: string | undefined;
}

interface Held {
  accessToken: string;
  /** Unix ms after which the token is fetched again before use. */
  refreshAt: number;
}

/** Refresh this long before expiry: a minute, or a tenth of a short lifetime. */
const refreshMarginMs = (expiresInSeconds: number) => Math.min(60, expiresInSeconds / 10) * 1000;

/** RFC 6749 §2.3.1: each part form-encoded before joining; Portico also takes them raw. */
function basic({ consumerKey, consumerSecret }: Credentials): string {
  const form = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  const pair = new TextEncoder().encode(`${form(consumerKey)}:${form(consumerSecret)}`);
  return `Basic ${btoa(String.fromCharCode(...pair))}`;
}

export class TokenSource {
  private held: Held | undefined;
  private pending: Promise<string> | undefined;
  private readonly authorization: string;

  constructor(
    private readonly transport: Transport,
    private readonly credentials: Credentials,
  ) {
    if (!credentials.consumerKey || !credentials.consumerSecret)
      throw new TypeError("Portico: consumerKey and consumerSecret are required");
    this.authorization = basic(credentials);
  }

  /** A token good for the next call: the cached one, or the one being fetched, or a new one. */
  get(): Promise<string> {
    if (this.held && Date.now() < this.held.refreshAt) return Promise.resolve(this.held.accessToken);
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** The API said `token` expired (401, code 12): the next get() fetches a new one, unless another call already did. */
  expire(token: string): void {
    if (this.held?.accessToken === token) this.held = undefined;
  }

  private async fetch(): Promise<string> {
    const body = {
      grant_type: "client_credentials",
      ...(this.credentials.scope ? { scope: this.credentials.scope } : {}),
    };
    const startedAt = Date.now();
    const { response, body: answer } = await this.transport.attempt("POST", "/oauth2/token", {
      headers: { Authorization: this.authorization },
      body,
    });
    if (!response.ok) throw errorFromTokenAnswer(response, answer);
    const token = answer as { access_token?: unknown; expires_in?: unknown };
    if (typeof token.access_token !== "string" || typeof token.expires_in !== "number") {
      throw new PorticoError({
        status: response.status,
        code: 0,
        reason: "unexpected_answer",
        message: "the token endpoint answered without access_token and expires_in",
        requestId: response.headers.get("X-Request-Id") ?? undefined,
      });
    }
    this.held = {
      accessToken: token.access_token,
      refreshAt: startedAt + token.expires_in * 1000 - refreshMarginMs(token.expires_in),
    };
    return token.access_token;
  }
}
