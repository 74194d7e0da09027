// What `npm run bench` measures. A scenario is one gateway request, loaded against the gateway
// and, for the baseline, against the bare Worker. Add a scenario by adding an entry here.
import type { RequestSpec } from "./lib/load";

export interface BenchContext {
  /** A client_credentials access token of the bench partner (all its scopes), fetched once. */
  token: string;
  /** `Basic base64(consumer_key:consumer_secret)` of the bench partner. */
  basicAuth: string;
  partnerId: string;
}

export interface Scenario {
  /** Shown in the table, e.g. "GET /v1/partner". */
  name: string;
  /** What the request exercises in the gateway. */
  covers: string;
  gateway: (ctx: BenchContext) => RequestSpec;
  /** The bare Worker's request; default: the gateway's request (same method, headers, body) on `/`. */
  bare?: (ctx: BenchContext) => RequestSpec;
  /** Checks the first gateway response before loading (the status is checked anyway); a message when wrong. */
  check?: (body: string, ctx: BenchContext) => string | undefined;
  /** Minimum gateway/bare req/s ratio we aim for: printed as met or not, never enforced. */
  goal?: number;
}

export const SCENARIOS: Scenario[] = [
  {
    name: "GET /v1/partner",
    covers: "bearer verification (ES256) + rate limit (Durable Object) + cached profile",
    gateway: (ctx) => ({
      method: "GET",
      path: "/v1/partner",
      headers: { Authorization: `Bearer ${ctx.token}` },
    }),
    check: (body, ctx) =>
      body.includes(`"id":"${ctx.partnerId}"`) ? undefined : `not the bench partner: ${body.slice(0, 300)}`,
    goal: 0.75,
  },
  {
    name: "POST /oauth2/token",
    covers: "client authentication (D1 + SHA-256) + profile (D1) + ES256 signing",
    gateway: (ctx) => ({
      method: "POST",
      path: "/oauth2/token",
      headers: { Authorization: ctx.basicAuth, "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    }),
    check: (body) => (body.includes('"access_token"') ? undefined : `no access_token: ${body.slice(0, 300)}`),
  },
];
