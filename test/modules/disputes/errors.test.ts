import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import { accountBalance, disputable, entriesOf, PDF, PNG, visa } from "./support";

const upload = (token: string, id: string, params: Record<string, unknown>) =>
  call("POST", `/v1/disputes/${id}/evidence/documents`, { token, json: { params } });

describe("opening a dispute", () => {
  it("refuses an amount above what is captured and not refunded (61), and a second dispute (210)", async () => {
    const s = await disputable();
    await call("POST", `/v1/payments/${s.payment.id}/refunds`, {
      token: s.token,
      json: { params: { amount: 30_000 } },
    });
    const above = await s.open({ amount: 70_001 });
    expect(above.res.status).toBe(409);
    expect(above.body.error).toMatchObject({ code: 61, field: "params.amount" });
    expect(above.body.error.message).toContain("disputable 70000");
    expect(await accountBalance(s.p.id, "partner_disputed")).toBe(0);
    const all = await s.open();
    expect(all.body.result.amount).toBe(70_000);
    const second = await s.open({ amount: 1 });
    expect(second.res.status).toBe(409);
    expect(second.body.error.code).toBe(210);
    expect(second.body.error.message).toContain(all.body.result.id);
    expect(await accountBalance(s.p.id, "partner_disputed")).toBe(70_000);
  });

  it("refuses a payment with nothing captured (60), a foreign or unknown payment (404) and a bad body", async () => {
    const s = await disputable();
    const held = (
      await call("POST", "/v1/payments", { token: s.token, json: { params: { ...visa, capture: false } } })
    ).body.result;
    expect(held.status).toBe("authorized");
    const uncaptured = await s.open(undefined, held.id);
    expect(uncaptured.res.status).toBe(409);
    expect(uncaptured.body.error.code).toBe(60);
    const other = await provisionPartner();
    const foreign = await call("POST", `/v1/sandbox/payments/${s.payment.id}/dispute`, {
      token: await tokenFor(other),
    });
    expect(foreign.res.status).toBe(404);
    expect(foreign.body.error.code).toBe(30);
    expect((await s.open(undefined, crypto.randomUUID())).res.status).toBe(404);
    const badReason = await s.open({ reason: "bored" });
    expect(badReason.res.status).toBe(400);
    const badAmount = await s.open({ amount: "ten" });
    expect(badAmount.body.error.code).toBe(3);
    const zero = await s.open({ amount: 0 });
    expect(zero.res.status).toBe(400);
    const stray = await s.open({ colour: "red" });
    expect(stray.res.status).toBe(400);
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM disputes WHERE partner_id = ?").bind(s.p.id).first("n"),
    ).toBe(0);
  });
});

describe("evidence", () => {
  it("refuses submitting nothing (211), over-long text and unknown fields; an absent field stays, null clears", async () => {
    const s = await disputable();
    const d = (await s.open()).body.result;
    const empty = await s.evidence(d.id, { submit: true });
    expect(empty.res.status).toBe(422);
    expect(empty.body.error.code).toBe(211);
    const long = await s.evidence(d.id, { product_description: "x".repeat(1001) });
    expect(long.res.status).toBe(400);
    expect(long.body.error.field).toBe("params.product_description");
    expect((await s.evidence(d.id, { shoe_size: "42" })).res.status).toBe(400);
    expect((await s.evidence(d.id, { refund_policy: 7 })).body.error.code).toBe(3);
    await s.evidence(d.id, { product_description: "a", refund_policy: "b" });
    const cleared = await s.evidence(d.id, { refund_policy: null });
    expect(cleared.body.result.evidence).toMatchObject({ product_description: "a", refund_policy: null });
    const missing = await call("POST", `/v1/disputes/${d.id}/evidence`, { token: s.token });
    expect(missing.res.status).toBe(400);
    expect((await call("GET", `/v1/disputes/${d.id}`, { token: s.token })).body.result.status).toBe(
      "needs_response",
    );
  });

  it("another partner's dispute is unknown to every call", async () => {
    const s = await disputable();
    const d = (await s.open()).body.result;
    const doc = (
      await upload(s.token, d.id, { filename: "a.pdf", content_type: "application/pdf", content_base64: PDF })
    ).body.result;
    const other = await tokenFor(await provisionPartner());
    const calls = [
      await call("GET", `/v1/disputes/${d.id}`, { token: other }),
      await call("POST", `/v1/disputes/${d.id}/evidence`, {
        token: other,
        json: { params: { product_description: "x" } },
      }),
      await call("POST", `/v1/disputes/${d.id}/accept`, { token: other }),
      await upload(other, d.id, { filename: "a.pdf", content_type: "application/pdf", content_base64: PDF }),
      await call("GET", `/v1/disputes/${d.id}/evidence/documents/${doc.id}`, { token: other }),
      await call("POST", `/v1/sandbox/disputes/${d.id}/simulate`, {
        token: other,
        json: { params: { outcome: "won" } },
      }),
    ];
    for (const r of calls) {
      expect(r.res.status).toBe(404);
      expect(r.body.error.code).toBe(30);
    }
    expect((await call("GET", "/v1/disputes", { token: other })).body.result.data).toEqual([]);
    const mine = await call("GET", `/v1/disputes/${d.id}`, { token: s.token });
    expect(mine.body.result).toMatchObject({
      status: "needs_response",
      evidence: { product_description: null },
    });
    expect(mine.body.result.evidence.documents).toHaveLength(1);
  });
});

