import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import { listEventViews } from "../../operations/events";
import {
  changeRule,
  createRule,
  listRuleViews,
  removeRule,
  requireRule,
  ruleView,
} from "../../operations/rules";
import { actorOf, json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import {
  AlertEventSchema,
  CreatedRuleSchema,
  RuleCreateRequest,
  RuleIdParam,
  RulePatchRequest,
  RuleSchema,
} from "./operations-schema";

const TAGS = ["Operations"];
const RULE_ERRORS = ["alert_threshold_invalid"] as const;

const list = adminRoute(
  { role: "viewer", action: "alert_rules.list" },
  {
    method: "get",
    path: "/admin/v1/alerts/rules",
    operationId: "adminListAlertRules",
    tags: TAGS,
    summary: "Every alert rule with its state",
    description:
      "Newest first; at most 100 rules exist. Each with its state (ok or firing), streak and last evaluation.",
    responses: okResponse(
      "The rules",
      z.object({ object: z.literal("list"), data: z.array(RuleSchema) }).openapi("AdminAlertRules"),
    ),
  },
);

const create = adminRoute(
  {
    role: "operator",
    action: "alert_rule.create",
    errors: [...RULE_ERRORS, "alert_connector_url_refused", "alert_rules_limit"],
  },
  {
    method: "post",
    path: "/admin/v1/alerts/rules",
    operationId: "adminCreateAlertRule",
    tags: TAGS,
    summary: "Create an alert rule",
    description:
      "A condition on one metric over a sliding window (docs/operations.md, alert rules), evaluated every minute by the cron. It fires after `fire_after` breaching evaluations in a row and resolves after `resolve_after` clearing ones (at or past `resolve_threshold`); below `min_samples` an evaluation is no data and changes nothing. A webhook connector's URL passes the same SSRF guard as partners' endpoints (code 232); its signing secret is answered once.",
    request: json(RuleCreateRequest),
    responses: okResponse("The new rule, state ok", CreatedRuleSchema, 201),
  },
);

const get = adminRoute(
  { role: "viewer", action: "alert_rule.read" },
  {
    method: "get",
    path: "/admin/v1/alerts/rules/{id}",
    operationId: "adminGetAlertRule",
    tags: TAGS,
    summary: "One alert rule",
    request: { params: RuleIdParam },
    responses: okResponse("The rule", RuleSchema),
  },
);

const patch = adminRoute(
  { role: "operator", action: "alert_rule.change", errors: RULE_ERRORS },
  {
    method: "patch",
    path: "/admin/v1/alerts/rules/{id}",
    operationId: "adminChangeAlertRule",
    tags: TAGS,
    summary: "Change an alert rule's name, thresholds, window or hysteresis",
    description:
      "Its state stays; its streak starts again. A new `threshold` without `resolve_threshold` moves the resolve threshold to it. The metric, filters, comparator and connector do not change: make a new rule.",
    request: { params: RuleIdParam, ...json(RulePatchRequest) },
    responses: okResponse("The rule now", RuleSchema),
  },
);

const remove = adminRoute(
  { role: "operator", action: "alert_rule.delete" },
  {
    method: "delete",
    path: "/admin/v1/alerts/rules/{id}",
    operationId: "adminDeleteAlertRule",
    tags: TAGS,
    summary: "Delete an alert rule",
    description: "Its transitions stay listed; one not delivered yet is given up.",
    request: { params: RuleIdParam },
    responses: okResponse(
      "The deleted rule",
      z.object({ id: z.string(), object: z.literal("alert_rule"), deleted: z.literal(true) }),
    ),
  },
);

const events = adminRoute(
  { role: "viewer", action: "alert_events.list" },
  {
    method: "get",
    path: "/admin/v1/alerts/events",
    operationId: "adminListAlertEvents",
    tags: TAGS,
    summary: "The alert rules' transitions: the sandbox sink",
    description:
      "Every transition (firing, resolved), newest first, with what its connector was sent and its delivery: a sandbox connector's are delivered here. `rule_id` narrows to one rule.",
    request: {
      query: z.object({
        rule_id: z
          .uuid()
          .optional()
          .openapi({ param: { name: "rule_id", in: "query" } }),
        ...pageQuery,
      }),
    },
    responses: { 200: pageResponse(AlertEventSchema, "A page of transitions") },
  },
);

export function registerAlerts(t: AdminTarget) {
  serve(t, list, async (c) => ok(c, await listRuleViews(c.get("services").db)));
  serve(t, create, async (c) => {
    const { db, config } = c.get("services");
    const created = await createRule(db, config, c.req.valid("json").params, actorOf(c).identity);
    const { signing_secret: _secret, ...after } = created;
    c.set("adminAudit", { target: created.id, before: null, after });
    return ok(c, created, 201);
  });
  serve(t, get, async (c) =>
    ok(c, ruleView(await requireRule(c.get("services").db, c.req.valid("param").id))),
  );
  serve(t, patch, async (c) => {
    const { id } = c.req.valid("param");
    const { before, after } = await changeRule(c.get("services").db, id, c.req.valid("json").params);
    c.set("adminAudit", { target: id, before, after });
    return ok(c, after);
  });
  serve(t, remove, async (c) => {
    const { id } = c.req.valid("param");
    const { before, deleted } = await removeRule(c.get("services").db, id);
    c.set("adminAudit", { target: id, before, after: null });
    return ok(c, deleted);
  });
  serve(t, events, async (c) => {
    const q = c.req.valid("query");
    return ok(
      c,
      await listEventViews(c.get("services").db, {
        ...pageOptions(q),
        ...(q.rule_id !== undefined ? { ruleId: q.rule_id } : {}),
      }),
    );
  });
}
