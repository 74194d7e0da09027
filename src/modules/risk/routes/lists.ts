import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import { parseCidr } from "../../../platform/lib/cidr";
import type { AppEnv } from "../../../platform/types";
import { listAudit } from "../audit";
import { addListEntry, getSettings, listEntries, removeListEntry, updateSettings } from "../lists";
import { FALLBACKS, LIST_KINDS, LIST_TYPES } from "../model";
import { actorOf } from "./actor";
import { IdParam, ListEntrySchema, SettingsSchema } from "./schema";

const read = { product: "payments", scope: "payments:read" } as const;
const write = { product: "payments", scope: "payments:write" } as const;
const tags = ["Risk"];

const VALUE_RULES: Record<(typeof LIST_TYPES)[number], { test: (v: string) => boolean; says: string }> = {
  bin: { test: (v) => /^\d{1,8}$/.test(v), says: "a BIN prefix of 1 to 8 digits" },
  country: { test: (v) => /^[A-Z]{2}$/.test(v), says: "an ISO 3166-1 alpha-2 country, upper case" },
  asn: { test: (v) => /^(0|[1-9]\d{0,9})$/.test(v) && Number(v) <= 4_294_967_295, says: "an AS number" },
  ip: {
    test: (v) => {
      try {
        parseCidr(v);
        return true;
      } catch {
        return false;
      }
    },
    says: "an IP address or CIDR block without host bits",
  },
};

const AddEntryParams = z
  .strictObject({
    list: z.enum(LIST_KINDS),
    type: z.enum(LIST_TYPES),
    value: z.string().min(1).max(64).openapi({ example: "424242" }),
  })
  .superRefine((p, ctx) => {
    const rule = VALUE_RULES[p.type];
    if (!rule.test(p.value))
      ctx.addIssue({ code: "custom", path: ["value"], message: `must be ${rule.says}` });
  });

const listRoute = v1Route(read, {
  method: "get",
  path: "/v1/risk/lists",
  operationId: "listRiskListEntries",
  tags,
  summary: "Your allow and block lists",
  description:
    "Entries of BIN prefixes, countries (the card's or the client's), IP addresses and CIDR blocks, and AS numbers. An allow-list hit passes the payment before any rule; a block-list hit blocks it.",
  request: {
    query: z.object({
      list: z
        .enum(LIST_KINDS)
        .optional()
        .openapi({ param: { name: "list", in: "query" } }),
      type: z
        .enum(LIST_TYPES)
        .optional()
        .openapi({ param: { name: "type", in: "query" } }),
    }),
  },
  responses: okResponse(
    "The entries",
    z.object({ object: z.literal("list"), data: z.array(ListEntrySchema) }).openapi("RiskListEntryList"),
  ),
});

const add = v1Route(
  { ...write, errors: ["risk_limit_reached"] },
  {
    method: "post",
    path: "/v1/risk/lists",
    operationId: "addRiskListEntry",
    tags,
    summary: "Add a list entry",
    description:
      "At most 1000 entries (code 192). The same value again answers the entry already there. IP blocks are stored in canonical form. Audited.",
    request: {
      body: {
        required: true,
        content: {
          "application/json": { schema: envelopeRequest(AddEntryParams).openapi("AddRiskListEntryRequest") },
        },
      },
    },
    responses: okResponse("The entry", ListEntrySchema),
  },
);

const remove = v1Route(write, {
  method: "delete",
  path: "/v1/risk/lists/{id}",
  operationId: "deleteRiskListEntry",
  tags,
  summary: "Remove a list entry",
  description: "Another partner's entry answers as an unknown one (404). Audited.",
  request: { params: IdParam },
  responses: okResponse(
    "The entry removed",
    z
      .object({ id: z.string(), object: z.literal("risk_list_entry"), deleted: z.literal(true) })
      .openapi("DeletedRiskListEntry"),
  ),
});

const settings = v1Route(read, {
  method: "get",
  path: "/v1/risk/settings",
  operationId: "getRiskSettings",
  tags,
  summary: "Your scoring settings",
  description:
    "How long the scoring service is waited for (default 300 ms) and the decision that stands in when it is late or fails (default `hold`), applied where a rule needs the score.",
  responses: okResponse("The settings", SettingsSchema),
});

const putSettings = v1Route(write, {
  method: "post",
  path: "/v1/risk/settings",
  operationId: "updateRiskSettings",
  tags,
  summary: "Change your scoring settings",
  description: "Changes the fields given. Audited with before and after.",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: envelopeRequest(
            z.strictObject({
              scoring_timeout_ms: z.number().int().min(10).max(5000).optional(),
              scoring_fallback: z.enum(FALLBACKS).optional(),
            }),
          ).openapi("UpdateRiskSettingsRequest"),
        },
      },
    },
  },
  responses: okResponse("The settings", SettingsSchema),
});

const audit = v1Route(read, {
  method: "get",
  path: "/v1/risk/audit",
  operationId: "listRiskAudit",
  tags,
  summary: "Changes to your risk configuration",
  description:
    "Every change to rules, lists and settings, newest first: who (API client), which request, before and after.",
  request: { query: z.object(pageQuery) },
  responses: {
    200: pageResponse(
      z
        .object({
          id: z.string(),
          object: z.literal("risk_audit_entry"),
          action: z.string(),
          target: z.string(),
          client_id: z.string(),
          request_id: z.string(),
          before: z.unknown(),
          after: z.unknown(),
          created_at: z.string().openapi({ format: "date-time" }),
        })
        .openapi("RiskAuditEntry"),
      "A page of audit entries",
    ),
  },
});

export function registerListRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const filter = { ...(q.list ? { list: q.list } : {}), ...(q.type ? { type: q.type } : {}) };
    return ok(c, {
      object: "list" as const,
      data: await listEntries(c.get("services").db, c.get("partner").id, filter),
    });
  });
  app.openapi(add, async (c) =>
    ok(c, await addListEntry(c.get("services").db, actorOf(c), c.req.valid("json").params)),
  );
  app.openapi(remove, async (c) =>
    ok(c, await removeListEntry(c.get("services").db, actorOf(c), c.req.valid("param").id)),
  );
  app.openapi(settings, async (c) => ok(c, await getSettings(c.get("services").db, c.get("partner").id)));
  app.openapi(putSettings, async (c) =>
    ok(c, await updateSettings(c.get("services").db, actorOf(c), c.req.valid("json").params)),
  );
  app.openapi(audit, async (c) =>
    ok(c, await listAudit(c.get("services").db, c.get("partner").id, pageOptions(c.req.valid("query")))),
  );
}
