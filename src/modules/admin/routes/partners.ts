import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import { GRANULARITIES, LOG_PRODUCTS } from "../../usage/model";
import { ADMIN_USAGE_DAYS, listPartners, partnerDetail, partnerUsage } from "../partners";
import { type AdminTarget, adminRoute, serve } from "./define";
import { AdminPartnerDetailSchema, AdminPartnerSchema, PartnerIdParam } from "./schema";

const list = adminRoute(
  { role: "viewer", action: "partners.list" },
  {
    method: "get",
    path: "/admin/v1/partners",
    operationId: "adminListPartners",
    tags: ["Partners"],
    summary: "List and search partners",
    description: "Newest first. `query` matches a fragment of the name (any case) or an exact partner id.",
    request: {
      query: z.object({
        query: z
          .string()
          .trim()
          .min(1)
          .max(200)
          .optional()
          .openapi({ param: { name: "query", in: "query" } }),
        status: z
          .enum(["active", "suspended", "offboarded"])
          .optional()
          .openapi({ param: { name: "status", in: "query" } }),
        environment: z
          .enum(["sandbox", "production"])
          .optional()
          .openapi({ param: { name: "environment", in: "query" } }),
        ...pageQuery,
      }),
    },
    responses: { 200: pageResponse(AdminPartnerSchema, "A page of partners") },
  },
);

const get = adminRoute(
  { role: "viewer", action: "partner.read" },
  {
    method: "get",
    path: "/admin/v1/partners/{id}",
    operationId: "adminGetPartner",
    tags: ["Partners"],
    summary: "A partner in full",
    description:
      "The partner, its contract, its credentials' metadata (never a secret or hash), what it has done so far and how many change requests wait for it.",
    request: { params: PartnerIdParam },
    responses: okResponse("The partner", AdminPartnerDetailSchema),
  },
);

const day = z.string().openapi({ format: "date" });
const count = z.number().int();
/** One group's figures, as GET /v1/usage defines them (docs/usage.md). */
const metrics = {
  calls: count,
  errors: count.openapi({ description: "Answers of 400 and above." }),
  errors_4xx: count,
  errors_5xx: count,
  error_rate: z.number().openapi({ description: "errors / calls, to four decimals; 0 without calls." }),
  p50_latency_ms: count.nullable().openapi({ description: "Nearest rank; null without calls." }),
  p99_latency_ms: count.nullable(),
  billable: count.openapi({
    description:
      "Calls metered for billing (docs/metering.md): answered calls, never refusals or idempotent replays.",
  }),
};

const PartnerUsageSchema = z
  .object({
    object: z.literal("partner_usage"),
    partner_id: z.string().openapi({ format: "uuid" }),
    from: day,
    to: day,
    granularity: z.enum(GRANULARITIES),
    product: z.string().nullable().openapi({ description: "The one product reported; null: every product." }),
    data: z
      .array(
        z.object({
          date: day,
          hour: z
            .string()
            .optional()
            .openapi({ format: "date-time", description: "Per hour: the hour's start." }),
          product: z.string(),
          ...metrics,
        }),
      )
      .openapi({ description: "Per UTC day (or hour) and product with calls, ascending." }),
    days: z
      .array(z.object({ date: day, ...metrics }))
      .openapi({ description: "Every day of the span; a day without calls as zeros." }),
    totals: z.object(metrics),
  })
  .openapi("AdminPartnerUsage");

const usage = adminRoute(
  { role: "viewer", action: "partner.usage" },
  {
    method: "get",
    path: "/admin/v1/partners/{id}/usage",
    operationId: "adminGetPartnerUsage",
    tags: ["Partners"],
    summary: "A partner's usage per day or hour",
    description: `What the partner reads with GET /v1/usage, from its request log and its metering: calls, errors (4xx and 5xx), error rate, p50/p99 latency and billable calls per UTC day (or hour, \`granularity=hour\`) and product, per day and in total; \`product\` keeps one product. \`from\` and \`to\` are included (default: the last ${ADMIN_USAGE_DAYS} days, at most 90; 31 per hour). Its limits are in its contract (GET /admin/v1/partners/{id}).`,
    request: {
      params: PartnerIdParam,
      query: z.object({
        from: z.iso
          .date()
          .optional()
          .openapi({ param: { name: "from", in: "query" } }),
        to: z.iso
          .date()
          .optional()
          .openapi({ param: { name: "to", in: "query" } }),
        granularity: z
          .enum(GRANULARITIES)
          .default("day")
          .openapi({ param: { name: "granularity", in: "query" } }),
        product: z
          .enum(LOG_PRODUCTS)
          .optional()
          .openapi({ param: { name: "product", in: "query" } }),
      }),
    },
    responses: okResponse("The partner's usage", PartnerUsageSchema),
  },
);

export function registerPartnerReads(t: AdminTarget) {
  serve(t, list, async (c) => {
    const q = c.req.valid("query");
    return ok(
      c,
      await listPartners(c.get("services").db, {
        ...pageOptions(q),
        ...(q.query !== undefined ? { query: q.query } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.environment !== undefined ? { environment: q.environment } : {}),
      }),
    );
  });
  serve(t, get, async (c) => {
    const { id } = c.req.valid("param");
    c.set("adminAudit", { partnerId: id });
    return ok(c, await partnerDetail(c.get("services").db, id));
  });
  serve(t, usage, async (c) => {
    const { id } = c.req.valid("param");
    c.set("adminAudit", { partnerId: id });
    return ok(c, await partnerUsage(c.get("services").db, id, c.req.valid("query")));
  });
}
