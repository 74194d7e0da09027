import { z } from "@hono/zod-openapi";

const STATUSES = ["met", "missed", "no_target", "not_measured"] as const;
const status = z.enum(STATUSES).openapi({
  description:
    "met or missed; no_target for a tier without an SLA (the sandbox); not_measured for a month without counted calls (never a breach).",
});
const credit = z.number().int().openapi({
  description: "The service credit this target earned, in basis points of the period's recurring fee.",
});

export const SlaMonthQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month YYYY-MM")
    .optional()
    .openapi({
      param: { name: "month", in: "query" },
      description:
        "A calendar month (UTC), `YYYY-MM`; default this month. A later month is refused (code 4).",
      example: "2026-11",
    }),
});

/** One month's service levels, as GET /v1/sla and the admin route answer them (docs/sla.md). */
export const SlaSchema = z
  .object({
    object: z.literal("sla"),
    month: z.string().openapi({ example: "2026-11" }),
    from: z.string().openapi({ format: "date", description: "The month's first day (UTC)." }),
    to: z.string().openapi({ format: "date", description: "The month's last day (UTC), included." }),
    complete: z
      .boolean()
      .openapi({ description: "false for the current month: measured so far, the figures can still move." }),
    tier: z.enum(["sandbox", "standard", "enterprise"]),
    calls: z.object({
      total: z.number().int().openapi({ description: "Every call recorded in the request log this month." }),
      refused: z
        .number()
        .int()
        .openapi({ description: "Answers of 429 (your rate limit or quota): not measured." }),
      counted: z.number().int().openapi({ description: "total − refused: the calls both figures are over." }),
      server_errors: z.number().int().openapi({
        description: "Counted calls answered 500 and above, the limiter's own 503 (code 42) included.",
      }),
    }),
    availability: z.object({
      target_bps: z
        .number()
        .int()
        .nullable()
        .openapi({ description: "Your tier's target, of 10 000 (9950 = 99.50 %)." }),
      measured_bps: z.number().int().nullable().openapi({
        description:
          "(counted − server_errors) × 10 000 / counted, rounded down; null without counted calls.",
      }),
      status,
      credit_bps: credit,
    }),
    p95_latency: z.object({
      target_ms: z
        .number()
        .int()
        .nullable()
        .openapi({ description: "Your tier's p95 target, in ms at the edge." }),
      measured_ms: z.number().int().nullable().openapi({
        description:
          "The counted calls' latency at the nearest rank ⌈0.95 × counted⌉; null without counted calls.",
      }),
      rank: z.number().int().nullable().openapi({ description: "⌈0.95 × counted⌉ (1-based, ascending)." }),
      status,
      credit_bps: credit,
    }),
    credit_bps: z
      .number()
      .int()
      .openapi({ description: "Both credits together, in basis points of the period's recurring fee." }),
  })
  .openapi("ServiceLevels");
