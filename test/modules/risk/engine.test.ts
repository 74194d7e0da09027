import { describe, expect, it } from "vitest";
import type { PaymentSignals } from "../../../src/modules/payments/model";
import { type EngineInput, evaluate, needsScore, windowsOf } from "../../../src/modules/risk/engine";
import type { Condition, Decision, ListEntry, Rule } from "../../../src/modules/risk/model";

const NOW = Date.parse("2026-12-01T12:00:00.000Z");
const HOUR = 3_600_000;

const signals = (over: Partial<PaymentSignals> = {}): PaymentSignals => ({
  method: "card",
  card: { brand: "visa", first6: "424242", last4: "4242", country: "US", fingerprint: "fp_visa" },
  customer: null,
  client: { ip: "192.0.2.10", country: "DE", asn: 64500 },
  ...over,
});

let n = 0;
const rule = (conditions: Condition[], action: Decision = "block", mode: Rule["mode"] = "active"): Rule => {
  n += 1;
  return {
    id: `rule-${n}`,
    object: "risk_rule",
    name: `rule ${n}`,
    position: n * 10,
    conditions,
    action,
    mode,
    created_at: "",
    updated_at: "",
  };
};

const entry = (list: ListEntry["list"], type: ListEntry["type"], value: string): ListEntry => ({
  id: `${list}-${type}-${value}`,
  object: "risk_list_entry",
  list,
  type,
  value,
  created_at: "",
});

const input = (over: Partial<EngineInput> = {}): EngineInput => ({
  amount: 10_000,
  currency: "USD",
  signals: signals(),
  lists: [],
  rules: [],
  velocity: { windows: {}, cardFirstSeenAt: NOW },
  score: { status: "not_used" },
  fallback: "hold",
  now: NOW,
  ...over,
});

/** Whether one condition, alone in a blocking rule, holds for the input. */
const fires = (c: Condition, over: Partial<EngineInput> = {}) =>
  evaluate(input({ ...over, rules: [rule([c])] })).decision === "block";

