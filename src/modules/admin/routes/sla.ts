import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { slaMonth, slaReport } from "../../billing/sla/report";
import { SlaMonthQuery, SlaSchema } from "../../billing/sla/schema";
import { requirePartner } from "../partners";
import { type AdminTarget, adminRoute, serve } from "./define";
import { PartnerIdParam } from "./schema";

const AdminSlaSchema = SlaSchema.extend({ partner_id: z.string().openapi({ format: "uuid" }) }).openapi(
  "AdminPartnerSla",
);

const get = adminRoute(
  { role: "viewer", action: "partner.sla" },
  {
    method: "get",
    path: "/admin/v1/partners/{id}/sla",
    operationId: "adminGetPartnerSla",
    tags: ["Partners"],
    summary: "A partner's service levels for a month",
    description:
      "What the partner reads with GET /v1/sla: its tier's targets, the month's measurement from its request log, met or missed and the credit earned (docs/sla.md). `month` is `YYYY-MM` (default this month; a later month is refused, code 4).",
    request: { params: PartnerIdParam, query: SlaMonthQuery },
    responses: okResponse("The partner's service levels", AdminSlaSchema),
  },
);

export function registerAdminSla(t: AdminTarget) {
  serve(t, get, async (c) => {
    const { id } = c.req.valid("param");
    c.set("adminAudit", { partnerId: id });
    const now = Date.now();
    const db = c.get("services").db;
    const month = slaMonth(c.req.valid("query").month, now);
    const { contract } = await requirePartner(db, id);
    return ok(c, { partner_id: id, ...(await slaReport(db, id, contract.tier, month, now)) });
  });
}
