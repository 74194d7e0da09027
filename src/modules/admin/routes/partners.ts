import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import { listPartners, partnerDetail } from "../partners";
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
}
