import { z } from "zod";
import type { Env } from "../../platform/env";
import type { FeeRule } from "./model";

const Rule = z.strictObject({
  capture_bps: z.number().int().min(0).max(10_000),
  capture_fixed: z.number().int().min(0),
  refund_fixed: z.number().int().min(0),
});

/** The sandbox acquirer's price list, unless `SETTLEMENT_FEES` says otherwise: 1.2 % + 100, refunds free. */
export const DEFAULT_FEES: Record<string, FeeRule> = {
  sandbox: { capture_bps: 120, capture_fixed: 100, refund_fixed: 0 },
};

const intVar = (def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === "" ? def : Number(v)))
    .pipe(z.number().int().min(min).max(max));

const Schema = z.object({
  ENVIRONMENT: z.enum(["sandbox", "production"]),
  SETTLEMENT_FEES: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === "") return DEFAULT_FEES;
      try {
        const parsed = z.record(z.string(), Rule).safeParse(JSON.parse(raw));
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: "custom", message: parsed.error.issues[0]?.message ?? "invalid" });
      } catch {
        ctx.addIssue({ code: "custom", message: "not JSON" });
      }
      return z.NEVER;
    }),
  SETTLEMENT_SOURCES: z.string().optional(),
  RECONCILIATION_CAPTURE_WINDOW_DAYS: intVar(7, 1, 30),
  RECONCILIATION_PENDING_GRACE_MINUTES: intVar(15, 0, 1440),
});

export interface ReconciliationConfig {
  fees: Record<string, FeeRule>;
  /** The settlement sources the daily fetch asks (the sandbox's own by default, none in production). */
  sources: string[];
  captureWindowMs: number;
  pendingGraceMs: number;
}

const cache = new WeakMap<object, ReconciliationConfig>();

/** Reconciliation's settings (docs/reconciliation.md), parsed once per `env`; invalid ones throw. */
export function reconciliationConfig(env: Env): ReconciliationConfig {
  const hit = cache.get(env);
  if (hit) return hit;
  const parsed = Schema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid reconciliation configuration: ${fields}`);
  }
  const c = parsed.data;
  const sources = (c.SETTLEMENT_SOURCES ?? (c.ENVIRONMENT === "sandbox" ? "sandbox" : ""))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const config = {
    fees: c.SETTLEMENT_FEES,
    sources,
    captureWindowMs: c.RECONCILIATION_CAPTURE_WINDOW_DAYS * 86_400_000,
    pendingGraceMs: c.RECONCILIATION_PENDING_GRACE_MINUTES * 60_000,
  };
  cache.set(env, config);
  return config;
}
