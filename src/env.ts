import { z } from "zod";
import type { IdempotencyKey } from "../durable-objects/idempotency";
import type { PaymentObject } from "../durable-objects/payment";
import type { PayoutObject } from "../durable-objects/payout";
import type { RateLimiter } from "../durable-objects/rate-limiter";
import { PRODUCTS } from "./services/catalog";
import type { EventMessage } from "./services/events";
import type { DeliveryMessage } from "./services/webhook-delivery";

/** Bindings and variables of the Worker (wrangler.toml `vars`, secrets, bindings). */
export interface Env {
  DB: D1Database;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  IDEMPOTENCY: DurableObjectNamespace<IdempotencyKey>;
  PAYMENTS: DurableObjectNamespace<PaymentObject>;
  PAYOUTS: DurableObjectNamespace<PayoutObject>;
  EVENTS_QUEUE: Queue<EventMessage>;
  WEBHOOKS_QUEUE: Queue<DeliveryMessage>;
  /** Where deliveries go after their last attempt (and messages a consumer kept failing on). */
  DEAD_LETTERS: Queue<DeliveryMessage | EventMessage>;
  ENVIRONMENT: string;
  ISSUER: string;
  AUDIENCE: string;
  TOKEN_TTL_SECONDS?: string;
  PROFILE_CACHE_TTL_SECONDS?: string;
  RATE_LIMIT_TIMEOUT_MS?: string;
  RATE_LIMIT_FAILURE_MODE?: string;
  LOG_LEVEL?: string;
  /** Secret: JSON array of private ES256 JWKs, each with a `kid`. The first one signs. */
  JWT_SIGNING_KEYS?: string;
  /** Optional secret: public JWKs of retired keys still accepted until their tokens expire. */
  JWT_VERIFY_ONLY_KEYS?: string;
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  /** Secret: base64 of 32 bytes; seals webhook signing secrets at rest. Without it, webhooks answer code 90. */
  WEBHOOK_SECRETS_KEY?: string;
  /** Seconds between delivery attempts, comma-separated (default 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). */
  WEBHOOK_RETRY_DELAYS?: string;
  /** Local development only: deliver to loopback addresses. Refused in production. */
  WEBHOOK_ALLOW_LOOPBACK?: string;
  WEBHOOK_TIMEOUT_MS?: string;
  /** An endpoint failing without a success for this long is disabled (default 120 h, 5 days). */
  WEBHOOK_DISABLE_AFTER_HOURS?: string;
  /** JSON `{ "<system>": "https://…" }`: the bank systems reached over HTTP; the others use the sandbox simulator. */
  UPSTREAM_URLS?: string;
  /** Secret, JSON `{ "<system>": "<bearer token>" }` for those systems. */
  UPSTREAM_TOKENS?: string;
  UPSTREAM_TIMEOUT_MS?: string;
  /** Kill switch: products (comma-separated) refused at once with code 22. */
  PRODUCTS_DISABLED?: string;
  /** How long a card-attach SMS code lives (default 300 s). */
  SMS_CODE_TTL_SECONDS?: string;
}

const Jwk = z.looseObject({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: z.string().min(1),
  y: z.string().min(1),
  kid: z.string().min(1),
  d: z.string().min(1).optional(),
});
export type SigningJwk = z.infer<typeof Jwk>;

const jsonArrayOf = <T extends z.ZodType>(item: T) =>
  z.string().transform((raw, ctx): z.infer<T>[] => {
    try {
      const parsed = z.array(item).safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: "custom", message: parsed.error.issues[0]?.message ?? "invalid" });
    } catch {
      ctx.addIssue({ code: "custom", message: "not JSON" });
    }
    return z.NEVER;
  });

/** A JSON object of name → value, `{}` when unset. */
const jsonRecord = <T extends z.ZodType>(value: T) =>
  z
    .string()
    .default("{}")
    .transform((raw, ctx): Record<string, z.infer<T>> => {
      try {
        const parsed = z.record(z.string(), value).safeParse(JSON.parse(raw));
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: "custom", message: parsed.error.issues[0]?.message ?? "invalid" });
      } catch {
        ctx.addIssue({ code: "custom", message: "not JSON" });
      }
      return z.NEVER;
    });

