import type { MaskingReplacer } from "./data-access";
import type { Db } from "./db/client";
import type { Config, Env } from "./env";
import type { Logger } from "./lib/logger";
import type { LeasingLimiter } from "./ratelimit/leasing";

/** Built once per request by the context middleware and read from `c.get("services")`. */
export interface Services {
  config: Config;
  db: Db;
  limiter: LeasingLimiter;
}

/** Who is calling, from a verified bearer token. */
export interface Caller {
  partnerId: string;
  scopes: readonly string[];
  clientId: string;
  tokenId: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: Logger;
    services: Services;
    caller: Caller;
    partner: PartnerProfile;
    /** The `id` of the request envelope, echoed in the response envelope. */
    envelopeId?: string;
    /** The request's Idempotency-Key (every POST under /v1 has one, checked by the middleware). */
    idempotencyKey: string;
    /** What an idempotent replay answers, when it must differ from the first answer (a secret shown once). */
    replayBody?: string;
    /**
     * Set by the data-minimisation layer for /v1: how envelopes mask personal fields while they
     * are serialised (null: the partner's licence covers them all). Absent outside /v1.
     */
    mask?: MaskingReplacer | null;
  };
}

/** What the gateway needs to know about the calling partner on every request (loaded by the partners module). */
export interface PartnerProfile {
  id: string;
  name: string;
  environment: "sandbox" | "production";
  status: "active" | "suspended";
  tier: "sandbox" | "standard" | "enterprise";
  products: string[];
  scopes: string[];
  dataAccess: string[];
  limits: { requestsPerSecond: number; dailyQuota: number | null };
  fees: { bps: number; fixedMinor: number };
  /** Browser origins the contract lets call the API with this partner's tokens (CORS); often none. */
  corsOrigins: string[];
  /** Consumer keys not revoked: a token minted by a revoked key stops working with the cache TTL. */
  activeClientIds: string[];
  /**
   * The current terms of service when this partner has not accepted them (null otherwise): after
   * `acceptBy`, production refuses its calls with code 24 (docs/onboarding.md).
   */
  termsDue: { version: string; acceptBy: string } | null;
}
