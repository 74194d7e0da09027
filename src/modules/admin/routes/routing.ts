import { z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { readRouting, replaceRouting } from "../../routing/service";
import { requirePartner } from "../partners";
import { actorOf, json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { MAX_RULES, RoutingRuleSchema, RoutingSchema } from "./routing-schema";
import { PartnerIdParam, Reason } from "./schema";

const RoutingChangeRequest = envelopeRequest(
  z
    .object({
      rules: z.array(RoutingRuleSchema).max(MAX_RULES),
      default_priority: z.array(z.string().min(1).max(40)).min(1).max(10).nullable().default(null),
      reason: Reason,
    })
    .strict(),
).openapi("AdminRoutingChangeRequest");

const read = adminRoute(
  { role: "viewer", action: "routing.read" },
  {
    method: "get",
    path: "/admin/v1/partners/{id}/routing",
    operationId: "adminGetRouting",
    tags: ["Partners"],
    summary: "A partner's payment routing",
    description:
      "Its rules, its default order, the environment's default and the acquirers this environment can reach (docs/orchestration.md).",
    request: { params: PartnerIdParam },
    responses: okResponse("The routing", RoutingSchema),
  },
);

const put = adminRoute(
  {
    role: "operator",
    action: "routing.set",
    errors: ["routing_provider_unknown", "routing_split_invalid", "routing_rule_invalid"],
  },
  {
    method: "put",
    path: "/admin/v1/partners/{id}/routing",
    operationId: "adminSetRouting",
    tags: ["Partners"],
    summary: "Replace a partner's payment routing",
    description:
      "Replaces every rule and the default order at once; payments created from then on follow them (a payment already begun keeps its route). Every provider named must be reachable in this environment (200); a split adds up to 100 (201); ranges are ordered and no list names a provider twice (202).",
    request: { params: PartnerIdParam, ...json(RoutingChangeRequest) },
    responses: okResponse("The routing now", RoutingSchema),
  },
);

export function registerRoutingAdmin(t: AdminTarget) {
  serve(t, read, async (c) => {
    const { id } = c.req.valid("param");
    const services = c.get("services");
    await requirePartner(services.db, id);
    return ok(c, await readRouting(services, id), 200);
  });
  serve(t, put, async (c) => {
    const { id } = c.req.valid("param");
    const { rules, default_priority, reason } = c.req.valid("json").params;
    const { before, after } = await replaceRouting(
      c.get("services"),
      id,
      { rules, default_priority },
      actorOf(c).identity,
    );
    c.set("adminAudit", { partnerId: id, before, after, reason });
    return ok(c, after, 200);
  });
}
