import { afterEach, describe, expect, it, vi } from "vitest";
import { SandboxPaymentProvider } from "../../../src/modules/payments/connector/sandbox";
import { call } from "../../support/http";
import { always, riskPartner, visa } from "./support";

afterEach(() => {
  vi.restoreAllMocks();
});

const ledgerOf = async (token: string, paymentId: string) =>
  (await call("GET", `/v1/ledger/entries?reference=${paymentId}`, { token })).body.result.data;

describe("risk in the payment path: decisions", () => {
  it("block: the payment fails with risk_decline, the provider is never called, nothing is posted", async () => {
    const s = await riskPartner();
    const rule = await s.rule({
      name: "no big UZS",
      conditions: [{ field: "amount", op: "gt", value: 100_000, currency: "UZS" }],
      action: "block",
    });
    const authorize = vi.spyOn(SandboxPaymentProvider.prototype, "authorize");
    const { res, body } = await s.pay();
    expect(res.status).toBe(200);
    expect(body.result).toMatchObject({
      status: "failed",
      provider: "risk",
      provider_reference: null,
      amount_captured: 0,
      payment_method: { type: "card", card: { brand: "visa", first6: "424242", last4: "4242" } },
      failure: { code: "card_declined", reason: "risk_decline", retryable: false },
      risk: {
        decision: "block",
        score: null,
        scoring: "not_used",
        rules: [{ id: rule.id, name: "no big UZS", action: "block", dry_run: false, fallback: false }],
        review: null,
      },
    });
    expect(authorize).not.toHaveBeenCalled();
    // Below the threshold, or in another currency, the provider is asked.
    const small = await s.pay({ ...visa, amount: 100_000 });
    expect(small.body.result).toMatchObject({ status: "captured", risk: { decision: "pass", rules: [] } });
    expect(authorize).toHaveBeenCalledTimes(1);
    await s.drainAll();
    expect(await ledgerOf(s.token, body.result.id)).toEqual([]);
    expect((await s.events()).map((e) => e.type)).toEqual(["payment.failed", "payment.captured"]);
    const stored = await call("GET", `/v1/payments/${body.result.id}`, { token: s.token });
    expect(stored.body.result).toEqual(body.result);
  });

  it("step_up: an approving card is sent through 3-D Secure; its success captures", async () => {
    const s = await riskPartner();
    await s.rule({
      name: "3ds for mastercard",
      conditions: [{ field: "card.brand", op: "in", values: ["mastercard"] }],
      action: "step_up",
    });
    const stepped = await s.pay({ ...visa, payment_method_token: "pm_card_mastercard" });
    expect(stepped.body.result).toMatchObject({
      status: "requires_action",
      next_action: { type: "redirect" },
      payment_method: { card: { brand: "mastercard", last4: "4444" } },
      risk: { decision: "step_up", rules: [{ action: "step_up" }] },
    });
    const visaPaid = await s.pay();
    expect(visaPaid.body.result.status).toBe("captured");
    const confirmed = await call("POST", `/v1/payments/${stepped.body.result.id}/confirm`, {
      token: s.token,
      json: { params: { authentication_result: "success" } },
    });
    expect(confirmed.body.result).toMatchObject({ status: "captured", amount_captured: 150_000 });
  });

  it("a dry-run rule is recorded as would-have and not applied; the next active rule decides", async () => {
    const s = await riskPartner();
    const dry = await s.rule({ name: "would block", conditions: [always], action: "block", mode: "dry_run" });
    const { body } = await s.pay();
    expect(body.result).toMatchObject({
      status: "captured",
      risk: {
        decision: "pass",
        rules: [{ id: dry.id, name: "would block", action: "block", dry_run: true, fallback: false }],
      },
    });
    const hold = await s.rule({ name: "hold all", conditions: [always], action: "hold" });
    const second = await s.pay();
    expect(second.body.result.status).toBe("authorized");
    expect(second.body.result.risk.rules).toEqual([
      { id: dry.id, name: "would block", action: "block", dry_run: true, fallback: false },
      { id: hold.id, name: "hold all", action: "hold", dry_run: false, fallback: false },
    ]);
  });

  it("rules fire in position order, first match wins, whatever order they were made in", async () => {
    const s = await riskPartner();
    await s.rule({ name: "later: block", position: 20, conditions: [always], action: "block" });
    const first = await s.rule({
      name: "first: step_up UZS",
      position: 10,
      conditions: [{ field: "currency", op: "in", values: ["UZS"] }],
      action: "step_up",
    });
    const uzs = await s.pay();
    expect(uzs.body.result.risk).toMatchObject({ decision: "step_up", rules: [{ id: first.id }] });
    const usd = await s.pay({ ...visa, currency: "USD", amount: 1_000 });
    expect(usd.body.result.risk).toMatchObject({ decision: "block", rules: [{ name: "later: block" }] });
    expect(usd.body.result.status).toBe("failed");
  });

  it("lists: a client IP on the block list blocks, an allow-listed BIN passes whatever the rules say", async () => {
    const s = await riskPartner();
    await s.listEntry({ list: "block", type: "ip", value: "198.51.100.0/24" });
    await s.rule({ name: "block all", conditions: [always], action: "block" });
    const fromIp = await s.pay(
      { ...visa, payment_method_token: "pm_card_mastercard" },
      { "CF-Connecting-IP": "198.51.100.7" },
    );
    expect(fromIp.body.result.risk).toMatchObject({
      decision: "block",
      rules: [{ name: "block list: ip 198.51.100.0/24" }],
    });
    await s.listEntry({ list: "allow", type: "bin", value: "4242" });
    const allowed = await s.pay();
    expect(allowed.body.result).toMatchObject({
      status: "captured",
      risk: { decision: "pass", rules: [{ name: "allow list: bin 4242" }] },
    });
    const blocked = await s.pay({ ...visa, payment_method_token: "pm_card_mastercard" });
    expect(blocked.body.result.risk.rules[0].name).toBe("block all");
  });

  it("velocity per customer reference (metadata.customer_reference) and the cool-off of a new card", async () => {
    const s = await riskPartner();
    await s.rule({
      name: "one a minute per customer",
      conditions: [
        { field: "velocity", subject: "customer", measure: "count", window_minutes: 1, op: "gt", value: 1 },
      ],
      action: "block",
    });
    await s.rule({
      name: "new card, big amount",
      conditions: [
        { field: "instrument_age_hours", op: "lt", value: 1 },
        { field: "amount", op: "gt", value: 200_000 },
      ],
      action: "hold",
    });
    const meta = { metadata: { customer_reference: "cust-42" } };
    expect((await s.pay({ ...visa, ...meta })).body.result.risk.decision).toBe("pass");
    expect((await s.pay({ ...visa, ...meta })).body.result.risk.decision).toBe("block");
    expect(
      (await s.pay({ ...visa, metadata: { customer_reference: "cust-43" } })).body.result.risk.decision,
    ).toBe("pass");
    const big = await s.pay({ ...visa, amount: 250_000, payment_method_token: "pm_card_mastercard" });
    expect(big.body.result.risk).toMatchObject({
      decision: "hold",
      rules: [{ name: "new card, big amount" }],
    });
  });
});

