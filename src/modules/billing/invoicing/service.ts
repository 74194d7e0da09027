import { ApiError } from "../../../platform/errors";
import type { CloseDeps } from "./close";
import { ensurePdf } from "./pdf";
import { findInvoice, findPartnerInvoice, type InvoiceRow, invoicesOf, linesOf } from "./storage";
import { invoiceView, lineView } from "./view";

/** Reading invoices, for the partner (its own only: another's is 404) and the platform team. */

const notFound = () => new ApiError("not_found", { resource: "invoice" });

export async function listInvoices(
  deps: CloseDeps,
  partnerId: string,
  page: { startingAfter?: string; limit: number },
) {
  const rows = await invoicesOf(deps.db, partnerId, page);
  const livemode = deps.environment === "production";
  return {
    data: rows.slice(0, page.limit).map((r) => invoiceView(r, livemode)),
    has_more: rows.length > page.limit,
  };
}

/** The document by id; `partnerId` limits it to that partner's (undefined: the platform team's read). */
export async function documentOf(deps: CloseDeps, id: string, partnerId?: string): Promise<InvoiceRow> {
  const row = partnerId ? await findPartnerInvoice(deps.db, partnerId, id) : await findInvoice(deps.db, id);
  if (!row) throw notFound();
  return row;
}

export async function invoiceDetail(deps: CloseDeps, row: InvoiceRow) {
  const lines = await linesOf(deps.db, row.id);
  return { ...invoiceView(row, deps.environment === "production"), lines: lines.map(lineView) };
}

/** The PDF's bytes from R2, made first when a crash left it unmade. */
export async function invoicePdf(deps: CloseDeps, row: InvoiceRow): Promise<ArrayBuffer> {
  const key = await ensurePdf(deps, row);
  const object = key && deps.bucket ? await deps.bucket.get(key) : null;
  if (!object) throw new ApiError("invoice_pdf_unavailable", {}, { retryable: true });
  return object.arrayBuffer();
}

export const pdfHeaders = (row: InvoiceRow) => ({
  "Content-Type": "application/pdf",
  "Content-Disposition": `attachment; filename="${row.number}.pdf"`,
});
