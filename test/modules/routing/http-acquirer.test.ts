import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HttpAcquirerProvider } from "../../../src/modules/payments/connector/http";
import { signAcquirerMessage, verifyAcquirerSignature } from "../../../src/platform/lib/acquirer-signature";
import { ACQUIRER_TRIGGERS } from "../../node/acquirer";
import { call } from "../../support/http";
import { everything, routedPartner } from "./support";

interface AcquirerAttempt {
  key: string;
  status: string;
  captured: number;
  refunded: number;
  requests: number;
}

const acquirerUrl = () => env.ACQUIRER_HTTP_URL ?? "";
/** The test acquirer's own books for a payment, and the requests it refused for their signature. */
async function books(paymentId: string) {
  const res = await fetch(new URL(`/control/attempts?payment_id=${paymentId}`, acquirerUrl()));
  return (await res.json()) as { attempts: AcquirerAttempt[]; rejected: string[] };
}
const amountFor = (trigger: number) => 2_000_000 + trigger;

describe("the HTTP acquirer connector, against a real acquirer over HTTP", () => {
  it("authorizes with a signed request carrying the attempt's Idempotency-Key", async () => {
    const { pay } = await routedPartner(everything({ provider: "http" }));
    const { payment } = await pay({ amount: 70_000 });
    expect(payment).toMatchObject({ status: "captured", provider: "http", amount_captured: 70_000 });
    expect(payment.provider_reference).toMatch(/^acq_/);
    expect(payment.attempts).toEqual([
      {
        provider: "http",
        outcome: "authorized",
        decline_reason: null,
        latency_ms: expect.any(Number),
        fallback: false,
      },
    ]);
    const { attempts } = await books(payment.id);
    expect(attempts).toMatchObject([
      { key: `${payment.id}:1`, status: "captured", captured: 70_000, requests: 1 },
    ]);
  });

  it("a resend of the same attempt key is answered from the acquirer's books, never authorized twice", async () => {
    const provider = new HttpAcquirerProvider({
      baseUrl: acquirerUrl(),
      secret: env.ACQUIRER_HTTP_SECRET ?? "",
      timeoutMs: 1500,
    });
    const paymentId = crypto.randomUUID();
    const req = {
      paymentId,
      idempotencyKey: `${paymentId}:1`,
      amount: 1_000,
      currency: "UZS" as const,
      paymentMethodToken: "pm_card_visa",
      capture: false,
      signals: {
        method: "card" as const,
        card: { brand: "visa" as const, first6: "424242", last4: "4242", country: "US" },
      },
      now: Date.now(),
    };
    const first = await provider.authorize(req);
    const again = await provider.authorize(req);
    expect(first).toMatchObject({ outcome: "authorized", method: { type: "card", card: { last4: "4242" } } });
    expect(again).toEqual(first);
    expect((await books(paymentId)).attempts).toMatchObject([{ status: "authorized", requests: 2 }]);
    expect(await provider.retrieve(req)).toEqual({ found: true, result: first });
    expect(await provider.retrieve({ ...req, idempotencyKey: `${paymentId}:9` })).toEqual({ found: false });
  });

  it("the acquirer refuses a request signed with another secret; the connector reports it, unretried", async () => {
    const provider = new HttpAcquirerProvider({
      baseUrl: acquirerUrl(),
      secret: "x".repeat(64),
      timeoutMs: 1500,
    });
    const paymentId = crypto.randomUUID();
    const result = await provider.authorize({
      paymentId,
      idempotencyKey: `${paymentId}:1`,
      amount: 1_000,
      currency: "UZS",
      paymentMethodToken: "pm_card_visa",
      capture: true,
      signals: { method: "qr", card: null },
      now: Date.now(),
    });
    expect(result).toEqual({ outcome: "failed", kind: "rejected", message: "status 401" });
    const { attempts, rejected } = await books(paymentId);
    expect(attempts).toEqual([]);
    expect(rejected).toContain("/acquirer/authorizations");
  });

  it("signatures: t and v1 over t.body, checked in constant time and within 5 minutes", async () => {
    const secret = "s".repeat(40);
    const now = Date.parse("2026-12-01T10:00:00.000Z");
    const header = await signAcquirerMessage(secret, '{"a":1}', now);
    expect(header).toMatch(/^t=1796119200,v1=[0-9a-f]{64}$/);
    expect(await verifyAcquirerSignature(secret, header, '{"a":1}', now + 299_000)).toBe(true);
    expect(await verifyAcquirerSignature(secret, header, '{"a":2}', now)).toBe(false);
    expect(await verifyAcquirerSignature("t".repeat(40), header, '{"a":1}', now)).toBe(false);
    expect(await verifyAcquirerSignature(secret, header, '{"a":1}', now + 301_000)).toBe(false);
    expect(await verifyAcquirerSignature(secret, undefined, "", now)).toBe(false);
  });

  it("a real timeout after the acquirer authorized: retrieved by key and used, one authorization, no fallback", async () => {
    const { pay } = await routedPartner(everything({ priority: ["http", "sandbox"] }));
    const amount = amountFor(ACQUIRER_TRIGGERS.slow_after_authorize);
    const { payment } = await pay({ amount });
    expect(payment).toMatchObject({ status: "captured", provider: "http", amount_captured: amount });
    expect(
      payment.attempts.map((a: { provider: string; outcome: string }) => [a.provider, a.outcome]),
    ).toEqual([["http", "authorized"]]);
    expect((await books(payment.id)).attempts).toMatchObject([
      { key: `${payment.id}:1`, status: "captured", requests: 1 },
    ]);
  });

  it("a timeout before it authorized: voided by key, so the late arrival cannot authorize; then the fallback", async () => {
    const { pay } = await routedPartner(everything({ priority: ["http", "sandbox"] }));
    const { payment } = await pay({ amount: amountFor(ACQUIRER_TRIGGERS.slow_before_authorize) });
    expect(payment).toMatchObject({ status: "captured", provider: "sandbox" });
    expect(
      payment.attempts.map((a: { provider: string; outcome: string }) => [a.provider, a.outcome]),
    ).toEqual([
      ["http", "timeout"],
      ["sandbox", "authorized"],
    ]);
    expect((await books(payment.id)).attempts).toMatchObject([{ key: `${payment.id}:1`, status: "voided" }]);
    // Wait out the slow request (a wait, not a timing assertion): it arrives, finds the key voided, and holds nothing.
    await new Promise((r) => setTimeout(r, 3_500));
    expect((await books(payment.id)).attempts).toMatchObject([{ status: "voided", captured: 0 }]);
  });

  it("a 5xx falls back; capture and refund of an http payment go to the acquirer", async () => {
    const { token, pay } = await routedPartner(everything({ priority: ["http", "sandbox"] }));
    const failed = await pay({ amount: amountFor(ACQUIRER_TRIGGERS.server_error) });
    expect(
      failed.payment.attempts.map((a: { provider: string; outcome: string }) => [a.provider, a.outcome]),
    ).toEqual([
      ["http", "error"],
      ["sandbox", "authorized"],
    ]);
    const { payment } = await pay({ amount: 30_000, capture: false });
    expect(payment).toMatchObject({ status: "authorized", provider: "http" });
    const captured = await call("POST", `/v1/payments/${payment.id}/capture`, { token });
    expect(captured.body.result).toMatchObject({ status: "captured", amount_captured: 30_000 });
    await call("POST", `/v1/payments/${payment.id}/refunds`, { token, json: { params: { amount: 5_000 } } });
    expect((await books(payment.id)).attempts).toMatchObject([
      { status: "captured", captured: 30_000, refunded: 5_000 },
    ]);
  });
});