describe("risk in the payment path: scoring", () => {
  const scoreRule = {
    name: "score 50+",
    conditions: [{ field: "score", op: "gte", value: 50 }],
    action: "block",
  };

  it("the sandbox scores by metadata or by the amount's last two digits", async () => {
    const s = await riskPartner();
    await s.rule(scoreRule);
    const low = await s.pay({ ...visa, amount: 150_049 });
    expect(low.body.result.risk).toMatchObject({ decision: "pass", score: 49, scoring: "ok" });
    const high = await s.pay({ ...visa, amount: 150_050 });
    expect(high.body.result.risk).toMatchObject({ decision: "block", score: 50, scoring: "ok" });
    const asked = await s.pay({ ...visa, metadata: { sandbox_risk_score: "90" } });
    expect(asked.body.result.risk).toMatchObject({ decision: "block", score: 90 });
  });

  it("a scoring timeout applies the partner's fallback (hold by default, then pass), recorded on the payment", async () => {
    const s = await riskPartner();
    const rule = await s.rule(scoreRule);
    await call("POST", "/v1/risk/settings", { token: s.token, json: { params: { scoring_timeout_ms: 50 } } });
    const late = await s.pay({ ...visa, metadata: { sandbox_risk_score: "timeout" } });
    expect(late.body.result).toMatchObject({
      status: "authorized",
      risk: {
        decision: "hold",
        score: null,
        scoring: "timeout",
        rules: [{ id: rule.id, action: "hold", dry_run: false, fallback: true }],
        review: { status: "open", capture_on_approval: true },
      },
    });
    await call("POST", "/v1/risk/settings", {
      token: s.token,
      json: { params: { scoring_fallback: "pass" } },
    });
    const failed = await s.pay({ ...visa, metadata: { sandbox_risk_score: "error" } });
    expect(failed.body.result).toMatchObject({
      status: "captured",
      risk: { decision: "pass", scoring: "failed" },
    });
  });

  it("no rule asks for a score: the scoring service is not called", async () => {
    const s = await riskPartner();
    await s.rule({
      name: "amount",
      conditions: [{ field: "amount", op: "gt", value: 1 }],
      action: "step_up",
    });
    const r = await s.pay({ ...visa, metadata: { sandbox_risk_score: "timeout" } });
    expect(r.body.result.risk).toMatchObject({ decision: "step_up", score: null, scoring: "not_used" });
  });
});
