import { describe, expect, it } from "vitest";
import { parsePlan } from "../../../src/modules/billing/plan";
import { EXAMPLE } from "./support";

const issues = (input: unknown) => {
  const parsed = parsePlan(input);
  expect(parsed.ok, "the plan is refused").toBe(false);
  return parsed.ok ? [] : parsed.issues;
};
const paths = (input: unknown) => issues(input).map((i) => i.path);
const base = { version: 1, currency: "UZS", period: "month" };
const withTiers = (tiers: unknown) => ({ ...base, products: { payments: { tiers } } });

describe("rate plans: the model", () => {
  it("takes the documented example with every component", () => {
    const parsed = parsePlan(EXAMPLE);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.plan).toEqual(EXAMPLE);
  });

  it("needs only a version, a currency and a period; the rest defaults", () => {
    const parsed = parsePlan(base);
    expect(parsed).toEqual({ ok: true, plan: { ...base, products: {}, overage: "bill" } });
    const terms = parsePlan({ ...base, products: { fx: { included_calls: 10 } } });
    expect(terms.ok && terms.plan.products.fx).toEqual({ included_calls: 10, pricing: "graduated" });
  });

  it("takes a yearly period, any ISO 4217 currency the platform knows, and block", () => {
    expect(parsePlan({ ...base, period: "year", currency: "KWD", overage: "block" }).ok).toBe(true);
  });
});

describe("rate plans: validation names the offending member", () => {
  it("tiers must ascend strictly", () => {
    const tiers = [
      { up_to: 100, price: { minor: 5, per: 1 } },
      { up_to: 100, price: { minor: 4, per: 1 } },
      { up_to: null, price: { minor: 3, per: 1 } },
    ];
    expect(issues(withTiers(tiers))).toEqual([
      { path: "products.payments.tiers.1.up_to", message: "tiers must ascend: 100 is not above 100" },
    ]);
    const down = [tiers[0], { ...tiers[1], up_to: 50 }, tiers[2]];
    expect(paths(withTiers(down))).toEqual(["products.payments.tiers.1.up_to"]);
  });

  it("the last tier, and only it, is open-ended: no calls are left unpriced", () => {
    const closed = [
      { up_to: 100, price: { minor: 5, per: 1 } },
      { up_to: 200, price: { minor: 4, per: 1 } },
    ];
    expect(issues(withTiers(closed))).toEqual([
      { path: "products.payments.tiers.1.up_to", message: "the last tier must be open-ended (null)" },
    ]);
    const openEarly = [
      { up_to: null, price: { minor: 5, per: 1 } },
      { up_to: null, price: { minor: 4, per: 1 } },
    ];
    expect(paths(withTiers(openEarly))).toEqual(["products.payments.tiers.0.up_to"]);
    expect(paths(withTiers([]))).toEqual(["products.payments.tiers"]);
  });

  it("prices are non-negative integers per a positive count", () => {
    const price = (p: unknown) => withTiers([{ up_to: null, price: p }]);
    expect(paths(price({ minor: -1, per: 1 }))).toEqual(["products.payments.tiers.0.price.minor"]);
    expect(paths(price({ minor: 1.5, per: 1 }))).toEqual(["products.payments.tiers.0.price.minor"]);
    expect(paths(price({ minor: 1, per: 0 }))).toEqual(["products.payments.tiers.0.price.per"]);
    expect(paths(price({ minor: 1 }))).toEqual(["products.payments.tiers.0.price.per"]);
    expect(paths(price({ minor: 1, per: 1, currency: "USD" }))).toEqual([
      "products.payments.tiers.0.price.currency",
    ]);
    expect(
      paths(
        withTiers([
          { up_to: 0, price: { minor: 1, per: 1 } },
          { up_to: null, price: { minor: 1, per: 1 } },
        ]),
      ),
    ).toEqual(["products.payments.tiers.0.up_to"]);
  });

  it("fees, the commitment and included calls are non-negative integers in minor units", () => {
    expect(paths({ ...base, setup_fee_minor: -1 })).toEqual(["setup_fee_minor"]);
    expect(paths({ ...base, recurring_fee_minor: 10.5 })).toEqual(["recurring_fee_minor"]);
    expect(paths({ ...base, recurring_fee_minor: "100" })).toEqual(["recurring_fee_minor"]);
    expect(paths({ ...base, minimum_commitment_minor: 1e20 })).toEqual(["minimum_commitment_minor"]);
    expect(paths({ ...base, products: { kyc: { included_calls: -5 } } })).toEqual([
      "products.kyc.included_calls",
    ]);
  });

  it("revenue share: 0–10000 basis points and a non-negative fixed fee", () => {
    expect(paths({ ...base, revenue_share: { bps: 10_001 } })).toEqual(["revenue_share.bps"]);
    expect(paths({ ...base, revenue_share: { bps: 10, fixed_fee_minor: -1 } })).toEqual([
      "revenue_share.fixed_fee_minor",
    ]);
    expect(paths({ ...base, revenue_share: {} })).toEqual(["revenue_share.bps"]);
  });

  it("a product's terms are of a licensable product and say something", () => {
    expect(paths({ ...base, products: { fx: {} } })).toEqual(["products.fx"]);
    expect(paths({ ...base, products: { fx: { pricing: "stairstep", tiers: [] } } })).toEqual([
      "products.fx.pricing",
      "products.fx.tiers",
    ]);
    expect(paths({ ...base, products: { ledger: { included_calls: 1 } } })).toEqual(["products.ledger"]);
  });

  it("the header: version, currency, period, overage", () => {
    expect(paths({ ...base, version: 0 })).toEqual(["version"]);
    expect(paths({ ...base, currency: "XXX" })).toEqual(["currency"]);
    expect(paths({ ...base, currency: "uzs" })).toEqual(["currency"]);
    expect(paths({ ...base, period: "week" })).toEqual(["period"]);
    expect(paths({ ...base, overage: "throttle" })).toEqual(["overage"]);
    expect(paths({ currency: "UZS" })).toEqual(["version", "period"]);
  });

  it("a misspelt member is refused, not ignored: it would make a free plan", () => {
    expect(issues({ ...base, recuring_fee_minor: 100 })).toEqual([
      { path: "recuring_fee_minor", message: "not a member of a rate plan" },
    ]);
  });

  it("answers every problem at once", () => {
    expect(paths({ ...base, version: -1, setup_fee_minor: -1, revenue_share: { bps: -1 } })).toEqual([
      "version",
      "setup_fee_minor",
      "revenue_share.bps",
    ]);
  });
});
