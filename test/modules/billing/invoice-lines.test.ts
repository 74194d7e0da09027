import { describe, expect, it } from "vitest";
import { LINE_KINDS } from "../../../src/modules/billing/invoice-line";
import { type InvoiceInput, invoiceLines } from "../../../src/modules/billing/invoice-lines";
import { type BillingSchedule, firstPeriod, periodAt } from "../../../src/modules/billing/period";
import { roundHalfEven } from "../../../src/modules/billing/price";
import { EXAMPLE, planOf, seeded } from "./support";

const CALENDAR: BillingSchedule = { interval: "month", anchor: "2026-01-01", starts_on: "2026-03-17" };
const FIRST = firstPeriod(CALENDAR); // 2026-03-17 to 03-31: 15 of 31 days
const SECOND = periodAt(CALENDAR, 1); // April, whole
const amounts = (input: InvoiceInput) => invoiceLines(input).lines.map((l) => [l.kind, l.amount]);

describe("invoice lines: the documented example", () => {
  it("prices the first period of docs/billing.md to the minor unit", () => {
    const invoice = invoiceLines({
      plan: planOf(EXAMPLE),
      period: FIRST,
      usage: {
        calls: { payments: 130_000, kyc: 1_700, fx: 40 },
        captured_minor: 25_000_000,
        refunded_minor: 1_234_567,
        transactions: 4_321,
      },
      credits: [{ description: "Service credit: February availability", amount_minor: 5_000 }],
      tax_bps: 1200,
    });
    // The table of docs/billing.md, row for row: kind, product, band, quantity, unit price, amount.
    const row = (l: (typeof invoice.lines)[number]) => [
      l.kind,
      l.product ?? "",
      l.tier ?? "",
      l.quantity,
      `${l.unit_price.minor} / ${l.unit_price.per}`,
      l.amount,
    ];
    expect(invoice.lines.map(row)).toEqual([
      ["setup_fee", "", "", 1, "100000 / 1", 100_000],
      ["recurring_fee", "", "", 15, "31000 / 31", 15_000],
      ["included_calls", "payments", "", 10_000, "0 / 1", 0],
      ["usage", "payments", 0, 90_000, "1 / 2", 45_000],
      ["usage", "payments", 1, 30_000, "1 / 4", 7_500],
      ["included_calls", "kyc", "", 500, "0 / 1", 0],
      ["usage", "kyc", 1, 1_200, "15 / 1", 18_000],
      ["revenue_share", "", "", 23_765_433, "120 / 10000", 285_185],
      ["transaction_fee", "", "", 4_321, "10 / 1", 43_210],
      ["credit", "", "", 1, "-5000 / 1", -5_000],
    ]);
    expect(invoice.lines.map((l) => l.description)).toEqual([
      "Setup fee",
      "Recurring fee, 2026-03-17 to 2026-03-31, 15 of 31 days",
      "payments: 10000 of 10000 included calls",
      "payments: calls 1–90000 past the included, at 0.01 USD per 2 calls",
      "payments: calls 90001–990000 past the included, at 0.01 USD per 4 calls",
      "kyc: 500 of 500 included calls",
      "kyc: all 1200 calls (volume, calls 1001 and over) past the included, at 0.15 USD a call",
      "Revenue share, 1.20 % of 250000.00 USD captured less 12345.67 USD refunded",
      "4321 transactions at 0.10 USD",
      "Service credit: February availability",
    ]);
    expect(invoice).toMatchObject({
      currency: "USD",
      plan_version: 3,
      period: { index: 0, start: "2026-03-17", end: "2026-04-01" },
      subtotal: 513_895,
      credited: 5_000,
      taxable: 508_895,
      tax_bps: 1200,
      tax: 61_067, // 61 067.4
      total: 569_962,
      unapplied_credits: [],
      unapplied_refunds_minor: 0,
    });
  });
});

