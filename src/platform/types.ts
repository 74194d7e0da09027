import type { MaskingReplacer } from "./data-access";
import type { Db } from "./db/client";
import type { Config, Env } from "./env";
import type { Logger } from "./lib/logger";
import type { LeasingLimiter } from "./ratelimit/leasing";
import type { PlanQuota } from "./ratelimit/plan-quota";
import type { Deprecation } from "./versions/registry";

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
  /** A token the customer's consent authorisation issued (docs/fapi.md): the consent it reads with. */
  consentId?: string;
  /** The authorization (code exchange, refresh chain) the token belongs to. */
  grantId?: string;
}

/** Who is calling the admin API: a verified Cloudflare Access identity and the role D1 holds for it (null: none). */
export interface AdminCaller {
  identity: string;
  subject: string;
  role: "viewer" | "operator" | "approver" | "admin" | null;
}

/** What an admin route did, for its audit entry: the target and the before/after of the change. */
export interface AdminAuditNote {
  target?: string;
  partnerId?: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** When the request arrived (ms): what the request log's latency is measured from. */
    startedAt: number;
    log: Logger;
    services: Services;
    caller: Caller;
    partner: PartnerProfile;
    /** Under /admin: the authenticated platform-team member, and what the route did (its audit note). */
    admin: AdminCaller;
    adminAudit?: AdminAuditNote;
    /** The `id` of the request envelope, echoed in the response envelope. */
    envelopeId?: string;
    /** The request body as it arrived (POST/PUT/PATCH, once the JSON body middleware read it): for the sandbox's request log. */
    requestText?: string;
    /** The request's Idempotency-Key (every POST under /v1 has one, checked by the middleware). */
    idempotencyKey: string;
    /** Set by the idempotency layer once it stored this call's answer for replays (metering counts it by its key). */
    idempotencyStored?: boolean;
    /** What an idempotent replay answers, when it must differ from the first answer (a secret shown once). */
    replayBody?: string;
    /**
     * Set by the data-minimisation layer for /v1: how envelopes mask personal fields while they
     * are serialised (null: the partner's licence covers them all). Absent outside /v1.
     */
    mask?: MaskingReplacer | null;
    /** The API version of this request (`Portico-Version`, else the partner's pin): set for /v1 once the partner is known. */
    apiVersion?: string;
    /** The deprecation announced on this answer (the version's, a route's, the earlier of both). */
    deprecation?: Deprecation;
  };
}

/** What the gateway needs to know about the calling partner on every request (loaded by the partners module). */
export interface PartnerProfile {
  id: string;
  name: string;
  environment: "sandbox" | "production";
  status: "active" | "suspended" | "offboarded";
  tier: "sandbox" | "standard" | "enterprise";
  products: string[];
  scopes: string[];
  dataAccess: string[];
  limits: { requestsPerSecond: number; dailyQuota: number | null };
  /** What a capture takes (docs/ledger.md): the contract's fee, or nothing when a rate plan invoices it. */
  fees: { bps: number; fixedMinor: number };
  /** A plan that blocks overage, per period window (src/platform/ratelimit/plan-quota.ts); null: nothing blocks. */
  planQuota: PlanQuota | null;
  /** Browser origins the contract lets call the API with this partner's tokens (CORS); often none. */
  corsOrigins: string[];
  /** CIDR blocks the contract lets call from (`CF-Connecting-IP`); empty: any address. */
  ipAllowlist: string[];
  /** Host names or `*.suffix` patterns production webhook endpoints may use; empty: any public host. */
  webhookDomains: string[];
  /** Consumer keys not revoked: a token minted by a revoked key stops working with the cache TTL. */
  activeClientIds: string[];
  /** Access tokens (`jti`) revoked before their expiry (RFC 7009, or with their grant): refused with the cache TTL. */
  revokedTokenIds: string[];
  /** The API version the partner is pinned to (docs/versions.md); `Portico-Version` overrides it per request. */
  apiVersion: string;
  /**
   * The current terms of service when this partner has not accepted them (null otherwise): after
   * `acceptBy`, production refuses its calls with code 24 (docs/onboarding.md).
   */
  termsDue: { version: string; acceptBy: string } | null;
  /** `fapi`: FAPI 2.0 (docs/fapi.md): strong client authentication and sender-constrained tokens only. */
  securityProfile: "standard" | "fapi";
  /** Whether the token endpoint takes the password grant from this partner (never under `fapi`). */
  passwordGrant: boolean;
}
