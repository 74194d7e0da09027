import { describe, expect, it } from "vitest";
import { call } from "../../support/http";
import type { TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";
import { always, riskPartner, rows, visa } from "./support";

const holdAll = { name: "hold all", conditions: [always], action: "hold" };

/** A held payment of the owner's, and its review's id. */
const heldReview = async (_o: TestPartner, token: string) => {
  await call("POST", "/v1/risk/rules", { token, json: { params: holdAll } });
  const paid = await call("POST", "/v1/payments", { token, json: { params: visa } });
  return paid.body.result.risk.review.id as string;
};

const read = { product: "payments", scope: "payments:read" } as const;
const write = { product: "payments", scope: "payments:write" } as const;
securitySuite({ method: "GET", path: "/v1/reviews", ...read });
securitySuite({ method: "GET", path: "/v1/reviews/{id}", ...read, createOwned: heldReview });
securitySuite({ method: "POST", path: "/v1/reviews/{id}/approve", ...write, createOwned: heldReview });
securitySuite({ method: "POST", path: "/v1/reviews/{id}/reject", ...write, createOwned: heldReview });

describe("the review queue", () => {
  it("hold: authorized only, capture refused while open (190); approve captures and posts a balanced entry", async () => {
    const s = await riskPartner(150);
    const rule = await s.rule(holdAll);
    const held = (await s.pay()).body.result;
    expect(held).toMatchObject({
      status: "authorized",
      capture: false,
      amount_capturable: 150_000,
      amount_captured: 0,
      risk: {
        decision: "hold",
        rules: [{ id: rule.id, action: "hold" }],
        review: { status: "open", capture_on_approval: true },
      },
    });
    const reviewId = held.risk.review.id;

    const refused = await call("POST", `/v1/payments/${held.id}/capture`, { token: s.token });
    expect([refused.res.status, refused.body.error.code]).toEqual([409, 190]);
    expect(refused.body.error.message).toContain(reviewId);

    const queue = await call("GET", "/v1/reviews?status=open", { token: s.token });
    expect(queue.body.result.data).toEqual([
      expect.objectContaining({
        id: reviewId,
        object: "review",
        payment_id: held.id,
        status: "open",
        amount: 150_000,
        closed_at: null,
      }),
    ]);
    expect((await call("GET", `/v1/reviews/${reviewId}`, { token: s.token })).body.result.status).toBe(
      "open",
    );

    const approved = await call("POST", `/v1/reviews/${reviewId}/approve`, { token: s.token });
    expect(approved.res.status).toBe(200);
    expect(approved.body.result).toMatchObject({ id: reviewId, status: "approved" });
    expect(approved.body.result.closed_at).toEqual(expect.any(String));
    const payment = (await call("GET", `/v1/payments/${held.id}`, { token: s.token })).body.result;
    expect(payment).toMatchObject({
      status: "captured",
      capture: true,
      amount_captured: 150_000,
      amount_capturable: 0,
    });
    expect(payment.risk.review).toEqual({ id: reviewId, status: "approved", capture_on_approval: true });

    const again = await call("POST", `/v1/reviews/${reviewId}/reject`, { token: s.token });
    expect([again.res.status, again.body.error.code]).toEqual([409, 191]);
    expect((await call("GET", "/v1/reviews?status=open", { token: s.token })).body.result.data).toEqual([]);
    expect(
      (await call("GET", "/v1/reviews?status=approved", { token: s.token })).body.result.data,
    ).toHaveLength(1);

    await s.drainAll();
    const entries = await call("GET", `/v1/ledger/entries?reference=${held.id}`, { token: s.token });
    expect(entries.body.result.data).toMatchObject([{ kind: "capture", amount: 150_000 }]);
    const sides = await rows(
      "SELECT p.direction, sum(p.amount) AS total FROM postings p JOIN journal_entries e ON e.id = p.entry_id WHERE e.partner_id = ? GROUP BY p.direction ORDER BY p.direction",
      s.p.id,
    );
    expect(sides).toEqual([
      { direction: "credit", total: 150_000 },
      { direction: "debit", total: 150_000 },
    ]);
    const balance = await call("GET", "/v1/balance", { token: s.token });
    expect(balance.body.result.available).toEqual([{ currency: "UZS", amount: 147_750 }]); // 1.5 % fee
    const events = await s.events();
    expect(events.map((e) => e.type).sort()).toEqual([
      "payment.authorized",
      "payment.captured",
      "review.closed",
      "review.opened",
    ]);
    expect(events.find((e) => e.type === "review.closed")?.object).toMatchObject({
      object: "review",
      id: reviewId,
      status: "approved",
    });
    expect(events.find((e) => e.type === "review.opened")?.object).toMatchObject({
      id: reviewId,
      status: "open",
    });
  });

  it("approve of a hold that asked capture: false leaves it authorized, and capture is allowed", async () => {
    const s = await riskPartner();
    await s.rule(holdAll);
    const held = (await s.pay({ ...visa, capture: false })).body.result;
    expect(held.risk.review.capture_on_approval).toBe(false);
    await call("POST", `/v1/reviews/${held.risk.review.id}/approve`, { token: s.token });
    expect((await call("GET", `/v1/payments/${held.id}`, { token: s.token })).body.result.status).toBe(
      "authorized",
    );
    const captured = await call("POST", `/v1/payments/${held.id}/capture`, { token: s.token });
    expect(captured.body.result).toMatchObject({ status: "captured", amount_captured: 150_000 });
  });

  it("reject cancels the authorization: nothing posted, review.closed rejected", async () => {
    const s = await riskPartner();
    await s.rule(holdAll);
    const held = (await s.pay()).body.result;
    const reviewId = held.risk.review.id;
    const rejected = await call("POST", `/v1/reviews/${reviewId}/reject`, { token: s.token });
    expect(rejected.body.result).toMatchObject({ id: reviewId, status: "rejected" });
    const payment = (await call("GET", `/v1/payments/${held.id}`, { token: s.token })).body.result;
    expect(payment).toMatchObject({ status: "canceled", amount_capturable: 0, amount_captured: 0 });
    await s.drainAll();
    expect(
      (await call("GET", `/v1/ledger/entries?reference=${held.id}`, { token: s.token })).body.result.data,
    ).toEqual([]);
    const events = await s.events();
    expect(events.map((e) => e.type).sort()).toEqual([
      "payment.authorized",
      "payment.canceled",
      "review.closed",
      "review.opened",
    ]);
    expect(events.find((e) => e.type === "review.closed")?.object).toMatchObject({ status: "rejected" });
    expect(await rows("SELECT status FROM risk_reviews WHERE id = ?", reviewId)).toEqual([
      { status: "rejected" },
    ]);
  });

  it("a held payment the provider declines opens no review", async () => {
    const s = await riskPartner();
    await s.rule(holdAll);
    const declined = (await s.pay({ ...visa, payment_method_token: "pm_card_stolen" })).body.result;
    expect(declined).toMatchObject({ status: "failed", risk: { decision: "hold", review: null } });
    expect((await call("GET", "/v1/reviews", { token: s.token })).body.result.data).toEqual([]);
  });

  it("concurrent approvals and rejections close the review once, with one review.closed", async () => {
    const s = await riskPartner();
    await s.rule(holdAll);
    const held = (await s.pay()).body.result;
    const reviewId = held.risk.review.id;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call("POST", `/v1/reviews/${reviewId}/${i % 2 ? "approve" : "reject"}`, { token: s.token }),
      ),
    );
    expect(results.filter((r) => r.res.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.res.status === 409).every((r) => r.body.error.code === 191)).toBe(true);
    await s.drainAll();
    expect((await s.events()).filter((e) => e.type === "review.closed")).toHaveLength(1);
  });

  it("foreign and unknown reviews are 404; malformed ids 400; wrong method 405", async () => {
    const owner = await riskPartner();
    await owner.rule(holdAll);
    const held = (await owner.pay()).body.result;
    const other = await riskPartner();
    for (const [method, path] of [
      ["GET", `/v1/reviews/${held.risk.review.id}`],
      ["POST", `/v1/reviews/${held.risk.review.id}/approve`],
      ["POST", `/v1/reviews/${held.risk.review.id}/reject`],
    ] as const) {
      const r = await call(method, path, { token: other.token });
      expect([r.res.status, r.body.error.code]).toEqual([404, 30]);
    }
    expect((await call("GET", "/v1/reviews", { token: other.token })).body.result.data).toEqual([]);
    expect((await call("GET", "/v1/reviews/not-a-uuid", { token: owner.token })).res.status).toBe(400);
    expect((await call("GET", "/v1/reviews?status=pending", { token: owner.token })).res.status).toBe(400);
    expect(
      (await call("DELETE", `/v1/reviews/${held.risk.review.id}`, { token: owner.token })).res.status,
    ).toBe(405);
    // The owner's review is untouched.
    expect(
      (await call("GET", `/v1/reviews/${held.risk.review.id}`, { token: owner.token })).body.result.status,
    ).toBe("open");
  });
});
