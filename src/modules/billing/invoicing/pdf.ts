import { PDFDocument, StandardFonts } from "pdf-lib";
import type { Db } from "../../../platform/db/client";
import type { Logger } from "../../../platform/lib/logger";
import { moneyOf } from "../wording";
import { type InvoiceRow, linesOf, setPdfKey } from "./storage";

/**
 * Invoice PDFs (docs/invoices.md): made with pdf-lib (pure JS, runs in Workers) after the issue's
 * batch and kept in R2 (`INVOICES`) under one key per document. A document whose PDF is missing
 * (a crash after its batch) is made again by the next close or by the first download.
 */

export const pdfKeyOf = (row: Pick<InvoiceRow, "partnerId" | "id">) =>
  `invoices/${row.partnerId}/${row.id}.pdf`;

/** The standard fonts speak WinAnsi only: anything else is shown as `?`, never a failed PDF. */
const plain = (text: string) => text.replace(/[^\x20-\x7e]/g, "?");

/** The document as a PDF: header, period, one row per line, subtotal, credits, tax, total. */
export async function renderPdf(db: Db, row: InvoiceRow): Promise<Uint8Array> {
  const lines = await linesOf(db, row.id);
  const pdf = await PDFDocument.create();
  const title = row.kind === "credit_note" ? "Credit note" : "Invoice";
  pdf.setTitle(`${title} ${row.number}`);
  pdf.setSubject(row.number);
  pdf.setProducer("Portico");
  pdf.setCreationDate(new Date(row.issuedAt));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page = pdf.addPage([595, 842]);
  let y = 800;
  const write = (text: string, x: number, size = 10, f = font) => {
    page.drawText(plain(text), { x, y, size, font: f });
  };
  const down = (by = 16) => {
    y -= by;
    if (y < 60) {
      page = pdf.addPage([595, 842]);
      y = 800;
    }
  };
  write(`${title} ${row.number}`, 50, 18, bold);
  down(28);
  write(`Partner ${row.partnerId}`, 50);
  down();
  write(`Period ${row.periodStart} to ${row.periodEnd} (end exclusive), plan version ${row.planVersion}`, 50);
  down();
  write(`Issued ${row.issuedAt}${row.creditNoteFor ? `, correcting invoice ${row.creditNoteFor}` : ""}`, 50);
  down(28);
  for (const l of lines) {
    write(l.description.slice(0, 70), 50, 9);
    write(`${l.quantity} x ${l.unitPriceMinor}/${l.unitPricePer}`, 380, 9);
    write(moneyOf(l.amount, row.currency), 470, 9);
    down(14);
  }
  down(14);
  for (const [label, value] of [
    ["Subtotal", row.subtotal],
    ["Credits", -row.credited],
    [`Tax (${row.taxBps} bps)`, row.tax],
    ["Total", row.total],
  ] as const) {
    write(label, 380, 10, label === "Total" ? bold : font);
    write(moneyOf(value, row.currency), 470, 10, label === "Total" ? bold : font);
    down();
  }
  return pdf.save();
}

/** Makes and stores the PDF when the document has none yet; a failure is logged, the next run retries. */
export async function ensurePdf(
  deps: { db: Db; bucket?: R2Bucket; log: Pick<Logger, "warn"> },
  row: InvoiceRow,
): Promise<string | undefined> {
  if (row.pdfKey) return row.pdfKey;
  if (!deps.bucket) return undefined;
  const key = pdfKeyOf(row);
  try {
    const bytes = await renderPdf(deps.db, row);
    await deps.bucket.put(key, bytes, { httpMetadata: { contentType: "application/pdf" } });
    await setPdfKey(deps.db, row.id, key);
    return key;
  } catch (err) {
    deps.log.warn("invoice pdf not made", {
      invoice_id: row.id,
      error: err instanceof Error ? err.name : "unknown",
    });
    return undefined;
  }
}
