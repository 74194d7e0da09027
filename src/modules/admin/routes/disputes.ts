import { z } from "@hono/zod-openapi";
import { ok } from "../../../platform/envelope";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import { DISPUTE_STATUSES } from "../../disputes/model";
import { DisputeSchema } from "../../disputes/schemas/dispute";
import { listAllDisputes } from "../../disputes/service";
import { type AdminTarget, adminRoute, serve } from "./define";

const AdminDisputeSchema = DisputeSchema.extend({
  partner_id: z.string().openapi({ format: "uuid" }),
}).openapi("AdminDispute");

const list = adminRoute(
  { role: "viewer", action: "disputes.list" },
  {
    method: "get",
    path: "/admin/v1/disputes",
    operationId: "adminListDisputes",
    tags: ["Partners"],
    summary: "Every partner's disputes",
    description:
      "Newest first, each with its partner, paged as every list. Filter by `status` (e.g. `needs_response` for those still waiting) or `partner_id` (docs/disputes.md).",
    request: {
      query: z.object({
        status: z
          .enum(DISPUTE_STATUSES)
          .optional()
          .openapi({ param: { name: "status", in: "query" } }),
        partner_id: z
          .uuid()
          .optional()
          .openapi({ param: { name: "partner_id", in: "query" } }),
        ...pageQuery,
      }),
    },
    responses: { 200: pageResponse(AdminDisputeSchema, "A page of disputes") },
  },
);

export function registerDisputeAdmin(t: AdminTarget) {
  serve(t, list, async (c) => {
    const q = c.req.valid("query");
    const page = await listAllDisputes(c.get("services").db, {
      ...pageOptions(q),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(q.partner_id !== undefined ? { partnerId: q.partner_id } : {}),
    });
    return ok(c, page);
  });
}
