import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../src";
import { hmacHex } from "../../../src/platform/lib/acquirer-signature";
import { fetchWithEnv } from "../../support/http";
import { accountBalance, balanced, disputable, entriesOf, eventsOf } from "./support";

// At least 32 characters, as the configuration requires of the HTTP acquirer's secret.
const SECRET = "test-acquirer-secret-of-32-chars-at-least";
const PATH = "/connectors/acquirer-http/notifications";

/** A payment the HTTP acquirer took: its projection names that acquirer and its reference. */
async function acquirerPayment() {
  const s = await disputable();
  const reference = `acq_${crypto.randomUUID()}`;
  await env.DB.prepare(
    "UPDATE payments SET snapshot = json_set(snapshot, '$.provider', 'http', '$.provider_reference', ?) WHERE id = ?",
  )
    .bind(reference, s.payment.id)
    .run();
  return { ...s, reference };
}

async function send(
  body: unknown,
  opts: { secret?: string; t?: number; header?: string; env?: object } = {},
) {
  const text = JSON.stringify(body);
  const t = opts.t ?? Math.floor(Date.now() / 1000);
  const header = opts.header ?? `t=${t},v1=${await hmacHex(opts.secret ?? SECRET, `${t}.${text}`)}`;
  return fetchWithEnv(worker, { ACQUIRER_HTTP_SECRET: SECRET, ...opts.env }, PATH, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Portico-Acquirer-Signature": header },
    body: text,
  });
}

const opened = (reference: string, extra: Record<string, unknown> = {}) => ({
  id: `ntf_${crypto.randomUUID()}`,
  type: "dispute.opened",
  provider_reference: reference,
  dispute_reference: `dp_${crypto.randomUUID()}`,
  amount: 40_000,
  currency: "UZS",
  reason: "fraudulent",
  evidence_due_by: "2027-01-15T00:00:00.000Z",
  ...extra,
});

