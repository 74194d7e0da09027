import { REPORT_COLUMNS, type ReportLine } from "../model";

/** A field as RFC 4180 writes it: quoted only when it must be. */
const field = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** A report's text from its lines (how a settlement source writes one): LF, a final newline. */
export function renderReport(provider: string, date: string, lines: Omit<ReportLine, "line">[]): string {
  const rows = lines.map((l) =>
    [
      provider,
      date,
      l.type,
      l.providerReference,
      l.paymentId,
      l.refundId ?? "",
      l.amount,
      l.currency,
      l.fee,
      l.net,
    ]
      .map(field)
      .join(","),
  );
  return `${[REPORT_COLUMNS.join(","), ...rows].join("\n")}\n`;
}