const intVar = (def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === "" ? def : Number(v)))
    .pipe(z.number().int().min(min).max(max));

const ConfigSchema = z
  .object({
    ENVIRONMENT: z.enum(["sandbox", "production"]),
    ISSUER: z.url(),
    AUDIENCE: z.string().min(1),
    TOKEN_TTL_SECONDS: intVar(3600, 60, 86_400),
    // Bounded staleness of the partner profile cache: a suspension must bite within 60 s.
    PROFILE_CACHE_TTL_SECONDS: intVar(30, 0, 60),
    RATE_LIMIT_TIMEOUT_MS: intVar(50, 1, 50),
    RATE_LIMIT_FAILURE_MODE: z.enum(["open", "closed"]).default("closed"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    JWT_SIGNING_KEYS: jsonArrayOf(Jwk).pipe(
      z
        .array(Jwk)
        .min(1)
        .refine((keys) => keys.every((k) => k.d !== undefined), "signing keys must be private JWKs"),
    ),
    JWT_VERIFY_ONLY_KEYS: jsonArrayOf(Jwk).optional(),
    UPSTASH_REDIS_REST_URL: z.url().optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    WEBHOOK_SECRETS_KEY: z
      .string()
      .refine((k) => /^[A-Za-z0-9+/]{43}=$/.test(k), "must be base64 of 32 bytes")
      .optional(),
    WEBHOOK_RETRY_DELAYS: z
      .string()
      .default("5,300,1800,7200,18000,36000,36000")
      .transform((v) => v.split(",").map((s) => Number(s.trim())))
      .pipe(z.array(z.number().int().min(0).max(43_200)).min(1).max(20)),
    WEBHOOK_ALLOW_LOOPBACK: z
      .enum(["true", "false"])
      .default("false")
      .transform((v) => v === "true"),
    WEBHOOK_TIMEOUT_MS: intVar(15_000, 100, 15_000),
    WEBHOOK_DISABLE_AFTER_HOURS: intVar(120, 1, 720),
    UPSTREAM_URLS: jsonRecord(z.url()),
    UPSTREAM_TOKENS: jsonRecord(z.string().min(1)),
    UPSTREAM_TIMEOUT_MS: intVar(5000, 100, 30_000),
    PRODUCTS_DISABLED: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((p) => p.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(PRODUCTS))),
    SMS_CODE_TTL_SECONDS: intVar(300, 1, 3600),
  })
  .refine((c) => !c.UPSTASH_REDIS_REST_URL || c.UPSTASH_REDIS_REST_TOKEN, {
    message: "UPSTASH_REDIS_REST_TOKEN is required with UPSTASH_REDIS_REST_URL",
    path: ["UPSTASH_REDIS_REST_TOKEN"],
  })
  .refine((c) => c.ENVIRONMENT !== "production" || !c.WEBHOOK_ALLOW_LOOPBACK, {
    message: "production never delivers webhooks to loopback",
    path: ["WEBHOOK_ALLOW_LOOPBACK"],
  })
  .refine((c) => c.ENVIRONMENT !== "production" || c.ISSUER.startsWith("https://"), {
    message: "production ISSUER must be https",
    path: ["ISSUER"],
  });

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

const cache = new WeakMap<object, Config>();

/**
 * Parses the configuration once per `env` object. Invalid configuration throws, and
 * the app answers every request with code 1: the gateway fails closed.
 */
export function loadConfig(env: Env): Config {
  const hit = cache.get(env);
  if (hit) return hit;
  const parsed = ConfigSchema.safeParse({
    ...env,
    UPSTASH_REDIS_REST_URL: env.UPSTASH_REDIS_REST_URL || undefined,
    WEBHOOK_SECRETS_KEY: env.WEBHOOK_SECRETS_KEY || undefined,
    UPSTREAM_URLS: env.UPSTREAM_URLS || undefined,
    UPSTREAM_TOKENS: env.UPSTREAM_TOKENS || undefined,
  });
  if (!parsed.success) {
    // Only names of the offending settings, never their values: they may be secrets.
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`invalid configuration: ${fields}`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
