import { z } from "zod";
import type { IdempotencyKey } from "../durable-objects/idempotency";
import type { PaymentObject } from "../durable-objects/payment";
import type { PayoutObject } from "../durable-objects/payout";
import type { RateLimiter } from "../durable-objects/rate-limiter";
import type { EventMessage } from "./services/events";

/** Bindings and variables of the Worker (wrangler.toml `vars`, secrets, bindings). */
export interface Env {
  DB: D1Database;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  IDEMPOTENCY: DurableObjectNamespace<IdempotencyKey>;
  PAYMENTS: DurableObjectNamespace<PaymentObject>;
  PAYOUTS: DurableObjectNamespace<PayoutObject>;
  EVENTS_QUEUE: Queue<EventMessage>;
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
  })
  .refine((c) => !c.UPSTASH_REDIS_REST_URL || c.UPSTASH_REDIS_REST_TOKEN, {
    message: "UPSTASH_REDIS_REST_TOKEN is required with UPSTASH_REDIS_REST_URL",
    path: ["UPSTASH_REDIS_REST_TOKEN"],
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
  });
  if (!parsed.success) {
    // Only names of the offending settings, never their values: they may be secrets.
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`invalid configuration: ${fields}`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