describe("invoice lines: each component", () => {
  it("the setup fee: on the first period only", () => {
    const plan = planOf({ setup_fee_minor: 7_000 });
    expect(amounts({ plan, period: FIRST })).toEqual([["setup_fee", 7_000]]);
    expect(amounts({ plan, period: SECOND })).toEqual([]);
    // Not prorated: the first period's part is irrelevant to it.
    expect(amounts({ plan, period: firstPeriod({ interval: "month", starts_on: "2026-03-17" }) })).toEqual([
      ["setup_fee", 7_000],
    ]);
  });

  it("the recurring fee: whole on a whole period, days / days in period on a part, rounded once", () => {
    const plan = planOf({ recurring_fee_minor: 100_000 });
    const [whole] = invoiceLines({ plan, period: SECOND }).lines;
    expect(whole).toMatchObject({ quantity: 1, unit_price: { minor: 100_000, per: 1 }, amount: 100_000 });
    expect(whole?.description).toBe("Recurring fee, 2026-04-01 to 2026-04-30");
    // 15/31 × 100 000 = 48 387.0967…
    expect(amounts({ plan, period: FIRST })).toEqual([["recurring_fee", 48_387]]);
    // A leap February: 20/29 × 100 000 = 68 965.517… ; a common one: 19/28 × 100 000 = 67 857.142…
    const leap = firstPeriod({ interval: "month", anchor: "2024-01-01", starts_on: "2024-02-10" });
    expect(amounts({ plan, period: leap })).toEqual([["recurring_fee", 68_966]]);
    const common = firstPeriod({ interval: "month", anchor: "2025-01-01", starts_on: "2025-02-10" });
    expect(amounts({ plan, period: common })).toEqual([["recurring_fee", 67_857]]);
    // A tie goes to even: 1/2 of 1 minor unit is 0, 3/2 is 2.
    const tie = firstPeriod({ interval: "month", anchor: "2026-01-01", starts_on: "2026-04-16" }); // 15 of 30
    expect(amounts({ plan: planOf({ recurring_fee_minor: 1 }), period: tie })).toEqual([
      ["recurring_fee", 0],
    ]);
    expect(amounts({ plan: planOf({ recurring_fee_minor: 3 }), period: tie })).toEqual([
      ["recurring_fee", 2],
    ]);
  });

  it("a yearly fee on a yearly period, prorated by days of the year", () => {
    const plan = planOf({ period: "year", recurring_fee_minor: 365_000 });
    const part = firstPeriod({ interval: "year", anchor: "2026-01-01", starts_on: "2026-07-01" });
    expect(amounts({ plan, period: part })).toEqual([["recurring_fee", 184_000]]);
    const leapPart = firstPeriod({ interval: "year", anchor: "2028-01-01", starts_on: "2028-03-01" });
    expect(amounts({ plan, period: leapPart })).toEqual([["recurring_fee", 305_164]]); // 306/366 × 365 000 = 305 163.93
    expect(() => invoiceLines({ plan, period: FIRST })).toThrow(RangeError);
  });

  it("included calls: a zero line for what was used of them; nothing past them when the plan has no tiers", () => {
    const plan = planOf({ products: { kyc: { included_calls: 100 } } });
    expect(amounts({ plan, period: SECOND, usage: { calls: { kyc: 40 } } })).toEqual([["included_calls", 0]]);
    expect(invoiceLines({ plan, period: SECOND, usage: { calls: { kyc: 400 } } }).lines[0]?.quantity).toBe(
      100,
    );
    expect(amounts({ plan, period: SECOND, usage: { calls: { kyc: 0 } } })).toEqual([]);
  });

  it("tiers after the included calls: at the boundary, one over, usage under the included", () => {
    const plan = planOf({
      products: {
        payments: {
          included_calls: 1000,
          tiers: [
            { up_to: 100, price: { minor: 10, per: 1 } },
            { up_to: null, price: { minor: 1, per: 1 } },
          ],
        },
      },
    });
    const usage = (payments: number) =>
      amounts({ plan, period: SECOND, usage: { calls: { payments } } }).filter(([k]) => k === "usage");
    expect(usage(999)).toEqual([]);
    expect(usage(1000)).toEqual([]);
    expect(usage(1001)).toEqual([["usage", 10]]);
    expect(usage(1100)).toEqual([["usage", 1000]]);
    expect(usage(1101)).toEqual([
      ["usage", 1000],
      ["usage", 1],
    ]);
  });

  it("products the plan does not name are not charged", () => {
    expect(amounts({ plan: planOf(), period: SECOND, usage: { calls: { fx: 1_000_000 } } })).toEqual([]);
  });

  it("revenue share on captures net of refunds, rounded half to even", () => {
    const plan = planOf({ revenue_share: { bps: 100 } });
    const share = (captured_minor: number, refunded_minor = 0) =>
      invoiceLines({ plan, period: SECOND, usage: { captured_minor, refunded_minor } });
    expect(share(1_000_000, 100_000).lines).toMatchObject([
      { kind: "revenue_share", quantity: 900_000, amount: 9_000 },
    ]);
    expect(share(50).lines[0]?.amount).toBe(0); // 0.5
    expect(share(150).lines[0]?.amount).toBe(2); // 1.5
    expect(share(250).lines[0]?.amount).toBe(2); // 2.5
    expect(share(350).lines[0]?.amount).toBe(4); // 3.5
  });

  it("refunds larger than the captures: no revenue share and no negative line; the excess is answered, not carried", () => {
    const plan = planOf({ revenue_share: { bps: 100, fixed_fee_minor: 25 } });
    const invoice = invoiceLines({
      plan,
      period: SECOND,
      usage: { captured_minor: 10_000, refunded_minor: 60_000, transactions: 2 },
    });
    expect(invoice.lines.map((l) => l.kind)).toEqual(["transaction_fee"]);
    expect(invoice.unapplied_refunds_minor).toBe(50_000);
    expect(invoice.subtotal).toBe(50);
    const even = invoiceLines({
      plan,
      period: SECOND,
      usage: { captured_minor: 10_000, refunded_minor: 10_000 },
    });
    expect([even.lines, even.unapplied_refunds_minor]).toEqual([[], 0]);
  });

  it("the fixed fee per transaction: with or without a share of the volume", () => {
    const plan = planOf({ revenue_share: { bps: 0, fixed_fee_minor: 30 } });
    expect(amounts({ plan, period: SECOND, usage: { captured_minor: 99_999, transactions: 7 } })).toEqual([
      ["transaction_fee", 210],
    ]);
    expect(amounts({ plan, period: SECOND, usage: { captured_minor: 99_999 } })).toEqual([]);
  });
});