describe("documents", () => {
  it("refuses a wrong type (213), content not matching its type (213), too large (212), bad base64 and too many (214)", async () => {
    const s = await disputable();
    const d = (await s.open()).body.result;
    const gif = await upload(s.token, d.id, {
      filename: "a.gif",
      content_type: "image/gif",
      content_base64: btoa("GIF89a"),
    });
    expect(gif.res.status).toBe(415);
    expect(gif.body.error.code).toBe(213);
    const fake = await upload(s.token, d.id, {
      filename: "a.pdf",
      content_type: "application/pdf",
      content_base64: PNG,
    });
    expect(fake.res.status).toBe(415);
    expect(fake.body.error.code).toBe(213);
    const big = btoa(`%PDF-${"x".repeat(512 * 1024 - 4)}`);
    const large = await upload(s.token, d.id, {
      filename: "big.pdf",
      content_type: "application/pdf",
      content_base64: big,
    });
    expect(large.res.status).toBe(413);
    expect(large.body.error.code).toBe(212);
    const garbage = await upload(s.token, d.id, {
      filename: "a.pdf",
      content_type: "application/pdf",
      content_base64: "%%%",
    });
    expect(garbage.res.status).toBe(400);
    expect(garbage.body.error.field).toBe("params.content_base64");
    const badName = await upload(s.token, d.id, {
      filename: "../etc/passwd",
      content_type: "application/pdf",
      content_base64: PDF,
    });
    expect(badName.res.status).toBe(400);
    const png = await upload(s.token, d.id, {
      filename: "photo.png",
      content_type: "image/png",
      content_base64: PNG,
    });
    expect(png.res.status).toBe(201);
    for (let i = 1; i < 8; i++)
      expect(
        (
          await upload(s.token, d.id, {
            filename: `p${i}.pdf`,
            content_type: "application/pdf",
            content_base64: PDF,
          })
        ).res.status,
      ).toBe(201);
    const ninth = await upload(s.token, d.id, {
      filename: "p9.pdf",
      content_type: "application/pdf",
      content_base64: PDF,
    });
    expect(ninth.res.status).toBe(409);
    expect(ninth.body.error.code).toBe(214);
    const listed = (await call("GET", `/v1/disputes/${d.id}`, { token: s.token })).body.result.evidence
      .documents;
    expect(listed).toHaveLength(8);
    const stored = await env.DISPUTE_EVIDENCE.list({ prefix: `disputes/${s.p.id}/${d.id}/` });
    expect(stored.objects.map((o) => o.key).sort()).toEqual(
      listed.map((doc: { id: string }) => `disputes/${s.p.id}/${d.id}/${doc.id}`).sort(),
    );
    const unknown = await call("GET", `/v1/disputes/${d.id}/evidence/documents/${crypto.randomUUID()}`, {
      token: s.token,
    });
    expect(unknown.res.status).toBe(404);
  });

  it("refuses a document once the evidence is submitted, and leaves nothing in the bucket", async () => {
    const s = await disputable();
    const d = (await s.open()).body.result;
    await s.evidence(d.id, { product_description: "x", submit: true });
    const late = await upload(s.token, d.id, {
      filename: "a.pdf",
      content_type: "application/pdf",
      content_base64: PDF,
    });
    expect(late.res.status).toBe(409);
    expect(late.body.error.code).toBe(60);
    expect((await env.DISPUTE_EVIDENCE.list({ prefix: `disputes/${s.p.id}/${d.id}/` })).objects).toEqual([]);
  });
});

describe("listing", () => {
  it("lists the partner's disputes newest first, by status and payment", async () => {
    const s = await disputable();
    const second = (await call("POST", "/v1/payments", { token: s.token, json: { params: visa } })).body
      .result;
    const a = (await s.open()).body.result;
    const b = (await s.open(undefined, second.id)).body.result;
    await call("POST", `/v1/disputes/${a.id}/accept`, { token: s.token });
    const all = await call("GET", "/v1/disputes", { token: s.token });
    expect(all.body.result.data.map((x: { id: string }) => x.id)).toEqual([b.id, a.id]);
    const open = await call("GET", "/v1/disputes?status=needs_response", { token: s.token });
    expect(open.body.result.data.map((x: { id: string }) => x.id)).toEqual([b.id]);
    const byPayment = await call("GET", `/v1/disputes?payment_id=${s.payment.id}`, { token: s.token });
    expect(byPayment.body.result.data).toMatchObject([{ id: a.id, status: "accepted" }]);
    const page = await call("GET", "/v1/disputes?limit=1", { token: s.token });
    expect(page.body.result).toMatchObject({ has_more: true, data: [{ id: b.id }] });
    expect((await call("GET", "/v1/disputes?status=open", { token: s.token })).res.status).toBe(400);
    expect(await entriesOf(b.id)).toHaveProperty("dispute");
  });
});