describe("risk engine: each signal", () => {
  it("amount, with and without a currency (a threshold per currency)", () => {
    expect(fires({ field: "amount", op: "gt", value: 9_999 })).toBe(true);
    expect(fires({ field: "amount", op: "gt", value: 10_000 })).toBe(false);
    expect(fires({ field: "amount", op: "gte", value: 10_000 })).toBe(true);
    expect(fires({ field: "amount", op: "lt", value: 10_000 })).toBe(false);
    expect(fires({ field: "amount", op: "lte", value: 10_000 })).toBe(true);
    expect(fires({ field: "amount", op: "eq", value: 10_000 })).toBe(true);
    expect(fires({ field: "amount", op: "gt", value: 5_000, currency: "USD" })).toBe(true);
    expect(fires({ field: "amount", op: "gt", value: 5_000, currency: "EUR" })).toBe(false);
  });

  it("currency, method, card brand and country, client country and ASN: in and not_in", () => {
    expect(fires({ field: "currency", op: "in", values: ["USD", "EUR"] })).toBe(true);
    expect(fires({ field: "currency", op: "not_in", values: ["USD"] })).toBe(false);
    expect(fires({ field: "method", op: "in", values: ["qr"] })).toBe(false);
    expect(fires({ field: "method", op: "not_in", values: ["qr"] })).toBe(true);
    expect(fires({ field: "card.brand", op: "in", values: ["mastercard"] })).toBe(false);
    expect(fires({ field: "card.brand", op: "in", values: ["visa"] })).toBe(true);
    expect(fires({ field: "card.country", op: "in", values: ["US"] })).toBe(true);
    expect(fires({ field: "card.country", op: "not_in", values: ["US"] })).toBe(false);
    expect(fires({ field: "client.country", op: "in", values: ["DE"] })).toBe(true);
    expect(fires({ field: "client.asn", op: "in", values: [64500] })).toBe(true);
    expect(fires({ field: "client.asn", op: "not_in", values: [64500] })).toBe(false);
  });

  it("BIN by prefix and by range", () => {
    expect(fires({ field: "card.bin", op: "prefix", values: ["4242"] })).toBe(true);
    expect(fires({ field: "card.bin", op: "prefix", values: ["5555"] })).toBe(false);
    expect(fires({ field: "card.bin", op: "not_prefix", values: ["5555"] })).toBe(true);
    expect(fires({ field: "card.bin", op: "between", from: "420000", to: "429999" })).toBe(true);
    expect(fires({ field: "card.bin", op: "between", from: "4300", to: "4399" })).toBe(false);
  });

  it("client IP by CIDR, IPv4 and IPv6", () => {
    expect(fires({ field: "client.ip", op: "in_cidr", values: ["192.0.2.0/24"] })).toBe(true);
    expect(fires({ field: "client.ip", op: "in_cidr", values: ["198.51.100.0/24"] })).toBe(false);
    expect(fires({ field: "client.ip", op: "not_in_cidr", values: ["198.51.100.0/24"] })).toBe(true);
    const v6 = { signals: signals({ client: { ip: "2001:db8::1", country: null, asn: null } }) };
    expect(fires({ field: "client.ip", op: "in_cidr", values: ["2001:db8::/32"] }, v6)).toBe(true);
  });

  it("a condition over a signal the payment lacks never holds, in or not_in", () => {
    const bare = {
      signals: signals({ method: "qr", card: null, client: { ip: null, country: null, asn: null } }),
    };
    expect(fires({ field: "card.country", op: "not_in", values: ["US"] }, bare)).toBe(false);
    expect(fires({ field: "card.bin", op: "not_prefix", values: ["4"] }, bare)).toBe(false);
    expect(fires({ field: "client.ip", op: "not_in_cidr", values: ["10.0.0.0/8"] }, bare)).toBe(false);
    expect(fires({ field: "client.asn", op: "not_in", values: [1] }, bare)).toBe(false);
    expect(
      fires(
        { field: "instrument_age_hours", op: "lt", value: 24 },
        { ...bare, velocity: { windows: {}, cardFirstSeenAt: null } },
      ),
    ).toBe(false);
  });

  it("velocity counts and amounts per subject and window", () => {
    const velocity = {
      windows: { card: { "60": { count: 11, amount: 110_000 } }, ip: { "10": { count: 2, amount: 20_000 } } },
      cardFirstSeenAt: NOW,
    };
    const v = (c: Partial<Extract<Condition, { field: "velocity" }>>): Condition => ({
      field: "velocity",
      subject: "card",
      measure: "count",
      window_minutes: 60,
      op: "gt",
      value: 10,
      ...c,
    });
    expect(fires(v({}), { velocity })).toBe(true);
    expect(fires(v({ value: 11 }), { velocity })).toBe(false);
    expect(fires(v({ measure: "amount", value: 100_000 }), { velocity })).toBe(true);
    expect(fires(v({ subject: "ip", window_minutes: 10, value: 1 }), { velocity })).toBe(true);
    // No customer reference: no customer window, the condition cannot hold.
    expect(fires(v({ subject: "customer", value: 0 }), { velocity })).toBe(false);
    expect(windowsOf([rule([v({})]), rule([v({ window_minutes: 10 }), v({})])]).sort()).toEqual([10, 60]);
  });

  it("instrument age: the cool-off of a card first seen less than N hours ago, above an amount", () => {
    const cooloff: Condition[] = [
      { field: "instrument_age_hours", op: "lt", value: 24 },
      { field: "amount", op: "gt", value: 5_000 },
    ];
    const at = (firstSeen: number, amount = 10_000) =>
      evaluate(
        input({
          amount,
          rules: [rule(cooloff, "hold")],
          velocity: { windows: {}, cardFirstSeenAt: firstSeen },
        }),
      ).decision;
    expect(at(NOW - 2 * HOUR)).toBe("hold");
    expect(at(NOW - 2 * HOUR, 5_000)).toBe("pass");
    expect(at(NOW - 25 * HOUR)).toBe("pass");
  });
});

describe("risk engine: lists", () => {
  const decisionWith = (lists: ListEntry[], over: Partial<EngineInput> = {}) =>
    evaluate(input({ ...over, lists }));

  it("each list type hits: bin prefix, country (card's or client's), IP/CIDR, ASN", () => {
    expect(decisionWith([entry("block", "bin", "4242")]).decision).toBe("block");
    expect(decisionWith([entry("block", "bin", "5555")]).decision).toBe("pass");
    expect(decisionWith([entry("block", "country", "US")]).decision).toBe("block");
    expect(decisionWith([entry("block", "country", "DE")]).decision).toBe("block");
    expect(decisionWith([entry("block", "country", "FR")]).decision).toBe("pass");
    expect(decisionWith([entry("block", "ip", "192.0.2.0/25")]).decision).toBe("block");
    expect(decisionWith([entry("block", "ip", "192.0.2.128/25")]).decision).toBe("pass");
    expect(decisionWith([entry("block", "asn", "64500")]).decision).toBe("block");
    expect(decisionWith([entry("block", "asn", "64501")]).decision).toBe("pass");
  });

  it("the allow list wins over the block list and every rule; a block hit wins over the rules", () => {
    const rules = [rule([{ field: "amount", op: "gt", value: 0 }], "hold")];
    const allowed = decisionWith([entry("block", "bin", "4242"), entry("allow", "asn", "64500")], { rules });
    expect(allowed.decision).toBe("pass");
    expect(allowed.rules).toEqual([
      {
        id: "allow-asn-64500",
        name: "allow list: asn 64500",
        action: "pass",
        dry_run: false,
        fallback: false,
      },
    ]);
    const blocked = decisionWith([entry("block", "bin", "4242")], { rules });
    expect(blocked.decision).toBe("block");
    expect(blocked.rules.map((r) => r.name)).toEqual(["block list: bin 4242"]);
  });

  it("a watch list decides nothing alone; a rule tests membership with its own action", () => {
    const rules = [rule([{ field: "list", list: "watch", type: "ip" }], "step_up")];
    expect(decisionWith([entry("watch", "ip", "192.0.2.0/24")]).decision).toBe("pass");
    expect(decisionWith([entry("watch", "ip", "192.0.2.0/24")], { rules })).toMatchObject({
      decision: "step_up",
      rules: [{ action: "step_up", dry_run: false }],
    });
    // Another type, or another list, does not satisfy an `ip` watch-list condition.
    expect(decisionWith([entry("watch", "asn", "64500")], { rules }).decision).toBe("pass");
    expect(decisionWith([entry("allow", "bin", "5555")], { rules }).decision).toBe("pass");
  });
});