describe("invoice lines: the minimum commitment", () => {
  const plan = planOf({
    recurring_fee_minor: 1_000_000, // not usage: does not count against the commitment
    products: { kyc: { tiers: [{ up_to: null, price: { minor: 100, per: 1 } }] } },
    revenue_share: { bps: 100, fixed_fee_minor: 5 },
    minimum_commitment_minor: 50_000,
  });
  const close = (kyc: number, captured_minor = 0, transactions = 0) =>
    invoiceLines({ plan, period: SECOND, usage: { calls: { kyc }, captured_minor, transactions } });

  it("short: a true-up line makes the usage charges up to it", () => {
    const invoice = close(100, 1_000_000, 200); // 10 000 + 10 000 + 1 000 of usage
    expect(invoice.lines.at(-1)).toEqual({
      kind: "minimum_commitment",
      description: "Minimum commitment true-up: 500.00 UZS committed, 210.00 UZS used",
      quantity: 1,
      unit_price: { minor: 29_000, per: 1 },
      amount: 29_000,
    });
    expect(invoice.subtotal).toBe(1_000_000 + 50_000);
  });

  it("no usage at all: the whole commitment", () => {
    expect(close(0).lines.map((l) => [l.kind, l.amount])).toEqual([
      ["recurring_fee", 1_000_000],
      ["minimum_commitment", 50_000],
    ]);
  });

  it("met exactly or passed: no line", () => {
    expect(close(500).lines.map((l) => l.kind)).toEqual(["recurring_fee", "usage"]);
    expect(close(501).lines.map((l) => l.kind)).toEqual(["recurring_fee", "usage"]);
  });

  it("prorated like the fee on a part first period", () => {
    const invoice = invoiceLines({ plan, period: FIRST, usage: { calls: { kyc: 10 } } });
    // 15/31 × 50 000 = 24 193.548… → 24 194 committed; 1 000 used.
    expect(invoice.lines.at(-1)).toMatchObject({ kind: "minimum_commitment", amount: 23_194 });
  });
});