describe("the HTTP acquirer's notifications", () => {
  it("opens a dispute, applies a replay once, and closes it on dispute.lost", async () => {
    const s = await acquirerPayment();
    const n = opened(s.reference);
    const first = await send(n);
    expect(first.res.status).toBe(200);
    expect(first.body).toMatchObject({ received: true, replayed: false, status: "needs_response" });
    const id = first.body.dispute_id;
    const replay = await send(n);
    expect(replay.body).toEqual({ ...first.body, replayed: true });
    const dispute = await env.DB.prepare("SELECT * FROM disputes WHERE id = ?").bind(id).first();
    expect(dispute).toMatchObject({
      partner_id: s.p.id,
      payment_id: s.payment.id,
      provider: "http",
      provider_dispute_reference: n.dispute_reference,
      amount: 40_000,
      reason: "fraudulent",
      evidence_due_by: "2027-01-15T00:00:00.000Z",
    });
    expect(await accountBalance(s.p.id, "partner_disputed")).toBe(40_000);
    expect((await entriesOf(id)).dispute).toHaveLength(4);

    const lost = {
      id: `ntf_${crypto.randomUUID()}`,
      type: "dispute.lost",
      dispute_reference: n.dispute_reference,
    };
    const closed = await send(lost);
    expect(closed.body).toMatchObject({ replayed: false, dispute_id: id, status: "lost" });
    expect((await send(lost)).body).toMatchObject({ replayed: true, status: "lost" });
    // A contradicting decision afterwards is refused and changes nothing.
    const won = await send({
      id: `ntf_${crypto.randomUUID()}`,
      type: "dispute.won",
      dispute_reference: n.dispute_reference,
    });
    expect(won.res.status).toBe(409);
    expect(won.body.error.code).toBe(60);
    expect(await accountBalance(s.p.id, "partner_disputed")).toBe(0);
    expect(Object.keys(await entriesOf(id)).sort()).toEqual(["dispute", "dispute_lost"]);
    expect((await eventsOf(s.p.id)).map((e) => e.type)).toEqual(["dispute.created", "dispute.closed"]);
    expect(await balanced()).toBe(true);
  });

  it("dispute.won after the evidence returns the hold", async () => {
    const s = await acquirerPayment();
    const n = opened(s.reference, { amount: 100_000 });
    const id = (await send(n)).body.dispute_id;
    const before = await s.available();
    await s.evidence(id, { product_description: "delivered", submit: true });
    const won = await send({
      id: `ntf_${crypto.randomUUID()}`,
      type: "dispute.won",
      dispute_reference: n.dispute_reference,
    });
    expect(won.body.status).toBe("won");
    expect(await s.available()).toBe((before ?? 0) + 100_000);
  });

  it("refuses a bad signature, another secret, a stale or future timestamp, a malformed header: nothing changes", async () => {
    const s = await acquirerPayment();
    const n = opened(s.reference);
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      [await send(n, { secret: "another" }), 215],
      [await send(n, { header: "t=123" }), 215],
      [await send(n, { header: "" }), 215],
      [await send(n, { header: `t=abc,v1=${"0".repeat(64)}` }), 215],
      [await send(n, { t: now - 301 }), 216],
      [await send(n, { t: now + 301 }), 216],
    ] as const;
    for (const [r, code] of cases) {
      expect(r.res.status).toBe(401);
      expect(r.body.error.code).toBe(code);
    }
    // The signature covers the body: the same header on another body is refused.
    const t = now;
    const header = `t=${t},v1=${await hmacHex(SECRET, `${t}.${JSON.stringify(n)}`)}`;
    const tampered = await fetchWithEnv(worker, { ACQUIRER_HTTP_SECRET: SECRET }, PATH, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Portico-Acquirer-Signature": header },
      body: JSON.stringify({ ...n, amount: 100_000 }),
    });
    expect(tampered.body.error.code).toBe(215);
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM disputes WHERE partner_id = ?").bind(s.p.id).first("n"),
    ).toBe(0);
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM acquirer_notifications WHERE id = ?")
        .bind(n.id)
        .first("n"),
    ).toBe(0);
    // Within the tolerance it is applied.
    expect((await send(n, { t: now - 290 })).res.status).toBe(200);
  });

  it("answers 217 for an unknown payment, 404 for an unknown dispute, 400 for a bad body, 90 without a secret", async () => {
    const s = await acquirerPayment();
    const unknown = await send(opened("acq_nobody"));
    expect(unknown.res.status).toBe(404);
    expect(unknown.body.error.code).toBe(217);
    // A sandbox payment's reference is not the HTTP acquirer's payment.
    const sandboxPayment = await disputable();
    const sandboxRef = await env.DB.prepare(
      "SELECT json_extract(snapshot, '$.provider_reference') AS r FROM payments WHERE id = ?",
    )
      .bind(sandboxPayment.payment.id)
      .first<string>("r");
    expect(sandboxRef).toMatch(/^sbx_/);
    const otherAcquirer = await send(opened(sandboxRef ?? ""));
    expect(otherAcquirer.res.status).toBe(404);
    expect(otherAcquirer.body.error.code).toBe(217);
    const noDispute = await send({
      id: `ntf_${crypto.randomUUID()}`,
      type: "dispute.won",
      dispute_reference: "dp_none",
    });
    expect(noDispute.res.status).toBe(404);
    expect(noDispute.body.error.code).toBe(30);
    const badType = await send({ id: "x", type: "dispute.exploded", dispute_reference: "d" });
    expect(badType.res.status).toBe(400);
    const badCurrency = await send(opened(s.reference, { currency: "EUR" }));
    expect(badCurrency.res.status).toBe(400);
    const tooMuch = await send(opened(s.reference, { amount: 100_001 }));
    expect(tooMuch.res.status).toBe(409);
    expect(tooMuch.body.error.code).toBe(61);
    const notJson = await fetchWithEnv(worker, { ACQUIRER_HTTP_SECRET: SECRET }, PATH, {
      method: "POST",
      headers: { "Portico-Acquirer-Signature": `t=1,v1=${"0".repeat(64)}` },
      body: "{",
    });
    expect(notJson.res.status).toBe(401);
    const unconfigured = await send(opened(s.reference), {
      env: { ACQUIRER_HTTP_URL: undefined, ACQUIRER_HTTP_SECRET: undefined },
    });
    expect(unconfigured.res.status).toBe(503);
    expect(unconfigured.body.error.code).toBe(90);
    const wrongMethod = await fetchWithEnv(worker, {}, PATH, { method: "GET" });
    expect(wrongMethod.res.status).toBe(405);
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM disputes WHERE partner_id = ?").bind(s.p.id).first("n"),
    ).toBe(0);
  });
});
