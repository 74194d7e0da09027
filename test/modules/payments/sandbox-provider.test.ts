import { describe, expect, it } from "vitest";
import {
  SANDBOX_PAYMENT_TOKENS,
  SandboxPaymentProvider,
} from "../../../src/modules/payments/connector/sandbox";

const provider = new SandboxPaymentProvider("http://portico.test");
const NOW = Date.parse("2026-11-22T12:00:00.000Z");
const authorize = (token: string) =>
  provider.authorize({
    paymentId: "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee",
    idempotencyKey: "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee:1",
    signals: { method: "card" as const, card: null },
    amount: 1500,
    currency: "UZS",
    paymentMethodToken: token,
    capture: true,
    now: NOW,
  });

describe("sandbox payment provider", () => {
  it("approves the approval cards, showing only first 6 and last 4", async () => {
    expect(await authorize("pm_card_visa")).toMatchObject({
      outcome: "authorized",
      providerReference: "sbx_0190aaaabbbb7ccc8dddeeeeeeeeeeee",
      method: { type: "card", card: { brand: "visa", first6: "424242", last4: "4242" } },
    });
    expect(await authorize("pm_card_mastercard")).toMatchObject({
      method: { card: { brand: "mastercard" } },
    });
  });

  it("asks for 3-D Secure with a redirect", async () => {
    const r = await authorize("pm_card_3ds");
    expect(r).toMatchObject({ outcome: "requires_action", action: { type: "redirect" } });
    expect(await provider.confirmAuthentication("x", "success")).toEqual({ ok: true });
    expect(await provider.confirmAuthentication("x", "failure")).toMatchObject({ ok: false });
  });

  it.each([
    ["pm_card_insufficient_funds", "insufficient_funds", false],
    ["pm_card_do_not_honor", "do_not_honor", false],
    ["pm_card_stolen", "stolen_card", false],
    ["pm_card_limit_exceeded", "limit_exceeded", false],
    ["pm_card_risk_decline", "risk_decline", false],
    ["pm_card_bank_unavailable", "bank_unavailable", true],
  ])("%s declines with %s (retryable %s)", async (token, reason, retryable) => {
    expect(await authorize(token)).toMatchObject({ outcome: "declined", decline: { reason, retryable } });
  });

  it("leaves A2A and QR pending, the QR with its expiry", async () => {
    expect(await authorize("pm_bank_redirect")).toMatchObject({
      outcome: "pending",
      action: { type: "redirect" },
    });
    expect(await authorize("pm_qr")).toMatchObject({
      outcome: "pending",
      action: { type: "qr_code", expires_at: "2026-11-22T12:15:00.000Z" },
    });
  });

  it("knows its tokens and nothing else", async () => {
    expect(SANDBOX_PAYMENT_TOKENS).toHaveLength(11);
    expect(await authorize("pm_card_amex")).toEqual({ outcome: "unknown_method" });
    expect(await authorize("4111111111111111")).toEqual({ outcome: "unknown_method" });
  });
});
