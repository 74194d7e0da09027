import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  SANDBOX_CARD_NUMBERS,
  SANDBOX_FOUND_CARD,
  SANDBOX_PHONE_SMS_FAILS,
  SANDBOX_SMS_CODE,
} from "../../../src/modules/cards/connector/sandbox";
import { freshPan } from "../../support/applicants";
import { call, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";

const PHONE = "+998901112233";

async function setup() {
  const p = await provisionPartner({ dataAccess: ["name", "phone", "card_details"] });
  const token = await tokenFor(p);
  const attach = (params: Record<string, unknown>, key: string = crypto.randomUUID()) =>
    call("POST", "/v1/cards/attach", { token, json: { params }, headers: { "Idempotency-Key": key } });
  const confirm = (attachment_id: string, code: string, key: string = crypto.randomUUID()) =>
    call("POST", "/v1/cards/attach/confirm", {
      token,
      json: { params: { attachment_id, code } },
      headers: { "Idempotency-Key": key },
    });
  const cards = async () => (await call("GET", "/v1/cards", { token })).body.result.data;
  return { p, token, attach, confirm, cards };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("attach an existing card by SMS code", () => {
  it("sends a code, confirms it and attaches the card (first 6 + last 4 only) with card.attached", async () => {
    const s = await setup();
    const pan = freshPan();
    const started = await s.attach({ card_number: pan, phone_number: PHONE });
    expect(started.res.status).toBe(200);
    const attachment = started.body.result;
    expect(attachment).toMatchObject({
      object: "card_attachment",
      status: "pending",
      first6: pan.slice(0, 6),
      last4: pan.slice(-4),
      phone_number: PHONE,
      attempts_remaining: 3,
      livemode: false,
    });
    const ttl = Date.parse(attachment.expires_at) - Date.parse(attachment.created_at);
    expect(ttl).toBe(300_000);

    const confirmed = await s.confirm(attachment.id, SANDBOX_SMS_CODE);
    expect(confirmed.res.status).toBe(200);
    expect(confirmed.body.result).toMatchObject({
      object: "card",
      origin: "attached",
      type: null,
      currency: null,
      first6: pan.slice(0, 6),
      last4: pan.slice(-4),
      holder_name: SANDBOX_FOUND_CARD.holderName,
      expiry_month: SANDBOX_FOUND_CARD.expiryMonth,
      expiry_year: SANDBOX_FOUND_CARD.expiryYear,
      phone_number: PHONE,
      status: "active",
      application_id: null,
    });
    expect(await s.cards()).toEqual([confirmed.body.result]);
    const events = (
      await env.DB.prepare("SELECT type, data FROM events WHERE partner_id = ?").bind(s.p.id).all<{
        type: string;
        data: string;
      }>()
    ).results;
    expect(events.map((e) => e.type)).toEqual(["card.attached"]);
    expect(JSON.parse(events[0]?.data ?? "{}").object).toMatchObject({
      id: confirmed.body.result.id,
      first6: pan.slice(0, 6),
      last4: pan.slice(-4),
    });
    expect(events[0]?.data).not.toContain(PHONE);
    expect(events[0]?.data).not.toContain(SANDBOX_FOUND_CARD.holderName);

    // Confirmed already: another confirm is 409 (60) and attaches nothing more.
    const again = await s.confirm(attachment.id, SANDBOX_SMS_CODE);
    expect(again.res.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 60 });
    expect(again.body.error.message).toBe("Cannot confirm a card_attachment whose status is attached");
    expect(await s.cards()).toHaveLength(1);
  });

  it("a wrong code is 63 with the attempts left; then 64, even for the right code", async () => {
    const s = await setup();
    const attachment = (await s.attach({ card_number: freshPan(), phone_number: PHONE })).body.result;
    for (const remaining of [2, 1, 0]) {
      const wrong = await s.confirm(attachment.id, "000000");
      expect(wrong.res.status).toBe(422);
      expect(wrong.body.error).toMatchObject({
        code: 63,
        message: `The SMS code is wrong; ${remaining} attempts left`,
      });
    }
    const spent = await s.confirm(attachment.id, SANDBOX_SMS_CODE);
    expect(spent.res.status).toBe(409);
    expect(spent.body.error).toMatchObject({ code: 64, reason: "sms_attempts_exhausted" });
    expect(await s.cards()).toEqual([]);
  });

  it("a right code after wrong ones still attaches", async () => {
    const s = await setup();
    const attachment = (await s.attach({ card_number: freshPan(), phone_number: PHONE })).body.result;
    expect((await s.confirm(attachment.id, "654321")).body.error.code).toBe(63);
    expect((await s.confirm(attachment.id, SANDBOX_SMS_CODE)).body.result.status).toBe("active");
  });

  it("an expired code is 1009; the card and phone number can then start again", async () => {
    const s = await setup();
    const pan = freshPan();
    const attachment = (await s.attach({ card_number: pan, phone_number: PHONE })).body.result;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse(attachment.expires_at) + 1000);
    const expired = await s.confirm(attachment.id, SANDBOX_SMS_CODE);
    expect(expired.res.status).toBe(410);
    expect(expired.body.error).toMatchObject({ code: 1009, message: "SMS code is already expired" });
    expect((await s.confirm(attachment.id, SANDBOX_SMS_CODE)).body.error.code).toBe(1009);
    const restarted = await s.attach({ card_number: pan, phone_number: PHONE });
    expect(restarted.res.status).toBe(200);
    vi.useRealTimers();
    expect((await s.confirm(restarted.body.result.id, SANDBOX_SMS_CODE)).res.status).toBe(200);
  });

  it("a second attach of the same card and phone number while the code is live is 1007, whoever asks", async () => {
    const s = await setup();
    const pan = freshPan();
    const first = await s.attach({ card_number: pan, phone_number: PHONE });
    expect(first.res.status).toBe(200);
    const second = await s.attach({ card_number: pan, phone_number: PHONE });
    expect(second.res.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 1007,
      message:
        "Previous SMS code for this request is not expired yet. Please confirm SMS code or wait till it expires",
    });
    const other = await setup();
    expect((await other.attach({ card_number: pan, phone_number: PHONE })).body.error.code).toBe(1007);
    // Spent on wrong codes, it still holds until it expires: no SMS flood.
    for (let i = 0; i < 3; i++) await s.confirm(first.body.result.id, "000000");
    expect((await s.attach({ card_number: pan, phone_number: PHONE })).body.error.code).toBe(1007);
    // Another phone number is another request.
    expect((await s.attach({ card_number: pan, phone_number: "+998907778899" })).res.status).toBe(200);
  });

  it("an unknown card is 1008, naming first 6 + last 4 only", async () => {
    const s = await setup();
    const r = await s.attach({ card_number: SANDBOX_CARD_NUMBERS.unknown, phone_number: PHONE });
    expect(r.res.status).toBe(404);
    expect(r.body.error).toMatchObject({
      code: 1008,
      message: "Card is not found by params: card_number=860000******1008",
    });
    expect(JSON.stringify(r.body)).not.toContain(SANDBOX_CARD_NUMBERS.unknown);
  });

  it("a card attached already is 1011: at the bank, or here by anyone", async () => {
    const s = await setup();
    const atBank = await s.attach({ card_number: SANDBOX_CARD_NUMBERS.alreadyAttached, phone_number: PHONE });
    expect(atBank.res.status).toBe(409);
    expect(atBank.body.error).toMatchObject({ code: 1011, message: "Card is already attached" });

    const pan = freshPan();
    const attachment = (await s.attach({ card_number: pan, phone_number: PHONE })).body.result;
    await s.confirm(attachment.id, SANDBOX_SMS_CODE);
    const other = await setup();
    const r = await other.attach({ card_number: pan, phone_number: "+998907778899" });
    expect(r.body.error.code).toBe(1011);
  });

  it("two partners racing for one card: the first confirm wins, the other is 1011", async () => {
    const a = await setup();
    const b = await setup();
    const pan = freshPan();
    const forA = (await a.attach({ card_number: pan, phone_number: PHONE })).body.result;
    const forB = (await b.attach({ card_number: pan, phone_number: "+998907778899" })).body.result;
    expect((await a.confirm(forA.id, SANDBOX_SMS_CODE)).res.status).toBe(200);
    const lost = await b.confirm(forB.id, SANDBOX_SMS_CODE);
    expect(lost.res.status).toBe(409);
    expect(lost.body.error.code).toBe(1011);
    expect(await b.cards()).toEqual([]);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM cards WHERE last4 = ? AND first6 = ?")
      .bind(pan.slice(-4), pan.slice(0, 6))
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });

  it("an SMS that cannot be sent is 1006 and holds no lock; a retry under the same key tries again", async () => {
    const s = await setup();
    const pan = freshPan();
    const key = crypto.randomUUID();
    const failed = await s.attach({ card_number: pan, phone_number: SANDBOX_PHONE_SMS_FAILS }, key);
    expect(failed.res.status).toBe(502);
    expect(failed.body.error).toMatchObject({
      code: 1006,
      message: "Service could not send SMS to attach card",
    });
    // Not stored for replay (a server error): the retry runs again, and fails again.
    const retried = await s.attach({ card_number: pan, phone_number: SANDBOX_PHONE_SMS_FAILS }, key);
    expect(retried.res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(retried.body.error.code).toBe(1006);
    const rows = await env.DB.prepare("SELECT status FROM card_attachments WHERE partner_id = ?")
      .bind(s.p.id)
      .all<{ status: string }>();
    expect(rows.results).toEqual([{ status: "failed" }]);
    // Nothing live: the same card with a working phone number goes through.
    expect((await s.attach({ card_number: pan, phone_number: PHONE })).res.status).toBe(200);
  });

  it("another partner's attachment, or an unknown one, is 404 (30) alike and spends no attempt", async () => {
    const owner = await setup();
    const attachment = (await owner.attach({ card_number: freshPan(), phone_number: PHONE })).body.result;
    const intruder = await setup();
    const foreign = await intruder.confirm(attachment.id, "000000");
    const unknown = await intruder.confirm(crypto.randomUUID(), "000000");
    for (const r of [foreign, unknown]) {
      expect(r.res.status).toBe(404);
      expect(r.body.error.code).toBe(30);
    }
    const confirmed = await owner.confirm(attachment.id, SANDBOX_SMS_CODE);
    expect(confirmed.res.status).toBe(200);
  });

  it("refuses bad input with the envelope; the card number never appears in an answer", async () => {
    const s = await setup();
    const pan = freshPan();
    const notLuhn = `${pan.slice(0, 15)}${(Number(pan.slice(-1)) + 1) % 10}`;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ card_number: notLuhn, phone_number: PHONE }, 4, "params.card_number"],
      [{ card_number: "8600 0000 0000 0000", phone_number: PHONE }, 4, "params.card_number"],
      [{ card_number: "12345", phone_number: PHONE }, 4, "params.card_number"],
      [{ card_number: Number(pan), phone_number: PHONE }, 3, "params.card_number"],
      [{ phone_number: PHONE }, 4, "params.card_number"],
      [{ card_number: pan }, 4, "params.phone_number"],
      [{ card_number: pan, phone_number: "998901112233" }, 4, "params.phone_number"],
    ];
    for (const [params, code, field] of cases) {
      const r = await s.attach(params);
      expect(r.res.status, JSON.stringify(params)).toBe(400);
      expect(r.body.error, JSON.stringify(params)).toMatchObject({ code, field });
      expect(JSON.stringify(r.body)).not.toContain(notLuhn);
      expect(JSON.stringify(r.body)).not.toContain(pan);
    }
    const attachment = (await s.attach({ card_number: pan, phone_number: PHONE })).body.result;
    const confirmCases: [Record<string, unknown>, number, string][] = [
      [{ attachment_id: attachment.id, code: "12345" }, 4, "params.code"],
      [{ attachment_id: attachment.id, code: 123456 }, 3, "params.code"],
      [{ attachment_id: "att_1", code: "123456" }, 4, "params.attachment_id"],
      [{ code: "123456" }, 4, "params.attachment_id"],
    ];
    for (const [params, code, field] of confirmCases) {
      const r = await call("POST", "/v1/cards/attach/confirm", { token: s.token, json: { params } });
      expect(r.res.status, JSON.stringify(params)).toBe(400);
      expect(r.body.error, JSON.stringify(params)).toMatchObject({ code, field });
    }
    // Refused requests spend no attempt.
    expect((await s.confirm(attachment.id, "000000")).body.error.message).toContain("2 attempts left");
    const malformed = await call("POST", "/v1/cards/attach", {
      token: s.token,
      body: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(malformed.body.error.code).toBe(2);
    for (const path of ["/v1/cards/attach", "/v1/cards/attach/confirm"]) {
      const wrongMethod = await call("PUT", path, { token: s.token, json: { params: {} } });
      expect(wrongMethod.res.status).toBe(405);
      expect(wrongMethod.body.error.code).toBe(5);
    }
    expect(await s.cards()).toEqual([]);
  });
});
