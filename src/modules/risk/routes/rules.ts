import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { createRule, deleteRule, getRule, listRules, updateRule } from "../rules";
import { actorOf } from "./actor";
import { CreateRuleParams, IdParam, RuleSchema, UpdateRuleParams } from "./schema";

const read = { product: "payments", scope: "payments:read" } as const;
const write = { product: "payments", scope: "payments:write" } as const;
const tags = ["Risk"];

const list = v1Route(read, {
  method: "get",
  path: "/v1/risk/rules",
  operationId: "listRiskRules",
  tags,
  summary: "Your risk rules",
  description:
    "In evaluation order: ascending `position`, ties the older first. Before authorization the allow list, then the block list, then these rules run; the first active rule whose conditions all hold decides; dry-run rules before it record what they would have done. No match passes.",
  responses: okResponse(
    "Your rules",
    z.object({ object: z.literal("list"), data: z.array(RuleSchema) }).openapi("RiskRuleList"),
  ),
});

const create = v1Route(
  { ...write, errors: ["risk_limit_reached"] },
  {
    method: "post",
    path: "/v1/risk/rules",
    operationId: "createRiskRule",
    tags,
    summary: "Add a risk rule",
    description: "At most 100 rules (code 192). Audited with its after-image.",
    request: {
      body: {
        required: true,
        content: {
          "application/json": { schema: envelopeRequest(CreateRuleParams).openapi("CreateRiskRuleRequest") },
        },
      },
    },
    responses: okResponse("The rule", RuleSchema),
  },
);

const get = v1Route(read, {
  method: "get",
  path: "/v1/risk/rules/{id}",
  operationId: "getRiskRule",
  tags,
  summary: "Retrieve a risk rule",
  description: "Another partner's rule answers as an unknown one (404).",
  request: { params: IdParam },
  responses: okResponse("The rule", RuleSchema),
});

const patch = v1Route(write, {
  method: "patch",
  path: "/v1/risk/rules/{id}",
  operationId: "updateRiskRule",
  tags,
  summary: "Update a risk rule",
  description: "Changes the fields given (conditions are replaced whole). Audited with before and after.",
  request: {
    params: IdParam,
    body: {
      required: true,
      content: {
        "application/json": { schema: envelopeRequest(UpdateRuleParams).openapi("UpdateRiskRuleRequest") },
      },
    },
  },
  responses: okResponse("The rule", RuleSchema),
});

const remove = v1Route(write, {
  method: "delete",
  path: "/v1/risk/rules/{id}",
  operationId: "deleteRiskRule",
  tags,
  summary: "Delete a risk rule",
  description: "Payments already assessed keep the record of it. Audited with its before-image.",
  request: { params: IdParam },
  responses: okResponse(
    "The rule removed",
    z
      .object({ id: z.string(), object: z.literal("risk_rule"), deleted: z.literal(true) })
      .openapi("DeletedRiskRule"),
  ),
});

export function registerRuleRoutes(app: OpenAPIHono<AppEnv>) {
  const db = (c: { get: (k: "services") => AppEnv["Variables"]["services"] }) => c.get("services").db;
  app.openapi(list, async (c) =>
    ok(c, { object: "list" as const, data: await listRules(db(c), c.get("partner").id) }),
  );
  app.openapi(create, async (c) => ok(c, await createRule(db(c), actorOf(c), c.req.valid("json").params)));
  app.openapi(get, async (c) => ok(c, await getRule(db(c), c.get("partner").id, c.req.valid("param").id)));
  app.openapi(patch, async (c) =>
    ok(c, await updateRule(db(c), actorOf(c), c.req.valid("param").id, c.req.valid("json").params)),
  );
  app.openapi(remove, async (c) => ok(c, await deleteRule(db(c), actorOf(c), c.req.valid("param").id)));
}
