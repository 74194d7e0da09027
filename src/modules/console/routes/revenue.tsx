/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { flashOf, refusalText, statusOf } from "../../../platform/web/answer";
import { addMonths, formatDate } from "../../billing/calendar";
import type { RevenueMonth } from "../../billing/invoicing/revenue";
import type { InvoiceView } from "../../billing/invoicing/view";
import { fetchAdmin } from "../admin-call";
import type { PartnerSummary } from "../pages/partners";
import { type RevenueFilter, RevenuePage, RevenueRefusedPage } from "../pages/revenue";
import { asAdmin, type ConsoleContext, type ConsoleEnv, frameOf } from "./context";

/** The months of the last year, this one included (UTC), as the filter starts. */
function lastYear(now: Date): { from: string; to: string } {
  const here = { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: 1 };
  return { from: formatDate(addMonths(here, -11)).slice(0, 7), to: formatDate(here).slice(0, 7) };
}

/** The GET form's filter as typed: the admin API checks it (a bad month or range is its 400). */
function filterOf(c: ConsoleContext): RevenueFilter {
  const year = lastYear(new Date());
  return {
    from: c.req.query("from")?.trim() || year.from,
    to: c.req.query("to")?.trim() || year.to,
    partner_id: c.req.query("partner_id")?.trim() ?? "",
  };
}

export function registerRevenue(app: Hono<ConsoleEnv>) {
  // The revenue view (GET /admin/v1/revenue) and, for one partner, its documents with their PDFs.
  app.get("/revenue", async (c) => {
    const filter = filterOf(c);
    const query = new URLSearchParams({ from: filter.from, to: filter.to });
    if (filter.partner_id) query.set("partner_id", filter.partner_id);
    const [report, partners, documents] = await Promise.all([
      asAdmin<{ data: RevenueMonth[] }>(c, "GET", "/admin/v1/revenue", { query }),
      // The partners' names, the newest 100: another one is shown by its ID.
      asAdmin<{ data: PartnerSummary[] }>(c, "GET", "/admin/v1/partners", {
        query: new URLSearchParams({ limit: "100" }),
      }),
      filter.partner_id
        ? asAdmin<{ data: InvoiceView[]; has_more: boolean }>(
            c,
            "GET",
            `/admin/v1/partners/${encodeURIComponent(filter.partner_id)}/invoices`,
            { query: new URLSearchParams({ limit: "100" }) },
          )
        : undefined,
    ]);
    return c.html(
      <RevenuePage
        {...frameOf(c, "Revenue")}
        filter={filter}
        months={report.result?.data}
        names={new Map((partners.result?.data ?? []).map((p) => [p.id, p.name]))}
        {...(documents?.result ? { documents: documents.result } : {})}
        {...(report.error ? { flash: flashOf(report, "") } : {})}
      />,
      statusOf(report),
    );
  });

  // The document's PDF as the admin API streams it (GET /admin/v1/invoices/{id}/pdf, audited there).
  app.get("/invoices/:id/pdf", async (c) => {
    const id = c.req.param("id");
    const res = await fetchAdmin(
      c,
      c.get("console").assertion,
      `/admin/v1/invoices/${encodeURIComponent(id)}/pdf`,
    );
    if (!res.ok) {
      const error = await res
        .json<{ error?: { code: number; message: string } }>()
        .then((b) => b.error)
        .catch(() => undefined);
      const text = error ? refusalText(error) : `HTTP ${res.status}`;
      return c.html(
        <RevenueRefusedPage {...frameOf(c, "Invoice PDF")} flash={{ kind: "error", text }} />,
        res.status as ContentfulStatusCode,
      );
    }
    const headers = new Headers({ "Content-Type": "application/pdf" });
    for (const name of ["Content-Length", "Content-Disposition"]) {
      const value = res.headers.get(name);
      if (value) headers.set(name, value);
    }
    return new Response(res.body, { status: 200, headers });
  });
}
