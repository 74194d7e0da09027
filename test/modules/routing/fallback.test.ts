import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ledgerImbalance } from "../../../src/modules/ledger/storage";
import { SANDBOX_B_TRIGGERS } from "../../../src/modules/payments/connector/sandbox-b";
import { call } from "../../support/http";
import { db } from "../../support/partners";
import { everything, routedPartner, rows, sandboxBRecords } from "./support";

const amountFor = (trigger: number) => 1_000_000 + trigger;
const priorityB = everything({ priority: ["sandbox_b", "sandbox"] });

describe("orchestration: fallback and never twice", () => {
  it.each([
    ["a 5xx", SANDBOX_B_TRIGGERS.server_error, "error", null],
    ["bank_unavailable", SANDBOX_B_TRIGGERS.bank_unavailable, "error", "bank_unavailable"],
    ["a timeout before it authorized", SANDBOX_B_TRIGGERS.timeout_before_authorize, "timeout", null],
  ] as const)(
    "falls back from sandbox_b on %s to sandbox, recording both attempts",
    async (_what, trigger, outcome, reason) => {
      const { p, pay } = await routedPartner(priorityB);
      const { payment, drain } = await pay({ amount: amountFor(trigger) });
      expect(payment).toMatchObject({
        status: "captured",
        provider: "sandbox",
        amount_captured: amountFor(trigger),
      });
      expect(payment.provider_reference).toMatch(/^sbx_/);
      expect(payment.attempts).toEqual([
        {
          provider: "sandbox_b",
          outcome,
          decline_reason: reason,
          latency_ms: expect.any(Number),
          fallback: false,
        },
        {
          provider: "sandbox",
          outcome: "authorized",
          decline_reason: null,
          latency_ms: expect.any(Number),
          fallback: true,
        },
      ]);
      // The acquirer that failed holds nothing: a timed-out attempt is voided by its key.
      const records = await sandboxBRecords(payment.id);
      if (outcome === "timeout")
        expect(records).toEqual([
          { idempotency_key: `${payment.id}:1`, status: "voided", captured: 0, refunded: 0 },
        ]);
      else if (reason) expect(records.map((r) => r.status)).toEqual(["declined"]);
      else expect(records).toEqual([]);
      await drain();
      const attempts = await rows(
        "SELECT * FROM payment_attempts WHERE payment_id = ? ORDER BY seq",
        payment.id,
      );
      expect(attempts).toEqual([
        {
          id: `${payment.id}:1`,
          payment_id: payment.id,
          partner_id: p.id,
          seq: 1,
          provider: "sandbox_b",
          outcome,
          decline_reason: reason,
          fallback: 0,
          latency_ms: expect.any(Number),
          method: "card",
          card_brand: "visa",
          bin_country: "US",
          currency: "UZS",
          amount: amountFor(trigger),
          created_at: expect.any(String),
        },
        expect.objectContaining({
          id: `${payment.id}:2`,
          seq: 2,
          provider: "sandbox",
          outcome: "authorized",
          fallback: 1,
        }),
      ]);
      const entries = await rows("SELECT kind FROM journal_entries WHERE reference = ?", payment.id);
      expect(entries).toEqual([{ kind: "capture" }]);
    },
  );

  it("a timeout after sandbox_b authorized never authorizes twice: the attempt is retrieved by its key and used", async () => {
    const { pay } = await routedPartner(priorityB);
    const amount = amountFor(SANDBOX_B_TRIGGERS.timeout_after_authorize);
    const { payment, drain } = await pay({ amount });
    expect(payment).toMatchObject({ status: "captured", provider: "sandbox_b", amount_captured: amount });
    expect(payment.provider_reference).toMatch(/^sbb_/);
    expect(payment.attempts).toEqual([
      {
        provider: "sandbox_b",
        outcome: "authorized",
        decline_reason: null,
        latency_ms: expect.any(Number),
        fallback: false,
      },
    ]);
    // Exactly one authorization in the acquirer's own books, and no attempt anywhere else.
    expect(await sandboxBRecords(payment.id)).toEqual([
      { idempotency_key: `${payment.id}:1`, status: "authorized", captured: amount, refunded: 0 },
    ]);
    await drain();
    expect(
      await rows("SELECT provider, outcome FROM payment_attempts WHERE payment_id = ?", payment.id),
    ).toEqual([{ provider: "sandbox_b", outcome: "authorized" }]);
    expect(await rows("SELECT kind FROM journal_entries WHERE reference = ?", payment.id)).toEqual([
      { kind: "capture" },
    ]);
    for (const row of await ledgerImbalance(db)) expect(Number(row.imbalance)).toBe(0);
  });

  it("a timeout the acquirer cannot settle (unknown) never falls back: the payment fails retryably", async () => {
    const { pay } = await routedPartner(priorityB);
    const { payment } = await pay({ amount: amountFor(SANDBOX_B_TRIGGERS.timeout_unknown) });
    expect(payment).toMatchObject({
      status: "failed",
      provider: "sandbox_b",
      provider_reference: null,
      failure: { code: "card_declined", reason: "bank_unavailable", retryable: true },
    });
    expect(
      payment.attempts.map((a: { provider: string; outcome: string }) => [a.provider, a.outcome]),
    ).toEqual([["sandbox_b", "timeout"]]);
  });

  it("a hard decline is never retried elsewhere", async () => {
    const { pay } = await routedPartner(everything({ priority: ["sandbox", "sandbox_b"] }));
    for (const [token, reason] of [
      ["pm_card_insufficient_funds", "insufficient_funds"],
      ["pm_card_stolen", "stolen_card"],
      // do_not_honor is a hard decline in sandbox's matrix (it is sandbox_b's "not my issuer" only).
      ["pm_card_do_not_honor", "do_not_honor"],
    ] as const) {
      const { payment } = await pay({ amount: 10_000, payment_method_token: token });
      expect(payment).toMatchObject({
        status: "failed",
        provider: "sandbox",
        failure: { reason, retryable: false },
      });
      expect(payment.attempts).toEqual([
        {
          provider: "sandbox",
          outcome: "declined",
          decline_reason: reason,
          latency_ms: expect.any(Number),
          fallback: false,
        },
      ]);
    }
  });

  it("sandbox_b's retry matrix lets its do_not_honor for a BIN it does not serve go to the next provider", async () => {
    const { pay } = await routedPartner(priorityB);
    const { payment } = await pay({ amount: 10_000, payment_method_token: "pm_card_mastercard" });
    expect(payment).toMatchObject({ status: "captured", provider: "sandbox" });
    expect(
      payment.attempts.map((a: { provider: string; decline_reason: string | null }) => [
        a.provider,
        a.decline_reason,
      ]),
    ).toEqual([
      ["sandbox_b", "do_not_honor"],
      ["sandbox", null],
    ]);
  });

  it("a single-provider target never falls back; every provider failing is a retryable failure", async () => {
    const single = await routedPartner(everything({ provider: "sandbox_b" }));
    const alone = await single.pay({ amount: amountFor(SANDBOX_B_TRIGGERS.server_error) });
    expect(alone.payment).toMatchObject({
      status: "failed",
      provider: "sandbox_b",
      failure: { reason: "bank_unavailable", retryable: true },
    });
    expect(alone.payment.attempts).toHaveLength(1);
    const both = await routedPartner(everything({ priority: ["sandbox_b", "sandbox"] }));
    const failing = await both.pay({ amount: 10_000, payment_method_token: "pm_card_bank_unavailable" });
    expect(failing.payment).toMatchObject({
      status: "failed",
      failure: { reason: "bank_unavailable", retryable: true },
    });
    expect(failing.payment.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(["error", "error"]);
  });

  it("capture and refund go to the provider that authorized, whatever the rules say later", async () => {
    const { p, token, pay } = await routedPartner(everything({ provider: "sandbox_b" }));
    const { payment } = await pay({ amount: 50_000, capture: false });
    expect(payment).toMatchObject({ status: "authorized", provider: "sandbox_b" });
    // The rules change: the payment's later operations still go to sandbox_b.
    await env.DB.prepare(
      `UPDATE routing_rules SET rules = '[]', default_priority = '["sandbox"]' WHERE partner_id = ?`,
    )
      .bind(p.id)
      .run();
    const captured = await call("POST", `/v1/payments/${payment.id}/capture`, {
      token,
      json: { params: { amount: 40_000 } },
    });
    expect(captured.body.result).toMatchObject({
      status: "captured",
      amount_captured: 40_000,
      provider: "sandbox_b",
    });
    const refund = await call("POST", `/v1/payments/${payment.id}/refunds`, {
      token,
      json: { params: { amount: 15_000 } },
    });
    expect(refund.body.result).toMatchObject({ status: "succeeded", amount: 15_000 });
    expect(await sandboxBRecords(payment.id)).toEqual([
      { idempotency_key: `${payment.id}:1`, status: "captured", captured: 40_000, refunded: 15_000 },
    ]);
  });

  it("rules choose the provider end to end: BIN range, amount band, method", async () => {
    const { pay } = await routedPartner(
      [
        {
          name: "mastercard BINs",
          conditions: { bin_range: { from: "510000", to: "559999" } },
          target: { provider: "sandbox" },
        },
        { name: "large", conditions: { amount: { min: 500_000 } }, target: { provider: "sandbox_b" } },
        { name: "qr", conditions: { methods: ["qr"] }, target: { provider: "sandbox_b" } },
      ],
      ["sandbox"],
    );
    expect(
      (await pay({ amount: 600_000, payment_method_token: "pm_card_mastercard" })).payment.provider,
    ).toBe("sandbox");
    expect((await pay({ amount: 600_000 })).payment.provider).toBe("sandbox_b");
    expect((await pay({ amount: 1_000 })).payment.provider).toBe("sandbox");
    const qr = (await pay({ amount: 1_000, payment_method_token: "pm_qr" })).payment;
    expect(qr).toMatchObject({ status: "pending", provider: "sandbox_b" });
    expect(qr.provider_reference).toMatch(/^sbb_/);
  });
});
