// What `npm run bench` measures. A scenario is one gateway request, loaded against the gateway
// and, for the baseline, against the bare Worker. Add a scenario by adding an entry here.
import { positiveInt, type RequestSpec } from "./lib/load";

/** The approved card payment every payment request of the bench makes (sandbox: pm_card_visa approves). */
export const CARD_PAYMENT = {
  amount: 150_000,
  currency: "UZS",
  payment_method_token: "pm_card_visa",
  capture: true,
} as const;

/** The `result` of a success envelope, or undefined. */
export function parseResult(body: string): Record<string, unknown> | undefined {
  try {
    const result = (JSON.parse(body) as { result?: unknown }).result;
    return result && typeof result === "object" ? (result as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface BenchContext {
  /** A client_credentials access token of the bench partner (all its scopes), fetched once. */
  token: string;
  /** `Basic base64(consumer_key:consumer_secret)` of the bench partner. */
  basicAuth: string;
  partnerId: string;
  /** The bench partner's user, for the password grant. */
  user: { username: string; password: string };
  /** A DPoP-bound token of the bench partner and a fresh proof per call (bench/lib/dpop.ts). */
  dpop: { token: string; proof: (method: string, path: string) => string };
}

export interface Scenario {
  /** Shown in the table, e.g. "GET /v1/partner". */
  name: string;
  /** What the request exercises in the gateway. */
  covers: string;
  gateway: (ctx: BenchContext) => RequestSpec;
  /**
   * Which Worker serves the "gateway" row: the gateway (default), or the floor Worker running
   * Portico's own code for one part of the system (the ledger's posting code on its schema).
   */
  gatewayWorker?: "floor";
  /** The bare Worker's request; default: the gateway's request (same method, headers, body) on `/`. */
  bare?: ((ctx: BenchContext) => RequestSpec) | null;
  /** Checks the first gateway response before loading (the status is checked anyway); a message when wrong. */
  check?: (body: string, ctx: BenchContext) => string | undefined;
  /** Minimum gateway/bare req/s ratio we aim for: printed as met or not, never enforced. */
  goal?: number;
  /** Connections for this scenario (every target) instead of BENCH_CONNECTIONS. */
  connections?: () => number;
  /** A durable write's floor Worker request (bench/floor), loaded too when set. */
  floor?: (ctx: BenchContext) => RequestSpec;
  /** Minimum gateway/floor req/s ratio we aim for: printed as met or not, never enforced. */
  floorGoal?: number;
}

/** POST /v1/payments (approve + auto-capture) at a number of connections, against the bare Worker and the floor. */
const paymentScenario = (name: string, connections: () => number): Scenario => ({
  name,
  covers:
    "bearer + rate limit + payment object (Durable Object: its create's Idempotency-Key, sandbox card approval and capture, outbox) + D1 index; a fresh Idempotency-Key per request",
  gateway: (ctx) => ({
    method: "POST",
    path: "/v1/payments",
    headers: {
      Authorization: `Bearer ${ctx.token}`,
      "Content-Type": "application/json",
      "Idempotency-Key": "bench-[<id>]",
    },
    body: JSON.stringify({ params: CARD_PAYMENT }),
    idReplacement: true,
  }),
  floor: () => ({ method: "POST", path: "/", body: JSON.stringify({ params: CARD_PAYMENT }) }),
  floorGoal: 0.6,
  connections,
  check: (body) => {
    const result = parseResult(body);
    return result?.status === "captured" && typeof result.id === "string"
      ? undefined
      : `not a captured payment: ${body.slice(0, 300)}`;
  },
});

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
    goal: 0.85,
  },
  {
    name: "GET /v1/partner (DPoP)",
    covers:
      "a DPoP-bound token: bearer verification + the proof (ES256 with its embedded key, ath) + its jti claimed once (ReplayGuard Durable Object) + rate limit + cached profile; a fresh proof per request",
    gateway: (ctx) => ({
      method: "GET",
      path: "/v1/partner",
      headers: { Authorization: `DPoP ${ctx.dpop.token}` },
      perRequestHeaders: () => ({ DPoP: ctx.dpop.proof("GET", "/v1/partner") }),
    }),
    check: (body, ctx) =>
      body.includes(`"id":"${ctx.partnerId}"`) ? undefined : `not the bench partner: ${body.slice(0, 300)}`,
  },
  {
    name: "POST /oauth2/token",
    covers:
      "client authentication (key cached per isolate for the profile TTL, SHA-256) + cached profile + ES256 signing",
    gateway: (ctx) => ({
      method: "POST",
      path: "/oauth2/token",
      headers: { Authorization: ctx.basicAuth, "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    }),
    check: (body) => (body.includes('"access_token"') ? undefined : `no access_token: ${body.slice(0, 300)}`),
    goal: 0.5,
  },
  {
    name: "POST /oauth2/token (password)",
    covers:
      "client authentication + the user's password (PBKDF2-SHA256, 100,000 iterations: slow on purpose) + ES256 signing",
    gateway: (ctx) => ({
      method: "POST",
      path: "/oauth2/token",
      headers: { Authorization: ctx.basicAuth, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", ...ctx.user }).toString(),
    }),
    check: (body) => (body.includes('"access_token"') ? undefined : `no access_token: ${body.slice(0, 300)}`),
  },
  // Creating a new Durable Object (a new SQLite database under wrangler dev) dominates a
  // payment's cost, so payments are measured at few connections and against the floor.
  // BENCH_PAYMENTS_CONNECTIONS overrides the first row's 1 connection.
  paymentScenario("POST /v1/payments", () => Math.round(positiveInt("BENCH_PAYMENTS_CONNECTIONS", 1))),
  paymentScenario("POST /v1/payments ×8", () => 8),
  {
    name: "ledger: one hot account",
    covers:
      "Portico's posting code (src/modules/ledger) on the real schema: a capture entry crediting one partner per request, every fifth also a guarded payout hold on that account; floor: the same rows as one plain D1 batch",
    gatewayWorker: "floor",
    gateway: () => ({ method: "POST", path: "/ledger" }),
    floor: () => ({ method: "POST", path: "/ledger/floor" }),
    bare: null,
    floorGoal: 0.5,
    connections: () => 8,
    check: (body) => (body.includes('"ok":true') ? undefined : `not posted: ${body.slice(0, 300)}`),
  },
];
