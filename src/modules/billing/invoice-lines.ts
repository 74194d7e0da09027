import { callLines } from "./call-lines";
import { type Credit, creditLines } from "./credits";
import { type InvoiceLine, type LineKind, line, sumLines } from "./invoice-line";
import { type BillingPeriod, isProrated } from "./period";
import type { PeriodUsage } from "./period-usage";
import type { RatePlan } from "./plan";
import { amountOf, type Price, roundHalfEven, toSafeNumber } from "./price";
import { paymentLines } from "./revenue-share";
import { lastDay, money } from "./wording";

/**
 * A period's invoice from a plan and what was used (docs/billing.md): the lines, each
 * `quantity × unit_price` exact and rounded half to even once, the subtotal, credits, tax and
 * total. Pure: the caller brings the usage, the payment volume, the credits and the tax rate;
 * nothing here reads a clock or a database.
 */

/** What the minimum commitment is measured against: the charges that follow from use. */
const USAGE_KINDS: readonly LineKind[] = ["usage", "revenue_share", "transaction_fee"];

export interface InvoiceInput {
  plan: RatePlan;
  period: BillingPeriod;
  usage?: PeriodUsage;
  /** Applied in order, each as far as the subtotal still allows. */
  credits?: readonly Credit[];
  /** The contract's tax rate in basis points, on the subtotal net of credits. */
  tax_bps?: number;
}

export interface InvoiceDraft {
  currency: RatePlan["currency"];
  plan_version: number;
  period: { index: number; start: string; end: string };
  lines: InvoiceLine[];
  /** The charges: every line but the credits. */
  subtotal: number;
  /** The credits applied (positive): at most the subtotal. */
  credited: number;
  /** `subtotal − credited`: what the tax is on. */
  taxable: number;
  tax_bps: number;
  /** `taxable × tax_bps / 10 000`, rounded half to even. */
  tax: number;
  /** `taxable + tax`: never negative. */
  total: number;
  /** What of the credits the subtotal could not take, for a later period. */
  unapplied_credits: Credit[];
  /** Refunds beyond the period's captures: the revenue share's volume stops at zero. */
  unapplied_refunds_minor: number;
}

/** The fee of a period: whole, or `days / days_in_period` of it when the period is a part. */
export function periodFee(fee: number, period: BillingPeriod): { quantity: number; unit_price: Price } {
  return !isProrated(period)
    ? { quantity: 1, unit_price: { minor: fee, per: 1 } }
    : { quantity: period.days, unit_price: { minor: fee, per: period.days_in_period } };
}

/** The recurring fee a period's invoice charges, prorated on a part period: what SLA credits are a share of. */
export function recurringFeeOf(plan: RatePlan, period: BillingPeriod): number {
  if (!plan.recurring_fee_minor) return 0;
  const { quantity, unit_price } = periodFee(plan.recurring_fee_minor, period);
  return amountOf(quantity, unit_price);
}

/** The setup fee (first period only) and the recurring fee, prorated on a part period. */
function feeLines(plan: RatePlan, period: BillingPeriod): InvoiceLine[] {
  const lines: InvoiceLine[] = [];
  if (period.index === 0 && plan.setup_fee_minor)
    lines.push(line("setup_fee", "Setup fee", 1, { minor: plan.setup_fee_minor, per: 1 }));
  if (plan.recurring_fee_minor) {
    const { quantity, unit_price } = periodFee(plan.recurring_fee_minor, period);
    const part = isProrated(period) ? `, ${period.days} of ${period.days_in_period} days` : "";
    const span = `${period.start} to ${lastDay(period.end)}`;
    lines.push(line("recurring_fee", `Recurring fee, ${span}${part}`, quantity, unit_price));
  }
  return lines;
}

/** The true-up to the period's commitment (prorated like the fee) when the usage charges fall short. */
function commitmentLines(plan: RatePlan, period: BillingPeriod, charges: InvoiceLine[]): InvoiceLine[] {
  if (!plan.minimum_commitment_minor) return [];
  const { quantity, unit_price } = periodFee(plan.minimum_commitment_minor, period);
  const due = BigInt(amountOf(quantity, unit_price));
  const used = sumLines(charges.filter((l) => USAGE_KINDS.includes(l.kind)));
  if (used >= due) return [];
  const c = plan.currency;
  const what = `${money(Number(due), c)} committed, ${money(Number(used), c)} used`;
  const short = toSafeNumber(due - used);
  return [line("minimum_commitment", `Minimum commitment true-up: ${what}`, 1, { minor: short, per: 1 })];
}

/** The invoice of one period: its lines, subtotal, credits, tax and total. */
export function invoiceLines(input: InvoiceInput): InvoiceDraft {
  const { plan, period, usage = {}, credits = [] } = input;
  const taxBps = input.tax_bps ?? 0;
  if (period.interval !== plan.period)
    throw new RangeError(`a ${plan.period} plan bills ${plan.period}ly periods`);
  if (!Number.isSafeInteger(taxBps) || taxBps < 0 || taxBps > 10_000)
    throw new RangeError("tax_bps is 0–10000");
  const payments = paymentLines(plan, usage);
  const charges = [...feeLines(plan, period), ...callLines(plan, usage.calls), ...payments.lines];
  charges.push(...commitmentLines(plan, period, charges));
  const subtotal = sumLines(charges);
  const applied = creditLines(credits, subtotal);
  const credited = -sumLines(applied.lines);
  const taxable = subtotal - credited;
  const tax = roundHalfEven(taxable * BigInt(taxBps), 10_000n);
  return {
    currency: plan.currency,
    plan_version: plan.version,
    period: { index: period.index, start: period.start, end: period.end },
    lines: [...charges, ...applied.lines],
    subtotal: toSafeNumber(subtotal),
    credited: toSafeNumber(credited),
    taxable: toSafeNumber(taxable),
    tax_bps: taxBps,
    tax: toSafeNumber(tax),
    total: toSafeNumber(taxable + tax),
    unapplied_credits: applied.unapplied,
    unapplied_refunds_minor: payments.unappliedRefunds,
  };
}