describe("risk engine: order, first match and dry-run", () => {
  const always: Condition = { field: "amount", op: "gte", value: 0 };
  const never: Condition = { field: "amount", op: "gt", value: 1_000_000 };

  it("the first active rule that matches decides; later ones are not evaluated", () => {
    const r1 = rule([never], "block");
    const r2 = rule([always], "step_up");
    const r3 = rule([always], "block");
    const out = evaluate(input({ rules: [r1, r2, r3] }));
    expect(out.decision).toBe("step_up");
    expect(out.rules).toEqual([
      { id: r2.id, name: r2.name, action: "step_up", dry_run: false, fallback: false },
    ]);
  });

  it("all conditions of a rule must hold", () => {
    const r = rule([always, never], "block");
    expect(evaluate(input({ rules: [r] })).decision).toBe("pass");
  });

  it("dry-run rules are recorded as would-have and do not stop the evaluation", () => {
    const d1 = rule([always], "block", "dry_run");
    const d2 = rule([never], "block", "dry_run");
    const a = rule([always], "hold");
    const after = rule([always], "block", "dry_run");
    const out = evaluate(input({ rules: [d1, d2, a, after] }));
    expect(out.decision).toBe("hold");
    expect(out.rules).toEqual([
      { id: d1.id, name: d1.name, action: "block", dry_run: true, fallback: false },
      { id: a.id, name: a.name, action: "hold", dry_run: false, fallback: false },
    ]);
    // Dry-run alone never decides: the payment passes, the would-have is recorded.
    const only = evaluate(input({ rules: [d1] }));
    expect(only.decision).toBe("pass");
    expect(only.rules).toHaveLength(1);
  });

  it("no rule, no list: pass with nothing recorded", () => {
    expect(evaluate(input())).toEqual({ decision: "pass", score: null, scoring: "not_used", rules: [] });
  });
});

describe("risk engine: score and its fallback", () => {
  const high: Condition = { field: "score", op: "gte", value: 80 };

  it("a score condition compares the scoring service's answer", () => {
    const r = rule([high], "block");
    expect(needsScore([r])).toBe(true);
    expect(needsScore([rule([{ field: "amount", op: "gt", value: 1 }])])).toBe(false);
    expect(evaluate(input({ rules: [r], score: { status: "ok", value: 85 } }))).toMatchObject({
      decision: "block",
      score: 85,
      scoring: "ok",
    });
    expect(evaluate(input({ rules: [r], score: { status: "ok", value: 79 } })).decision).toBe("pass");
  });

  it("a late or failed score makes the rule that needs it decide the partner's fallback, recorded as such", () => {
    const r = rule([high], "block");
    for (const status of ["timeout", "failed"] as const) {
      const out = evaluate(input({ rules: [r], score: { status }, fallback: "hold" }));
      expect(out).toEqual({
        decision: "hold",
        score: null,
        scoring: status,
        rules: [{ id: r.id, name: r.name, action: "hold", dry_run: false, fallback: true }],
      });
    }
    // The rule's other conditions still decide whether it applies at all.
    const unmet = rule([high, { field: "currency", op: "in", values: ["EUR"] }], "block");
    expect(evaluate(input({ rules: [unmet], score: { status: "timeout" } })).decision).toBe("pass");
    // A dry-run rule needing the missing score records nothing.
    const dry = rule([high], "block", "dry_run");
    expect(evaluate(input({ rules: [dry], score: { status: "timeout" } })).rules).toEqual([]);
  });
});
