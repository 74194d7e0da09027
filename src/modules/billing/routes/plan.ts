import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { ApiError } from "../../../platform/errors";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { partnerPlanView } from "../plan-view";

const date = z.string().openapi({ format: "date", example: "2027-01-01" });
const PlanJson = z.record(z.string(), z.unknown()).openapi({
  description: "The rate plan as the contract states it (docs/billing.md, rate plans).",
});
const PeriodSchema = z
  .object({
    index: z.number().int(),
    start: date,
    end: date.openapi({ description: "Exclusive: the next period's start." }),
    days: z.number().int(),
    days_in_period: z.number().int(),
  })
  .openapi("PlanPeriod");

export const PlanSchema = z
  .object({
    object: z.literal("plan"),
    version: z.number().int(),
    effective_from: date,
    plan: PlanJson,
    next: z
      .object({ version: z.number().int(), effective_from: date, plan: PlanJson })
      .nullable()
      .openapi({ description: "A version approved to start at a later period, if any." }),
    current_period: PeriodSchema.nullable().openapi({ description: "Null before billing starts." }),
    next_period_start: date,
    usage: z
      .array(
        z.object({
          product: z.string(),
          included_calls: z.number().int(),
          used_calls: z.number().int().openapi({ description: "Billable calls so far this period." }),
          remaining_calls: z.number().int(),
        }),
      )
      .openapi({ description: "Per product with included calls." }),
  })
  .openapi("Plan");

const get = v1Route(
  { product: null, scope: "usage:read", errors: ["not_found"] },
  {
    method: "get",
    path: "/v1/plan",
    operationId: "getPlan",
    tags: ["Usage"],
    summary: "Your rate plan",
    description:
      "The version of your rate plan in force, the next one if a change is scheduled, the current billing period and, per product with included calls, the billable calls used so far and what remains. A partner without a rate plan answers 404 (code 30, `rate plan`).",
    responses: okResponse("Your plan", PlanSchema),
  },
);

export function registerPlanRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(get, async (c) => {
    const partner = c.get("partner");
    const view = await partnerPlanView(
      c.get("services").db,
      partner.id,
      new Date().toISOString().slice(0, 10),
    );
    if (!view) throw new ApiError("not_found", { resource: "rate plan" });
    return ok(c, view);
  });
}
