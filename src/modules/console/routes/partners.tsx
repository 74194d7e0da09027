/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../../../platform/errors";
import { type Flash, flashOf, statusOf } from "../../../platform/web/answer";
import type { SlaReport } from "../../billing/sla/report";
import { type AuditEntry, AuditPage } from "../pages/audit";
import {
  type PartnerDetail,
  PartnerPage,
  type PartnerSummary,
  PartnersPage,
  type PartnerUsage,
} from "../pages/partners";
import { asAdmin, type ConsoleContext, type ConsoleEnv, formOf, frameOf } from "./context";

/** The month before this one (UTC), `YYYY-MM`. */
const lastMonth = (now: Date) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);

/**
 * The partner's page: its detail, its last 30 days of usage, this month's and last month's
 * service levels and its audit trail, five admin API reads.
 */
async function partnerPage(c: ConsoleContext, id: string, flash?: Flash, code: ContentfulStatusCode = 200) {
  const at = `/admin/v1/partners/${encodeURIComponent(id)}`;
  const [partner, usage, slaNow, slaBefore, audit] = await Promise.all([
    asAdmin<PartnerDetail>(c, "GET", at),
    asAdmin<PartnerUsage>(c, "GET", `${at}/usage`),
    asAdmin<SlaReport>(c, "GET", `${at}/sla`),
    asAdmin<SlaReport>(c, "GET", `${at}/sla`, {
      query: new URLSearchParams({ month: lastMonth(new Date()) }),
    }),
    asAdmin<{ data: AuditEntry[] }>(c, "GET", "/admin/v1/audit", {
      query: new URLSearchParams({ partner_id: id, limit: "50" }),
    }),
  ]);
  if (!partner.result)
    throw new ApiError(partner.status === 404 ? "not_found" : "bad_request", { resource: `partner ${id}` });
  return c.html(
    <PartnerPage
      {...frameOf(c, partner.result.name)}
      partner={partner.result}
      usage={usage.result}
      sla={[slaNow.result, slaBefore.result].filter((m): m is SlaReport => m !== undefined)}
      audit={audit.result?.data ?? []}
      {...(flash ? { flash } : {})}
    />,
    code,
  );
}

export function registerPartners(app: Hono<ConsoleEnv>) {
  app.get("/", async (c) => {
    const query = (c.req.query("query") ?? "").trim();
    const status = c.req.query("status") ?? "";
    const q = new URLSearchParams({ limit: "100" });
    if (query) q.set("query", query);
    if (status) q.set("status", status);
    const listed = await asAdmin<{ data: PartnerSummary[] }>(c, "GET", "/admin/v1/partners", { query: q });
    return c.html(
      <PartnersPage
        {...frameOf(c, "Partners")}
        partners={listed.result?.data ?? []}
        query={query}
        status={status}
        {...(listed.error ? { flash: flashOf(listed, "") } : {})}
      />,
      statusOf(listed),
    );
  });

  app.get("/partners/:id", (c) => partnerPage(c, c.req.param("id")));

  for (const [action, done] of [
    ["suspend", "Suspended."],
    ["reactivate", "Reactivation proposed: a second approver approves it under Approvals."],
    ["offboard", "Offboarded."],
  ] as const) {
    app.post(`/partners/:id/${action}`, async (c) => {
      const id = c.req.param("id");
      const form = await formOf(c);
      const answer = await asAdmin(c, "POST", `/admin/v1/partners/${encodeURIComponent(id)}/${action}`, {
        params: { reason: (form.reason ?? "").trim() },
        idempotencyKey: form.idempotency_key,
      });
      return partnerPage(c, id, flashOf(answer, done), statusOf(answer));
    });
  }

  app.get("/audit", async (c) => {
    const listed = await asAdmin<{ data: AuditEntry[] }>(c, "GET", "/admin/v1/audit", {
      query: new URLSearchParams({ limit: "100" }),
    });
    return c.html(
      <AuditPage {...frameOf(c, "Admin audit log")} entries={listed.result?.data ?? []} />,
      statusOf(listed),
    );
  });
}
