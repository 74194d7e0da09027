import { isUuid } from "../../platform/lib/ids";
import { isCurrency, MAX_AMOUNT_MINOR } from "../../platform/lib/money";
import {
  LINE_TYPES,
  type LineType,
  netOf,
  type ParsedReport,
  REPORT_COLUMNS,
  type ReportLine,
} from "./model";

/** The largest report accepted: bytes of CSV and lines after the header. */
export const MAX_REPORT_BYTES = 512 * 1024;
export const MAX_REPORT_LINES = 5000;

export interface LineError {
  line: number;
  message: string;
}

export type ParseResult = { ok: true; report: ParsedReport } | { ok: false; errors: LineError[] };

interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records: comma-separated, CRLF or LF between records, fields in double quotes may
 * hold commas, line breaks and `""`. Each record keeps the line its first field starts on.
 */
export function csvRecords(text: string): { records: CsvRecord[]; error?: LineError } {
  const records: CsvRecord[] = [];
  let line = 1;
  let start = 1;
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field !== "" || wasQuoted)
        return { records, error: { line, message: "a quote inside an unquoted field" } };
      quoted = true;
      wasQuoted = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      wasQuoted = false;
    } else if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && text[i + 1] !== "\n")
        return { records, error: { line, message: "a bare carriage return" } };
      if (ch === "\r") i++;
      fields.push(field);
      records.push({ line: start, fields });
      fields = [];
      field = "";
      wasQuoted = false;
      line++;
      start = line;
    } else {
      if (wasQuoted) return { records, error: { line, message: "text after a closing quote" } };
      field += ch;
    }
  }
  if (quoted) return { records, error: { line: start, message: "a quoted field is never closed" } };
  if (field !== "" || wasQuoted || fields.length > 0) {
    fields.push(field);
    records.push({ line: start, fields });
  }
  return { records };
}

const PROVIDER = /^[a-z0-9_]{1,32}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INTEGER = /^(0|-?[1-9]\d*)$/;

export const isDate = (value: string) =>
  DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
export const isProvider = (value: string) => PROVIDER.test(value);

/** A whole number of minor units written plainly (no sign but `-`, no decimals, no exponent). */
function integerOf(value: string): number | undefined {
  if (!INTEGER.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && Math.abs(n) <= MAX_AMOUNT_MINOR ? n : undefined;
}

/** One record as a line, or why not. */
function lineOf(rec: CsvRecord): { line: ReportLine; provider: string; date: string } | string {
  if (rec.fields.length !== REPORT_COLUMNS.length)
    return `${rec.fields.length} fields, the header has ${REPORT_COLUMNS.length}`;
  const [provider, date, type, reference, paymentId, refundId, amount, currency, fee, net] = rec.fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!isProvider(provider)) return "provider: lower-case letters, digits and _, at most 32";
  if (!isDate(date)) return "settlement_date: a date YYYY-MM-DD";
  if (!(LINE_TYPES as readonly string[]).includes(type)) return `type: one of ${LINE_TYPES.join(", ")}`;
  if (reference === "" || reference.length > 128) return "provider_reference: 1 to 128 characters";
  if (!isUuid(paymentId)) return "payment_id: a payment id (UUID)";
  if (type === "refund" && !isUuid(refundId)) return "refund_id: a refund id (UUID) on a refund";
  if (type === "capture" && refundId !== "") return "refund_id: empty on a capture";
  const amountN = integerOf(amount);
  if (amountN === undefined || amountN <= 0) return "amount: a positive integer in minor units";
  if (!isCurrency(currency)) return "currency: an ISO 4217 code";
  const feeN = integerOf(fee);
  if (feeN === undefined || feeN < 0) return "fee: a non-negative integer in minor units";
  const netN = integerOf(net);
  if (netN === undefined) return "net: an integer in minor units";
  const lineType = type as LineType;
  const expected = netOf(lineType, amountN, feeN);
  if (netN !== expected) return `net: ${netN} is not ${expected} (amount and fee)`;
  return {
    provider,
    date,
    line: {
      line: rec.line,
      type: lineType,
      providerReference: reference,
      paymentId: paymentId.toLowerCase(),
      refundId: type === "refund" ? refundId.toLowerCase() : null,
      amount: amountN,
      currency,
      fee: feeN,
      net: netN,
    },
  };
}

/**
 * A settlement report, strictly: the exact header, every line valid, one provider and one day
 * (those of `expect` when given), no movement twice. Any error refuses the whole report; up to
 * 20 errors are answered, each with its line.
 */
export function parseReport(
  text: string,
  expect: { provider?: string; settlementDate?: string },
): ParseResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const { records, error } = csvRecords(body);
  if (error) return { ok: false, errors: [error] };
  const [header, ...rows] = records;
  if (!header || header.fields.join(",") !== REPORT_COLUMNS.join(","))
    return { ok: false, errors: [{ line: 1, message: `the header must be ${REPORT_COLUMNS.join(",")}` }] };
  if (rows.length > MAX_REPORT_LINES)
    return { ok: false, errors: [{ line: 1, message: `more than ${MAX_REPORT_LINES} lines` }] };
  const errors: LineError[] = [];
  const lines: ReportLine[] = [];
  const seen = new Map<string, number>();
  let provider = expect.provider;
  let date = expect.settlementDate;
  for (const rec of rows) {
    if (errors.length >= 20) break;
    if (rec.fields.length === 1 && rec.fields[0] === "") {
      errors.push({ line: rec.line, message: "an empty line" });
      continue;
    }
    const parsed = lineOf(rec);
    if (typeof parsed === "string") {
      errors.push({ line: rec.line, message: parsed });
      continue;
    }
    provider ??= parsed.provider;
    date ??= parsed.date;
    if (parsed.provider !== provider) errors.push({ line: rec.line, message: `provider: not ${provider}` });
    else if (parsed.date !== date) errors.push({ line: rec.line, message: `settlement_date: not ${date}` });
    else {
      const key = `${parsed.line.type}:${parsed.line.refundId ?? parsed.line.paymentId}`;
      const first = seen.get(key);
      if (first !== undefined)
        errors.push({ line: rec.line, message: `the same ${parsed.line.type} as line ${first}` });
      else {
        seen.set(key, rec.line);
        lines.push(parsed.line);
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  if (provider === undefined || date === undefined)
    return { ok: false, errors: [{ line: 1, message: "no lines: give provider and settlement_date" }] };
  return { ok: true, report: { provider, settlementDate: date, lines } };
}
