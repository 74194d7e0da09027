import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, tokenFor } from "../../support/http";
import { drain, paymentObject } from "../../support/objects";
import { provisionPartner } from "../../support/partners";
import { seedPlan } from "../../support/plans";

/** The capture entry's lines of a payment: account code, direction, amount. */
async function captureLines(paymentId: string) {
  const { results } = await env.DB.prepare(
    `SELECT a.code, p.direction, p.amount FROM journal_entries e
       JOIN postings p ON p.entry_id = e.id JOIN ledger_accounts a ON a.id = p.account_id
      WHERE e.reference = ? AND e.kind = 'capture' ORDER BY a.code`,
  )
    .bind(paymentId)
    .all<{ code: string; direction: string; amount: number }>();
  return results;
}

async function capturedPayment(partner: Awaited<ReturnType<typeof provisionPartner>>) {
  const key = crypto.randomUUID();
  const r = await call("POST", "/v1/payments", {
    token: await tokenFor(partner),
    headers: { "Idempotency-Key": key },
    json: { params: { amount: 150_000, currency: "UZS", payment_method_token: "pm_card_visa" } },
  });
  expect(r.res.status).toBe(200);
  expect(r.body.result.status).toBe("captured");
  await drain(paymentObject(partner.id, key));
  return r.body.result.id as string;
}

describe("the capture fee and a rate plan's revenue share (one rule: captureFees)", () => {
  it("without a plan a capture takes the contract's fee_bps as fee revenue, as before", async () => {
    const p = await provisionPartner({ products: ["payments"], feeBps: 150 });
    const lines = await captureLines(await capturedPayment(p));
    expect(lines).toEqual([
      { code: "card_clearing", direction: "debit", amount: 150_000 },
      { code: "fee_revenue", direction: "credit", amount: 2_250 },
      { code: "partner_available", direction: "credit", amount: 147_750 },
    ]);
  });

  it("with a plan the capture takes no fee: the revenue share is invoiced per period instead", async () => {
    const p = await provisionPartner({ products: ["payments"], feeBps: 150 });
    await seedPlan(p.id, { revenue_share: { bps: 120, fixed_fee_minor: 10 } });
    const lines = await captureLines(await capturedPayment(p));
    expect(lines).toEqual([
      { code: "card_clearing", direction: "debit", amount: 150_000 },
      { code: "partner_available", direction: "credit", amount: 150_000 },
    ]);
    expect(lines.some((l) => l.code === "fee_revenue")).toBe(false);
  });
});
