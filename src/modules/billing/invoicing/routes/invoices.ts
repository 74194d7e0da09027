import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../../platform/envelope";
import { v1Route } from "../../../../platform/http/define";
import { pageOptions, pageResponse } from "../../../../platform/http/pagination";
import type { AppEnv } from "../../../../platform/types";
import { depsOf } from "../deps";
import {
  InvoiceDetailSchema,
  InvoiceIdParam,
  InvoiceSchema,
  ListInvoicesQuery,
  PDF_RESPONSE,
} from "../schemas";
import { documentOf, invoiceDetail, invoicePdf, listInvoices, pdfHeaders } from "../service";

// Invoices are the partner's account with the bank, like its usage: read with `usage:read`.
const read = { product: null, scope: "usage:read" } as const;

const list = v1Route(read, {
  method: "get",
  path: "/v1/invoices",
  operationId: "listInvoices",
  tags: ["Invoices"],
  summary: "Your invoices and credit notes",
  description:
    "Newest first. An invoice is issued when a billing period closes (two hours after its end, or at once when the sandbox's test clock passes it); a credit note corrects one. Issued documents never change, except for being paid.",
  request: { query: ListInvoicesQuery },
  responses: { 200: pageResponse(InvoiceSchema, "A page of invoices and credit notes") },
});

const get = v1Route(read, {
  method: "get",
  path: "/v1/invoices/{id}",
  operationId: "getInvoice",
  tags: ["Invoices"],
  summary: "One invoice or credit note with its lines",
  description:
    "The document and its lines, each `quantity × unit_price` rounded half to even once (docs/billing.md). Another partner's document is 404.",
  request: { params: InvoiceIdParam },
  responses: okResponse("The document and its lines", InvoiceDetailSchema),
});

const pdf = v1Route(
  { ...read, errors: ["invoice_pdf_unavailable"] },
  {
    method: "get",
    path: "/v1/invoices/{id}/pdf",
    operationId: "getInvoicePdf",
    tags: ["Invoices"],
    summary: "One invoice or credit note as a PDF",
    description: "The document as issued, `application/pdf`. Errors answer the JSON envelope.",
    request: { params: InvoiceIdParam },
    responses: PDF_RESPONSE,
  },
);

export function registerInvoiceRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    return ok(c, await listInvoices(depsOf(c), c.get("partner").id, pageOptions(c.req.valid("query"))));
  });
  app.openapi(get, async (c) => {
    const deps = depsOf(c);
    return ok(
      c,
      await invoiceDetail(deps, await documentOf(deps, c.req.valid("param").id, c.get("partner").id)),
    );
  });
  app.openapi(pdf, async (c) => {
    const deps = depsOf(c);
    const row = await documentOf(deps, c.req.valid("param").id, c.get("partner").id);
    return c.body(await invoicePdf(deps, row), 200, pdfHeaders(row)) as never;
  });
}
