import { z } from "@hono/zod-openapi";
import { ok } from "../../../platform/envelope";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import { searchAudit } from "../audit";
import { type AdminTarget, adminRoute, serve } from "./define";
import { AuditEntrySchema } from "./schema";

const route = adminRoute(
  { role: "viewer", action: "audit.search" },
  {
    method: "get",
    path: "/admin/v1/audit",
    operationId: "adminSearchAudit",
    tags: ["Audit"],
    summary: "Search the admin audit log",
    description:
      "Every admin call that passed authentication, refusals included, newest first. `from` is inclusive, `to` exclusive (ISO 8601).",
    request: {
      query: z.object({
        partner_id: z
          .uuid()
          .optional()
          .openapi({ param: { name: "partner_id", in: "query" } }),
        identity: z
          .string()
          .trim()
          .min(1)
          .max(254)
          .transform((s) => s.toLowerCase())
          .optional()
          .openapi({ param: { name: "identity", in: "query" } }),
        action: z
          .string()
          .regex(/^[a-z_.]{1,64}$/)
          .optional()
          .openapi({ param: { name: "action", in: "query" } }),
        from: z.iso
          .datetime()
          .optional()
          .openapi({ param: { name: "from", in: "query" } }),
        to: z.iso
          .datetime()
          .optional()
          .openapi({ param: { name: "to", in: "query" } }),
        ...pageQuery,
      }),
    },
    responses: { 200: pageResponse(AuditEntrySchema, "A page of audit entries") },
  },
);

const iso = (s: string) => new Date(s).toISOString();

export function registerAudit(t: AdminTarget) {
  serve(t, route, async (c) => {
    const q = c.req.valid("query");
    return ok(
      c,
      await searchAudit(c.get("services").db, {
        ...pageOptions(q),
        ...(q.partner_id !== undefined ? { partnerId: q.partner_id } : {}),
        ...(q.identity !== undefined ? { identity: q.identity } : {}),
        ...(q.action !== undefined ? { action: q.action } : {}),
        ...(q.from !== undefined ? { from: iso(q.from) } : {}),
        ...(q.to !== undefined ? { to: iso(q.to) } : {}),
      }),
    );
  });
}