describe("invoice lines: credits and tax", () => {
  const plan = planOf({ recurring_fee_minor: 10_000 });

  it("a credit is a negative line; tax is on the subtotal net of credits", () => {
    const invoice = invoiceLines({
      plan,
      period: SECOND,
      credits: [{ description: "SLA credit", amount_minor: 2_500 }],
      tax_bps: 1200,
    });
    expect(invoice.lines.at(-1)).toMatchObject({
      kind: "credit",
      amount: -2_500,
      unit_price: { minor: -2_500, per: 1 },
    });
    expect(invoice).toMatchObject({
      subtotal: 10_000,
      credited: 2_500,
      taxable: 7_500,
      tax: 900,
      total: 8_400,
    });
  });

  it("credits are capped at the subtotal, in order; the rest is answered for a later period", () => {
    const invoice = invoiceLines({
      plan,
      period: SECOND,
      credits: [
        { description: "first", amount_minor: 6_000 },
        { description: "second", amount_minor: 6_000 },
        { description: "third", amount_minor: 1_000 },
      ],
      tax_bps: 1200,
    });
    expect(invoice.lines.map((l) => [l.description, l.amount])).toEqual([
      ["Recurring fee, 2026-04-01 to 2026-04-30", 10_000],
      ["first", -6_000],
      ["second", -4_000],
    ]);
    expect(invoice).toMatchObject({ subtotal: 10_000, credited: 10_000, taxable: 0, tax: 0, total: 0 });
    expect(invoice.unapplied_credits).toEqual([
      { description: "second", amount_minor: 2_000 },
      { description: "third", amount_minor: 1_000 },
    ]);
  });

  it("a credit on an empty invoice applies nothing", () => {
    const invoice = invoiceLines({
      plan: planOf(),
      period: SECOND,
      credits: [{ description: "c", amount_minor: 1 }],
    });
    expect([invoice.lines, invoice.total, invoice.unapplied_credits]).toEqual([
      [],
      0,
      [{ description: "c", amount_minor: 1 }],
    ]);
  });

  it("tax is rounded half to even", () => {
    const tax = (recurring_fee_minor: number, tax_bps: number) =>
      invoiceLines({ plan: planOf({ recurring_fee_minor }), period: SECOND, tax_bps }).tax;
    expect(tax(25, 200)).toBe(0); // 0.5
    expect(tax(75, 200)).toBe(2); // 1.5
    expect(tax(125, 200)).toBe(2); // 2.5
    expect(tax(10_000, 0)).toBe(0);
    expect(tax(10_000, 10_000)).toBe(10_000);
  });

  it("refuses what is not an invoice's input", () => {
    expect(() => invoiceLines({ plan, period: SECOND, tax_bps: 10_001 })).toThrow(RangeError);
    expect(() => invoiceLines({ plan, period: SECOND, tax_bps: 1.5 })).toThrow(RangeError);
    expect(() =>
      invoiceLines({ plan, period: SECOND, credits: [{ description: "x", amount_minor: 0 }] }),
    ).toThrow(RangeError);
    expect(() =>
      invoiceLines({ plan, period: SECOND, credits: [{ description: " ", amount_minor: 1 }] }),
    ).toThrow(RangeError);
    expect(() => invoiceLines({ plan, period: SECOND, usage: { calls: { kyc: -1 } } })).toThrow(RangeError);
    expect(() => invoiceLines({ plan, period: SECOND, usage: { refunded_minor: 0.5 } })).toThrow(RangeError);
  });
});

