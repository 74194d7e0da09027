import { z } from "@hono/zod-openapi";

export const COMPONENT_STATES = ["ok", "degraded", "down"] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

export const OVERALL_STATES = ["operational", "degraded", "down"] as const;
export type OverallState = (typeof OVERALL_STATES)[number];

export const COMPONENT_KINDS = ["database", "durable_object", "queue", "rate_limiter", "connector"] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export const BREAKER_STATES = ["closed", "open", "half-open"] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

export const StatusComponentSchema = z
  .object({
    name: z.string().openapi({ example: "durable_object.payments" }),
    kind: z.enum(COMPONENT_KINDS),
    status: z.enum(COMPONENT_STATES),
    latency_ms: z.number().int().min(0).openapi({ description: "How long this probe took." }),
    detail: z.string().openapi({ description: "What was checked and what it answered; never a secret." }),
    breaker: z
      .enum(BREAKER_STATES)
      .optional()
      .openapi({ description: "Connectors only: this edge isolate's circuit breaker for the system." }),
  })
  .openapi("StatusComponent");
export type StatusComponent = z.infer<typeof StatusComponentSchema>;

export const StatusReportSchema = z
  .object({
    status: z.enum(OVERALL_STATES).openapi({
      description:
        "`operational`: every component answered ok. `degraded`: a non-core component is slow, down or has its breaker open. `down`: the database does not answer (HTTP 503).",
    }),
    environment: z.enum(["sandbox", "production"]),
    version: z.string().openapi({ description: "Version of the API contract.", example: "1.0.0" }),
    time: z.string().openapi({ format: "date-time" }),
    components: z.array(StatusComponentSchema),
  })
  .openapi("StatusReport");
export type StatusReport = z.infer<typeof StatusReportSchema>;
