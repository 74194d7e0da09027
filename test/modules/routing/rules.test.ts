import { describe, expect, it } from "vitest";
import type { PaymentSignals } from "../../../src/modules/payments/model";
import type { RoutingRule } from "../../../src/modules/routing/model";
import { bucketOf, orderOf, planRoute, type RoutingFacts } from "../../../src/modules/routing/rules";

const card = (first6: string, country: string | null): PaymentSignals => ({
  method: "card",
  card: { brand: "visa", first6, last4: "4242", country, fingerprint: `fp_${first6}` },
  customer: null,
  client: { ip: null, country: null, asn: null },
});
const facts = (over: Partial<RoutingFacts> = {}): RoutingFacts => ({
  paymentId: crypto.randomUUID(),
  amount: 150_000,
  currency: "UZS",
  signals: card("424242", "US"),
  ...over,
});
const ENV = ["sandbox", "sandbox_b"];
const to = (provider: string, conditions: RoutingRule["conditions"]): RoutingRule => ({
  conditions,
  target: { provider },
});

describe("routing rules", () => {
  it("a BIN range matches first6 inclusively, and never a payment without a card", () => {
    const rules = [to("sandbox_b", { bin_range: { from: "400000", to: "424242" } })];
    expect(planRoute(rules, null, ENV, facts()).providers).toEqual(["sandbox_b"]);
    expect(planRoute(rules, null, ENV, facts({ signals: card("400000", "US") })).providers).toEqual([
      "sandbox_b",
    ]);
    expect(planRoute(rules, null, ENV, facts({ signals: card("424243", "US") }))).toEqual({
      rule: null,
      providers: ENV,
    });
    const qr: PaymentSignals = { ...card("424242", "US"), method: "qr", card: null };
    expect(planRoute(rules, null, ENV, facts({ signals: qr })).rule).toBeNull();
  });

  it("a card country list matches the issuing country; an unknown country never matches", () => {
    const rules = [to("http", { card_countries: ["UZ", "KZ"] })];
    expect(planRoute(rules, null, ENV, facts({ signals: card("424242", "UZ") })).providers).toEqual(["http"]);
    expect(planRoute(rules, null, ENV, facts({ signals: card("424242", "US") })).rule).toBeNull();
    expect(planRoute(rules, null, ENV, facts({ signals: card("424242", null) })).rule).toBeNull();
  });

  it("currency, amount band (inclusive) and method each choose their rule; the first match wins", () => {
    const rules: RoutingRule[] = [
      to("http", { currencies: ["USD"] }),
      to("sandbox_b", { amount: { min: 1_000, max: 5_000 } }),
      to("sandbox", { methods: ["bank_redirect", "qr"] }),
      to("http", { amount: { min: 0 } }),
    ];
    expect(planRoute(rules, null, ENV, facts({ currency: "USD", amount: 2_000 }))).toEqual({
      rule: 0,
      providers: ["http"],
    });
    expect(planRoute(rules, null, ENV, facts({ amount: 1_000 })).rule).toBe(1);
    expect(planRoute(rules, null, ENV, facts({ amount: 5_000 })).rule).toBe(1);
    expect(planRoute(rules, null, ENV, facts({ amount: 5_001 })).rule).toBe(3);
    const a2a: PaymentSignals = { ...card("424242", "US"), method: "bank_redirect", card: null };
    expect(planRoute(rules, null, ENV, facts({ signals: a2a })).rule).toBe(2);
  });

  it("every condition of a rule must hold", () => {
    const rules = [to("http", { currencies: ["UZS"], card_countries: ["UZ"], methods: ["card"] })];
    expect(planRoute(rules, null, ENV, facts({ signals: card("424242", "UZ") })).rule).toBe(0);
    expect(
      planRoute(rules, null, ENV, facts({ signals: card("424242", "UZ"), currency: "USD" })).rule,
    ).toBeNull();
  });

  it("no match: the partner's default order, else the environment's", () => {
    expect(planRoute([], ["http", "sandbox"], ENV, facts())).toEqual({
      rule: null,
      providers: ["http", "sandbox"],
    });
    expect(planRoute([], null, ENV, facts())).toEqual({ rule: null, providers: ENV });
  });

  it("a priority list is tried in its order", () => {
    expect(orderOf({ priority: ["sandbox_b", "http", "sandbox"] }, crypto.randomUUID())).toEqual([
      "sandbox_b",
      "http",
      "sandbox",
    ]);
  });

  it("a split is deterministic by payment id and within bounds over many payments; the others follow as fallbacks", () => {
    const target = {
      split: [
        { provider: "sandbox", percent: 70 },
        { provider: "sandbox_b", percent: 30 },
      ],
    };
    const counts = { sandbox: 0, sandbox_b: 0 };
    for (let i = 0; i < 4000; i++) {
      // Ids as the gateway makes them (UUIDv7: time-ordered, random tail).
      const id = `01930000-${i.toString(16).padStart(4, "0")}-7${crypto.randomUUID().slice(15)}`;
      const order = orderOf(target, id);
      expect(orderOf(target, id)).toEqual(order); // the same payment picks the same provider
      expect(order).toHaveLength(2);
      counts[order[0] as keyof typeof counts] += 1;
    }
    // 70/30 of 4000 is 2800/1200; ±4 standard deviations (about ±116) bounds it.
    expect(counts.sandbox).toBeGreaterThan(2800 - 120);
    expect(counts.sandbox).toBeLessThan(2800 + 120);
    expect(counts.sandbox + counts.sandbox_b).toBe(4000);
  });

  it("buckets spread over 0–99", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(bucketOf(crypto.randomUUID()));
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(99);
    expect(seen.size).toBe(100);
  });
});