describe("invoice lines: properties over seeded random plans and usage", () => {
  it("every line is quantity × unit price rounded once; lines sum to subtotal − credits; total = taxable + tax ≥ 0", () => {
    const draw = seeded(2026);
    const tiers = () => {
      const n = 1 + draw(4);
      let bound = 0;
      return Array.from({ length: n }, (_, i) => {
        bound += 1 + draw(10_000);
        return { up_to: i === n - 1 ? null : bound, price: { minor: draw(500), per: 1 + draw(2000) } };
      });
    };
    const maybe = <T>(value: T) => (draw(3) === 0 ? undefined : value);
    for (let run = 0; run < 300; run++) {
      const plan = planOf({
        setup_fee_minor: maybe(draw(1_000_000)),
        recurring_fee_minor: maybe(draw(1_000_000)),
        products: {
          payments: {
            included_calls: maybe(draw(5000)),
            pricing: draw(2) ? "graduated" : "volume",
            tiers: tiers(),
          },
          kyc: { included_calls: draw(100), tiers: maybe(tiers()) },
        },
        minimum_commitment_minor: maybe(draw(500_000)),
        revenue_share: maybe({ bps: draw(500), fixed_fee_minor: maybe(draw(50)) }),
      });
      const schedule: BillingSchedule = {
        interval: "month",
        anchor: "2026-01-01",
        starts_on: `2026-0${1 + draw(9)}-${String(1 + draw(28)).padStart(2, "0")}`,
      };
      const period = periodAt(schedule, draw(3));
      const invoice = invoiceLines({
        plan,
        period,
        usage: {
          calls: { payments: draw(100_000), kyc: draw(1000), fx: draw(10) },
          captured_minor: draw(50_000_000),
          refunded_minor: draw(10_000_000),
          transactions: draw(5000),
        },
        credits: Array.from({ length: draw(3) }, (_, i) => ({
          description: `c${i}`,
          amount_minor: 1 + draw(300_000),
        })),
        tax_bps: draw(2000),
      });
      let lines = 0n;
      let charges = 0n;
      for (const line of invoice.lines) {
        expect(LINE_KINDS).toContain(line.kind);
        expect(Number.isSafeInteger(line.amount)).toBe(true);
        const exact = roundHalfEven(
          BigInt(line.quantity) * BigInt(line.unit_price.minor),
          BigInt(line.unit_price.per),
        );
        expect(BigInt(line.amount)).toBe(exact);
        expect(line.kind === "credit" ? line.amount < 0 : line.amount >= 0).toBe(true);
        lines += BigInt(line.amount);
        if (line.kind !== "credit") charges += BigInt(line.amount);
      }
      expect(Number(charges)).toBe(invoice.subtotal);
      expect(Number(lines)).toBe(invoice.subtotal - invoice.credited);
      expect(invoice.credited).toBeLessThanOrEqual(invoice.subtotal);
      expect(invoice.taxable).toBe(invoice.subtotal - invoice.credited);
      expect(BigInt(invoice.tax)).toBe(
        roundHalfEven(BigInt(invoice.taxable) * BigInt(invoice.tax_bps), 10_000n),
      );
      expect(invoice.total).toBe(invoice.taxable + invoice.tax);
      expect(invoice.total).toBeGreaterThanOrEqual(0);
      expect(invoice.lines.some((l) => l.kind === "setup_fee")).toBe(
        period.index === 0 && !!plan.setup_fee_minor,
      );
      if (plan.minimum_commitment_minor) {
        const usage = invoice.lines
          .filter((l) => ["usage", "revenue_share", "transaction_fee", "minimum_commitment"].includes(l.kind))
          .reduce((s, l) => s + l.amount, 0);
        const due = Number(
          roundHalfEven(
            BigInt(plan.minimum_commitment_minor) * BigInt(period.days),
            BigInt(period.days_in_period),
          ),
        );
        expect(usage).toBeGreaterThanOrEqual(due); // the true-up brings the usage charges up to the commitment
        if (invoice.lines.some((l) => l.kind === "minimum_commitment")) expect(usage).toBe(due);
      }
    }
  });
});
