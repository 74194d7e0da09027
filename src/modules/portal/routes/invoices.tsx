/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type Flash, flashOf, refusalText, statusOf } from "../../../platform/web/answer";
import type { InvoiceView } from "../../billing/invoicing/view";
import { callApi, fetchApi } from "../api";
import { type InvoiceDetail, InvoicePage, InvoicesPage } from "../pages/invoices";
import { frameOf, type PortalContext, type PortalEnv, requireSession } from "./context";

const pathOf = (id: string) => `/v1/invoices/${encodeURIComponent(id)}`;

/** The list without its rows, with the refusal: what an unknown (or another partner's) document shows. */
const refused = (c: PortalContext, flash: Flash, code: ContentfulStatusCode) =>
  c.html(<InvoicesPage {...frameOf(c, "Invoices")} invoices={undefined} flash={flash} />, code);

export function registerInvoices(portal: Hono<PortalEnv>) {
  portal.get("/invoices", requireSession(), async (c) => {
    const query = new URLSearchParams({ limit: "20" });
    const after = c.req.query("starting_after");
    if (after) query.set("starting_after", after);
    const answer = await callApi<{ data: InvoiceView[]; has_more: boolean }>(
      c,
      c.get("session"),
      "GET",
      "/v1/invoices",
      { query },
    );
    const last = answer.result?.data.at(-1);
    return c.html(
      <InvoicesPage
        {...frameOf(c, "Invoices")}
        invoices={answer.result?.data}
        {...(answer.result?.has_more && last ? { next: last.id } : {})}
        {...(answer.error ? { flash: flashOf(answer, "") } : {})}
      />,
      statusOf(answer),
    );
  });

  portal.get("/invoices/:id", requireSession(), async (c) => {
    const answer = await callApi<InvoiceDetail>(c, c.get("session"), "GET", pathOf(c.req.param("id")));
    if (!answer.result) return refused(c, flashOf(answer, ""), statusOf(answer));
    const i = answer.result;
    return c.html(
      <InvoicePage
        {...frameOf(c, `${i.object === "credit_note" ? "Credit note" : "Invoice"} ${i.number}`)}
        invoice={i}
      />,
    );
  });

  // The PDF's bytes as the API answers them, with its type and file name.
  portal.get("/invoices/:id/pdf", requireSession(), async (c) => {
    const res = await fetchApi(c, c.get("session"), `${pathOf(c.req.param("id"))}/pdf`);
    if (!res.ok) {
      const error = await res
        .json<{ error?: { code: number; message: string } }>()
        .then((b) => b.error)
        .catch(() => undefined);
      const text = error ? refusalText(error) : `HTTP ${res.status}`;
      return refused(c, { kind: "error", text }, statusOf(res));
    }
    const headers = new Headers({ "Content-Type": "application/pdf" });
    for (const name of ["Content-Length", "Content-Disposition", "X-Content-Type-Options"]) {
      const value = res.headers.get(name);
      if (value) headers.set(name, value);
    }
    if (!headers.has("Content-Disposition")) headers.set("Content-Disposition", "attachment");
    return new Response(res.body, { status: 200, headers });
  });
}
