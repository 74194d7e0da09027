import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { accountBalance, balanced, disputable, entriesOf, eventsOf, PDF } from "./support";

describe("a dispute's lifecycle", () => {
  it("opens, takes evidence and a document, is submitted and won: the hold comes back, the fee does not", async () => {
    const s = await disputable();
    const before = await s.available();
    const opened = await s.open({ reason: "product_not_received", amount: 60_000 });
    expect(opened.res.status).toBe(200);
    const d = opened.body.result;
    expect(d).toMatchObject({
      object: "dispute",
      payment_id: s.payment.id,
      amount: 60_000,
      currency: "UZS",
      fee: 1_500,
      reason: "product_not_received",
      status: "needs_response",
      provider: "sandbox",
      evidence_submitted_at: null,
      closed_at: null,
      livemode: false,
    });
    expect(Date.parse(d.evidence_due_by) - Date.parse(d.created_at)).toBe(7 * 86_400_000);
    expect(await s.available()).toBe((before ?? 0) - 61_500);
    expect(await accountBalance(s.p.id, "partner_disputed")).toBe(60_000);
    expect(await entriesOf(d.id)).toEqual({
      dispute: [
        "partner:partner_available debit 1500",
        "partner:partner_available debit 60000",
        "partner:partner_disputed credit 60000",
        "platform:fee_revenue credit 1500",
      ],
    });

    const edited = await s.evidence(d.id, {
      product_description: "Two tickets to the opera",
      customer_communication: "The customer confirmed receipt by email",
    });
    expect(edited.res.status).toBe(200);
    expect(edited.body.result).toMatchObject({
      status: "needs_response",
      evidence: { product_description: "Two tickets to the opera", refund_policy: null },
    });

    const doc = await call("POST", `/v1/disputes/${d.id}/evidence/documents`, {
      token: s.token,
      json: { params: { filename: "receipt.pdf", content_type: "application/pdf", content_base64: PDF } },
    });
    expect(doc.res.status).toBe(201);
    expect(doc.body.result).toMatchObject({
      filename: "receipt.pdf",
      content_type: "application/pdf",
      size: atob(PDF).length,
    });
    const stored = await env.DISPUTE_EVIDENCE.get(`disputes/${s.p.id}/${d.id}/${doc.body.result.id}`);
    expect(await stored?.text()).toBe(atob(PDF));
    const download = await call("GET", `/v1/disputes/${d.id}/evidence/documents/${doc.body.result.id}`, {
      token: s.token,
    });
    expect(download.res.status).toBe(200);
    expect(download.res.headers.get("Content-Type")).toBe("application/pdf");
    expect(download.body).toBe(atob(PDF));

    const submitted = await s.evidence(d.id, { refund_policy: "Refunds within 14 days", submit: true });
    expect(submitted.res.status).toBe(200);
    expect(submitted.body.result).toMatchObject({
      status: "under_review",
      evidence: {
        product_description: "Two tickets to the opera",
        refund_policy: "Refunds within 14 days",
        documents: [{ id: doc.body.result.id, filename: "receipt.pdf" }],
      },
    });
    expect(submitted.body.result.evidence_submitted_at).toBeTruthy();
    // Submitted evidence no longer changes.
    const late = await s.evidence(d.id, { uncategorized_text: "one more thing" });
    expect(late.res.status).toBe(409);
    expect(late.body.error.code).toBe(60);

    const won = await s.simulate(d.id, "won");
    expect(won.res.status).toBe(200);
    expect(won.body.result).toMatchObject({ status: "won" });
    expect(won.body.result.closed_at).toBeTruthy();
    expect(await s.available()).toBe((before ?? 0) - 1_500);
    expect(await accountBalance(s.p.id, "partner_disputed")).toBe(0);
    expect((await entriesOf(d.id)).dispute_won).toEqual([
      "partner:partner_available credit 60000",
      "partner:partner_disputed debit 60000",
    ]);
    expect(await balanced()).toBe(true);

    const events = await eventsOf(s.p.id);
    expect(events.map((e) => [e.type, e.object.status])).toEqual([
      ["dispute.created", "needs_response"],
      ["dispute.updated", "under_review"],
      ["dispute.closed", "won"],
    ]);
    const got = await call("GET", `/v1/disputes/${d.id}`, { token: s.token });
    expect(got.body.result).toEqual(won.body.result);
    // Closed: every change is refused and changes nothing.
    for (const r of [
      await s.simulate(d.id, "lost"),
      await call("POST", `/v1/disputes/${d.id}/accept`, { token: s.token }),
    ]) {
      expect(r.res.status).toBe(409);
      expect(r.body.error.code).toBe(60);
    }
    expect(await entriesOf(d.id)).not.toHaveProperty("dispute_lost");
    expect((await call("GET", `/v1/disputes/${d.id}`, { token: s.token })).body.result).toEqual(
      won.body.result,
    );
  });

  it("lost: the hold goes to card clearing, nothing comes back", async () => {
    const s = await disputable();
    const before = await s.available();
    const clearing = await accountBalance("platform", "card_clearing");
    const d = (await s.open()).body.result;
    expect(d.amount).toBe(100_000);
    await s.evidence(d.id, { uncategorized_text: "We shipped it", submit: true });
    const lost = await s.simulate(d.id, "lost");
    expect(lost.body.result).toMatchObject({ status: "lost" });
    expect(await s.available()).toBe((before ?? 0) - 101_500);
    expect(await accountBalance(s.p.id, "partner_disputed")).toBe(0);
    expect(await accountBalance("platform", "card_clearing")).toBe(clearing - 100_000);
    expect((await entriesOf(d.id)).dispute_lost).toEqual([
      "partner:partner_disputed debit 100000",
      "platform:card_clearing credit 100000",
    ]);
    expect((await eventsOf(s.p.id)).at(-1)).toMatchObject({
      type: "dispute.closed",
      object: { status: "lost" },
    });
    expect(await balanced()).toBe(true);
  });

  it("accepted: the partner concedes in needs_response; the evidence can no longer change", async () => {
    const s = await disputable({ disputeFee: 0 });
    const before = await s.available();
    const d = (await s.open({ amount: 25_000, reason: "duplicate" })).body.result;
    expect((await entriesOf(d.id)).dispute).toEqual([
      "partner:partner_available debit 25000",
      "partner:partner_disputed credit 25000",
    ]);
    const accepted = await call("POST", `/v1/disputes/${d.id}/accept`, { token: s.token });
    expect(accepted.res.status).toBe(200);
    expect(accepted.body.result).toMatchObject({ status: "accepted", fee: 0 });
    expect(await s.available()).toBe((before ?? 0) - 25_000);
    expect((await entriesOf(d.id)).dispute_lost).toEqual([
      "partner:partner_disputed debit 25000",
      "platform:card_clearing credit 25000",
    ]);
    const again = await s.evidence(d.id, { product_description: "x", submit: true });
    expect(again.res.status).toBe(409);
    expect(again.body.error.code).toBe(60);
    expect((await s.simulate(d.id, "won")).body.error.code).toBe(60);
    expect(await balanced()).toBe(true);
  });

  it("a dispute under review cannot be accepted, nor decided in the sandbox before it is submitted", async () => {
    const s = await disputable();
    const d = (await s.open()).body.result;
    const early = await s.simulate(d.id, "won");
    expect(early.res.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 60 });
    expect(early.body.error.message).toContain("needs_response");
    await s.evidence(d.id, { product_description: "x", submit: true });
    const accept = await call("POST", `/v1/disputes/${d.id}/accept`, { token: s.token });
    expect(accept.res.status).toBe(409);
    expect((await call("GET", `/v1/disputes/${d.id}`, { token: s.token })).body.result.status).toBe(
      "under_review",
    );
    expect(Object.keys(await entriesOf(d.id))).toEqual(["dispute"]);
  });

  it("two changes at once: exactly one applies, with one posting", async () => {
    const s = await disputable();
    const d = (await s.open()).body.result;
    const [accept, submit] = await Promise.all([
      call("POST", `/v1/disputes/${d.id}/accept`, { token: s.token }),
      s.evidence(d.id, { product_description: "x", submit: true }),
    ]);
    const statuses = [accept.res.status, submit.res.status].sort();
    expect(statuses).toEqual([200, 409]);
    const final = (await call("GET", `/v1/disputes/${d.id}`, { token: s.token })).body.result.status;
    expect(final).toBe(accept.res.status === 200 ? "accepted" : "under_review");
    const kinds = Object.keys(await entriesOf(d.id)).sort();
    expect(kinds).toEqual(final === "accepted" ? ["dispute", "dispute_lost"] : ["dispute"]);
    expect((await eventsOf(s.p.id)).length).toBe(2);
  });
});
