import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { riskPartner, visa } from "./support";

const velocityOf = (name: string) => env.RISK.get(env.RISK.idFromName(name));
const T0 = Date.parse("2026-12-01T12:00:00.000Z");
const MINUTE = 60_000;

describe("velocity: exact under concurrency", () => {
  it("50 concurrent payments of one card against 'block when the card's count in 60 min > 10': exactly 10 pass, 40 are blocked, 50 recorded", async () => {
    const s = await riskPartner();
    const rule = await s.rule({
      name: "card > 10 an hour",
      conditions: [
        { field: "velocity", subject: "card", measure: "count", window_minutes: 60, op: "gt", value: 10 },
      ],
      action: "block",
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => s.pay()));
    expect(results.every((r) => r.res.status === 200)).toBe(true);
    const payments = results.map((r) => r.body.result);
    expect(new Set(payments.map((p) => p.id)).size).toBe(50);
    const captured = payments.filter((p) => p.status === "captured");
    const blocked = payments.filter((p) => p.status === "failed");
    expect(captured).toHaveLength(10);
    expect(blocked).toHaveLength(40);
    expect(captured.every((p) => p.risk.decision === "pass" && p.risk.rules.length === 0)).toBe(true);
    expect(
      blocked.every(
        (p) => p.failure.reason === "risk_decline" && p.provider === "risk" && p.risk.rules[0].id === rule.id,
      ),
    ).toBe(true);
    expect(await s.velocity().recorded("card", "fp_card_visa")).toBe(50);
  });

  it("a second assessment of the same payment answers the first and records nothing", async () => {
    const stub = velocityOf(`test:${crypto.randomUUID()}`);
    const req = {
      paymentId: "p1",
      at: T0,
      amount: 100,
      currency: "USD",
      keys: { card: "fp_x" },
      windows: [60],
    };
    const first = await stub.assess(req);
    expect(first.windows.card).toEqual({ "60": { count: 1, amount: 100 } });
    const again = await stub.assess({ ...req, at: T0 + MINUTE, amount: 999 });
    expect(again).toEqual(first);
    expect(await stub.recorded("card", "fp_x")).toBe(1);
  });

  it("windows slide: only payments within the window count; amounts only in the payment's currency", async () => {
    const stub = velocityOf(`test:${crypto.randomUUID()}`);
    const at = (i: number, minutes: number, currency = "USD", amount = 100) =>
      stub.assess({
        paymentId: `p${i}`,
        at: T0 + minutes * MINUTE,
        amount,
        currency,
        keys: { ip: "192.0.2.1" },
        windows: [10, 60],
      });
    await at(1, 0);
    await at(2, 30, "EUR", 5_000);
    await at(3, 55);
    const view = await at(4, 65);
    // At minute 65: the 60-minute window (5, 65] holds minutes 30, 55 and 65; the 10-minute one (55, 65] only 65.
    expect(view.windows.ip).toEqual({ "60": { count: 3, amount: 200 }, "10": { count: 1, amount: 100 } });
    expect(view.windows.card).toBeUndefined();
    expect(view.cardFirstSeenAt).toBeNull();
  });

  it("a card's first sighting is kept across payments (instrument age); old entries are pruned", async () => {
    const stub = velocityOf(`test:${crypto.randomUUID()}`);
    const keys = { card: "fp_y", customer: "c1" };
    await stub.assess({ paymentId: "a", at: T0, amount: 1, currency: "USD", keys, windows: [] });
    const later = await stub.assess({
      paymentId: "b",
      at: T0 + 5 * 60 * MINUTE,
      amount: 1,
      currency: "USD",
      keys,
      windows: [60],
    });
    expect(later.cardFirstSeenAt).toBe(T0);
    expect(later.windows.customer).toEqual({ "60": { count: 1, amount: 1 } });
    // Eight days on, the first two are past the longest window (7 days) and pruned.
    await stub.assess({
      paymentId: "c",
      at: T0 + 8 * 24 * 60 * MINUTE,
      amount: 1,
      currency: "USD",
      keys,
      windows: [],
    });
    expect(await stub.recorded("customer", "c1")).toBe(1);
  });

  it("the velocity object is the partner's: another partner's payments do not count", async () => {
    const a = await riskPartner();
    const b = await riskPartner();
    await a.pay(visa);
    await a.pay(visa);
    await b.pay(visa);
    expect(await a.velocity().recorded("card", "fp_card_visa")).toBe(2);
    expect(await b.velocity().recorded("card", "fp_card_visa")).toBe(1);
  });
});
