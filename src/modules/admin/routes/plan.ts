import { z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { proposePlan, readPlan } from "../rate-plan";
import { actorOf, json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { ChangeRequestSchema, PartnerIdParam, Reason } from "./schema";

const date = z.string().openapi({ format: "date", example: "2027-01-01" });
const PlanJson = z.record(z.string(), z.unknown()).openapi({
  description:
    "A rate plan (docs/billing.md, rate plans), checked by parsePlan: every problem is named with its path.",
});
const Version = z
  .object({ version: z.number().int(), effective_from: date, plan: PlanJson })
  .openapi("AdminRatePlanVersion");

const AdminPlanSchema = z
  .object({
    object: z.literal("rate_plan"),
    partner_id: z.string().openapi({ format: "uuid" }),
    account: z
      .object({
        starts_on: date,
        anchor: date.nullable(),
        tax_bps: z.number().int(),
        settlement: z.enum(["invoice", "balance"]),
      })
      .nullable(),
    in_force: Version.nullable(),
    versions: z.array(Version),
    current_period: z
      .object({
        index: z.number().int(),
        start: date,
        end: date.openapi({ description: "Exclusive: the next period's start." }),
        days: z.number().int(),
        days_in_period: z.number().int(),
      })
      .nullable(),
  })
  .openapi("AdminRatePlan");

const PlanChangeRequest = envelopeRequest(
  z
    .object({
      plan: PlanJson,
      effective: z.enum(["next_period", "immediate"]).default("next_period").openapi({
        description:
          "`next_period`: from the start of the next billing period; `immediate`: from the start of the current one, which is priced by it at close. The first version starts on the account's first day.",
      }),
      starts_on: date
        .optional()
        .openapi({ description: "First plan only: the first day billed (default today, UTC)." }),
      anchor: date
        .nullable()
        .optional()
        .openapi({ description: "First plan only: a day the periods start on." }),
      tax_bps: z.number().int().min(0).max(10_000).optional().openapi({ description: "First plan only." }),
      settlement: z.enum(["invoice", "balance"]).optional().openapi({ description: "First plan only." }),
      reason: Reason,
    })
    .strict(),
).openapi("AdminPlanChangeRequest");

const read = adminRoute(
  { role: "viewer", action: "plan.read" },
  {
    method: "get",
    path: "/admin/v1/partners/{id}/plan",
    operationId: "adminGetPlan",
    tags: ["Partners"],
    summary: "A partner's rate plan",
    description:
      "The billing account, the version in force today, every version with its effective_from and the current period. A partner without a plan answers nulls and no versions.",
    request: { params: PartnerIdParam },
    responses: okResponse("The plan", AdminPlanSchema),
  },
);

const change = adminRoute(
  {
    role: "approver",
    action: "plan.change",
    errors: ["invalid_state_transition", "plan_version_stale"],
  },
  {
    method: "put",
    path: "/admin/v1/partners/{id}/plan",
    operationId: "adminChangePlan",
    tags: ["Partners"],
    summary: "Propose a partner's next plan version",
    description:
      "A plan changes what a partner pays, so it is always proposed as a change request of kind `rate_plan` (202) and applies when a different approver approves it. `plan.version` must be the next version number (171 otherwise); `period` and `currency` cannot change after the first version. The partner must be active.",
    request: { params: PartnerIdParam, ...json(PlanChangeRequest) },
    responses: okResponse(
      "Proposed: the change request waiting for its second approver",
      ChangeRequestSchema,
      202,
    ),
  },
);

export function registerPlan(t: AdminTarget) {
  serve(t, read, async (c) => {
    const { id } = c.req.valid("param");
    return ok(c, await readPlan(c.get("services"), id), 200);
  });
  serve(t, change, async (c) => {
    const { id } = c.req.valid("param");
    const { reason, plan, effective, ...account } = c.req.valid("json").params;
    const request = await proposePlan(
      c.get("services"),
      actorOf(c),
      id,
      { plan, effective, account },
      reason,
    );
    c.set("adminAudit", { partnerId: id, before: null, after: request, reason });
    return ok(c, request, 202);
  });
}
