import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { listAudit } from "../../risk/audit";
import { allEntries, getSettings } from "../../risk/lists";
import { listRules } from "../../risk/rules";
import { requirePartner } from "../partners";
import { type AdminTarget, adminRoute, serve } from "./define";
import { PartnerIdParam } from "./schema";

const Item = z.looseObject({ id: z.string() });

const AdminRiskSchema = z
  .object({
    partner_id: z.string().openapi({ format: "uuid" }),
    rules: z
      .array(Item)
      .openapi({ description: "As `GET /v1/risk/rules` answers them, in evaluation order." }),
    lists: z.array(Item).openapi({ description: "Every allow, block and watch list entry." }),
    settings: z.looseObject({ scoring_timeout_ms: z.number().int(), scoring_fallback: z.string() }),
    audit: z
      .array(Item)
      .openapi({ description: "The latest 50 changes, newest first, with before and after." }),
  })
  .openapi("AdminPartnerRisk");

const get = adminRoute(
  { role: "viewer", action: "partner.risk" },
  {
    method: "get",
    path: "/admin/v1/partners/{id}/risk",
    operationId: "adminGetPartnerRisk",
    tags: ["Partners"],
    summary: "A partner's risk rules, lists and their audit",
    description:
      "What the partner manages under /v1/risk (docs/risk.md): its rules in evaluation order, its list entries, its scoring settings and the latest changes to them. Read only.",
    request: { params: PartnerIdParam },
    responses: okResponse("The partner's risk configuration", AdminRiskSchema),
  },
);

export function registerAdminRisk(t: AdminTarget) {
  serve(t, get, async (c) => {
    const { id } = c.req.valid("param");
    c.set("adminAudit", { partnerId: id });
    const db = c.get("services").db;
    await requirePartner(db, id);
    const [rules, lists, settings, audit] = await Promise.all([
      listRules(db, id),
      allEntries(db, id),
      getSettings(db, id),
      listAudit(db, id, { limit: 50 }),
    ]);
    return ok(c, { partner_id: id, rules, lists, settings, audit: audit.data });
  });
}
