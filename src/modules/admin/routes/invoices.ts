import { z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { ApiError } from "../../../platform/errors";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import { depsOf } from "../../billing/invoicing/deps";
import { issueCreditNote, payInvoice } from "../../billing/invoicing/documents";
import { MAX_REVENUE_MONTHS, monthRange, revenueView } from "../../billing/invoicing/revenue";
import {
  InvoiceDetailSchema,
  InvoiceIdParam,
  InvoiceSchema,
  PDF_RESPONSE,
} from "../../billing/invoicing/schemas";
import {
  documentOf,
  invoiceDetail,
  invoicePdf,
  listInvoices,
  pdfHeaders,
} from "../../billing/invoicing/service";
import { invoiceView } from "../../billing/invoicing/view";
import { json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { PartnerIdParam, Reason } from "./schema";

const TAGS = ["Invoices"];
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month YYYY-MM");

const list = adminRoute(
  { role: "viewer", action: "invoices.list" },
  {
    method: "get",
    path: "/admin/v1/partners/{id}/invoices",
    operationId: "adminListInvoices",
    tags: TAGS,
    summary: "A partner's invoices and credit notes",
    description:
      "Newest first, paged as every list. A partner unknown or without documents has an empty list.",
    request: { params: PartnerIdParam, query: z.object(pageQuery) },
    responses: { 200: pageResponse(InvoiceSchema, "A page of the partner's documents") },
  },
);

const get = adminRoute(
  { role: "viewer", action: "invoice.read" },
  {
    method: "get",
    path: "/admin/v1/invoices/{id}",
    operationId: "adminGetInvoice",
    tags: TAGS,
    summary: "One invoice or credit note with its lines",
    request: { params: InvoiceIdParam },
    responses: okResponse("The document and its lines", InvoiceDetailSchema),
  },
);

const pdf = adminRoute(
  { role: "viewer", action: "invoice.pdf", errors: ["invoice_pdf_unavailable"] },
  {
    method: "get",
    path: "/admin/v1/invoices/{id}/pdf",
    operationId: "adminGetInvoicePdf",
    tags: TAGS,
    summary: "One invoice or credit note as a PDF",
    request: { params: InvoiceIdParam },
    responses: PDF_RESPONSE,
  },
);

const PaymentRequest = envelopeRequest(z.strictObject({ reason: Reason })).openapi(
  "AdminInvoicePaymentRequest",
);

const pay = adminRoute(
  { role: "operator", action: "invoice.pay", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/admin/v1/invoices/{id}/payments",
    operationId: "adminPayInvoice",
    tags: TAGS,
    summary: "Record an invoice paid from outside",
    description:
      "A payment received outside the platform (a bank transfer): bank clearing is debited and the partner's receivable credited, the invoice becomes `paid` and `invoice.paid` is sent. Paying an invoice that is paid already is 409, code 60. Audited.",
    request: { params: InvoiceIdParam, ...json(PaymentRequest) },
    responses: okResponse("The invoice, paid", InvoiceSchema),
  },
);

const CreditNoteRequest = envelopeRequest(
  z.strictObject({
    amount_minor: z.number().int().min(1).openapi({
      description: "What to credit before tax, in minor units; the invoice's tax rate is added.",
    }),
    reason: Reason,
  }),
).openapi("AdminCreditNoteRequest");

const creditNote = adminRoute(
  { role: "operator", action: "invoice.credit_note", errors: ["credit_note_exceeds"] },
  {
    method: "post",
    path: "/admin/v1/invoices/{id}/credit_notes",
    operationId: "adminCreateCreditNote",
    tags: TAGS,
    summary: "Correct an invoice with a credit note",
    description:
      "A new document `CN-<YYYY>-<000001>` (its own gapless series) referencing the invoice, for `amount_minor` plus the invoice's tax on it, posted as the reverse of the issue. Never more than the invoice still has uncredited (409, code 172). The invoice itself never changes. Audited.",
    request: { params: InvoiceIdParam, ...json(CreditNoteRequest) },
    responses: okResponse("The credit note", InvoiceSchema, 201),
  },
);

const RevenueMonthSchema = z
  .object({
    partner_id: z.string().openapi({ format: "uuid" }),
    month: z
      .string()
      .openapi({ example: "2026-11", description: "The month the invoiced periods start in." }),
    currency: z.string(),
    lines: z.array(z.object({ product: z.string(), amount_minor: z.number().int() })).openapi({
      description:
        "Invoiced before tax per product (`payments`…), and as rows of their own `fees` (setup and recurring), `revenue_share` (with the fees per transaction), `minimum_commitment` and `credits` (negative).",
    }),
    invoices: z.number().int(),
    subtotal_minor: z.number().int(),
    tax_minor: z.number().int(),
    total_minor: z.number().int(),
    credit_notes_minor: z.number().int(),
    paid_minor: z.number().int(),
    outstanding_minor: z.number().int(),
    status: z.enum(["paid", "outstanding"]),
  })
  .openapi("AdminRevenueMonth");

const revenue = adminRoute(
  { role: "viewer", action: "revenue.read", errors: ["revenue_range_invalid"] },
  {
    method: "get",
    path: "/admin/v1/revenue",
    operationId: "adminRevenue",
    tags: TAGS,
    summary: "Revenue per partner, product and month, and its collection",
    description: `What the invoices of the months \`from\` to \`to\` (inclusive, at most ${MAX_REVENUE_MONTHS}) billed, per partner, month and currency, with the credit notes against them and how much is paid and outstanding.`,
    request: {
      query: z.object({
        from: month.openapi({ param: { name: "from", in: "query" }, example: "2026-01" }),
        to: month.openapi({ param: { name: "to", in: "query" }, example: "2026-12" }),
        partner_id: z
          .uuid()
          .optional()
          .openapi({ param: { name: "partner_id", in: "query" } }),
      }),
    },
    responses: okResponse(
      "One row per partner, month and currency",
      z.object({ data: z.array(RevenueMonthSchema) }),
    ),
  },
);

export function registerInvoiceAdmin(t: AdminTarget) {
  serve(t, list, async (c) => {
    c.set("adminAudit", { partnerId: c.req.valid("param").id });
    return ok(c, await listInvoices(depsOf(c), c.req.valid("param").id, pageOptions(c.req.valid("query"))));
  });
  serve(t, get, async (c) => {
    const deps = depsOf(c);
    return ok(c, await invoiceDetail(deps, await documentOf(deps, c.req.valid("param").id)));
  });
  serve(t, pdf, async (c) => {
    const deps = depsOf(c);
    const row = await documentOf(deps, c.req.valid("param").id);
    return c.body(await invoicePdf(deps, row), 200, pdfHeaders(row)) as never;
  });
  serve(t, pay, async (c) => {
    const deps = depsOf(c);
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json").params;
    const { before, after } = await payInvoice(deps, id);
    const livemode = deps.environment === "production";
    c.set("adminAudit", {
      target: id,
      partnerId: after.partnerId,
      before: { status: before.status },
      after: { status: after.status, paid_at: after.paidAt },
      reason,
    });
    return ok(c, invoiceView(after, livemode));
  });
  serve(t, creditNote, async (c) => {
    const deps = depsOf(c);
    const { id } = c.req.valid("param");
    const { amount_minor, reason } = c.req.valid("json").params;
    const note = await issueCreditNote(deps, id, { amount_minor, reason });
    c.set("adminAudit", {
      target: id,
      partnerId: note.partnerId,
      after: { credit_note: note.id, number: note.number, total: note.total },
      reason,
    });
    return ok(c, invoiceView(note, deps.environment === "production"), 201);
  });
  serve(t, revenue, async (c) => {
    const { from, to, partner_id } = c.req.valid("query");
    const { months } = monthRange(from, to);
    if (months < 1 || months > MAX_REVENUE_MONTHS)
      throw new ApiError("revenue_range_invalid", { from, to, max: MAX_REVENUE_MONTHS });
    return ok(c, { data: await revenueView(c.get("services").db, from, to, partner_id) });
  });
}
