import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SANDBOX_SMS_CODE } from "../../../src/modules/cards/connector/sandbox";
import { MAX_BODY_BYTES } from "../../../src/modules/usage/model";
import { freshPan } from "../../support/applicants";
import { basic } from "../../support/http";
import { receiver } from "../../support/webhooks";
import { partnerWithToken, rowOf, rowsOf, rowsOfRequest, type StoredRow, send } from "./support";

// The sandbox keeps the bodies, minimised exactly as the API answers and with every secret, token,
// card number, one-time code and unlicensed personal field taken out: in D1 and in the API's answer.

const PHONE = "+998901112233";

/** The stored row and the API's detail of it, both as text: what must never hold a secret. */
async function everywhere(row: StoredRow, token: string) {
  const detail = await send("GET", `/v1/requests/${row.id}`, { token });
  expect(detail.res.status).toBe(200);
  return { detail: detail.body.result, text: `${JSON.stringify(row)}\n${JSON.stringify(detail.body)}` };
}

const json = (text: string | null) => JSON.parse(text ?? "null");

describe("the sandbox keeps bodies, redacted", () => {
  it("a card number and an SMS code never; the phone masked as the unlicensed answer masks it", async () => {
    const { token } = await partnerWithToken({ dataAccess: [] });
    const pan = freshPan();
    const attach = await send("POST", "/v1/cards/attach", {
      token,
      json: { params: { card_number: pan, phone_number: PHONE } },
    });
    expect(attach.res.status).toBe(200);
    const row = await rowOf(attach.res);
    expect(json(row.request_body)).toEqual({
      params: { card_number: "[REDACTED]", phone_number: `${"*".repeat(PHONE.length - 2)}33` },
    });
    // The answer as it was sent: masked by the minimisation layer, first 6 and last 4 only.
    expect(json(row.response_body)).toEqual(attach.body);
    expect(attach.body.result.phone_number).toBe(`${"*".repeat(PHONE.length - 2)}33`);
    const seen = await everywhere(row, token);
    expect(seen.detail).toMatchObject({
      id: row.id,
      object: "request_log_entry",
      request_body: row.request_body,
      request_body_truncated: false,
      response_body: row.response_body,
      response_body_truncated: false,
    });
    expect(seen.text).not.toContain(pan);
    expect(seen.text).not.toContain(PHONE);
    expect(seen.text).not.toContain("998901112233");

    const confirm = await send("POST", "/v1/cards/attach/confirm", {
      token,
      json: { params: { attachment_id: attach.body.result.id, code: SANDBOX_SMS_CODE } },
    });
    expect(confirm.res.status).toBe(200);
    const confirmed = await rowOf(confirm.res);
    expect(json(confirmed.request_body).params).toEqual({
      attachment_id: attach.body.result.id,
      code: "[REDACTED]",
    });
    expect(JSON.stringify(confirmed)).not.toContain(pan);
  });

  it("a licensed personal field is kept as answered; a card number inside free text is replaced", async () => {
    const { token } = await partnerWithToken({ dataAccess: ["phone"] });
    const pan = freshPan();
    const attach = await send("POST", "/v1/cards/attach", {
      token,
      json: { params: { card_number: pan, phone_number: PHONE } },
    });
    const row = await rowOf(attach.res);
    expect(json(row.request_body).params.phone_number).toBe(PHONE);
    expect(json(row.response_body).result.phone_number).toBe(PHONE);

    const paid = await send("POST", "/v1/payments", {
      token,
      json: {
        params: {
          amount: 1000,
          currency: "UZS",
          payment_method_token: "pm_card_visa",
          metadata: { note: `card ${pan} paid` },
        },
      },
    });
    expect(paid.res.status).toBe(200);
    // The API answers the metadata as sent; the log keeps neither the number nor the token.
    expect(paid.body.result.metadata.note).toContain(pan);
    const payment = await rowOf(paid.res);
    expect(json(payment.request_body).params).toMatchObject({
      payment_method_token: "[REDACTED]",
      metadata: { note: "card [REDACTED-PAN] paid" },
    });
    expect(json(payment.response_body).result.metadata.note).toBe("card [REDACTED-PAN] paid");
    expect((await everywhere(payment, token)).text).not.toContain(pan);
  });

  it("a webhook secret and a consumer secret, shown once, are never kept", async () => {
    const { token } = await partnerWithToken();
    const endpoint = await send("POST", "/v1/webhook_endpoints", {
      token,
      json: { params: { url: receiver().url, events: ["endpoint.disabled"] } },
    });
    expect(endpoint.res.status).toBe(200);
    const secret: string = endpoint.body.result.secret;
    expect(secret).toMatch(/^whsec_/);
    const row = await rowOf(endpoint.res);
    expect(json(row.response_body).result).toMatchObject({
      id: endpoint.body.result.id,
      secret: "[REDACTED]",
    });
    expect((await everywhere(row, token)).text).not.toContain(secret.slice(6));

    const credential = await send("POST", "/v1/partner/credentials", {
      token,
      json: { params: { description: "billing" } },
    });
    expect(credential.res.status).toBe(201);
    const consumerSecret: string = credential.body.result.consumer_secret;
    expect(consumerSecret.length).toBeGreaterThan(10);
    const made = await rowOf(credential.res);
    expect(json(made.response_body).result).toMatchObject({
      consumer_key: credential.body.result.consumer_key,
      consumer_secret: "[REDACTED]",
    });
    expect((await everywhere(made, token)).text).not.toContain(consumerSecret);
  });

  it("the password grant is not a /v1 call: nothing of it, nor any token, is kept", async () => {
    const { partner, token } = await partnerWithToken();
    const requestId = `password-${partner.id}`;
    const granted = await send("POST", "/oauth2/token", {
      headers: {
        Authorization: basic(partner.consumerKey, partner.consumerSecret),
        "X-Request-Id": requestId,
      },
      json: { grant_type: "password", username: partner.username, password: partner.password },
    });
    expect(granted.res.status).toBe(200);
    expect(await rowsOfRequest(requestId)).toEqual([]);
    const used = await send("GET", "/v1/partner", { token: granted.body.access_token });
    expect(used.res.status).toBe(200);
    const stored = JSON.stringify(await rowsOf(partner.id));
    expect(stored).toContain(partner.id);
    for (const secret of [partner.password, partner.consumerSecret, granted.body.access_token, token])
      expect(stored).not.toContain(secret);
  });

  it("a body past the cap is cut at a character and marked; text that is not JSON is not kept", async () => {
    const { token } = await partnerWithToken();
    const big = await send("POST", "/v1/fx/quotes", {
      token,
      json: {
        params: { sell_currency: "XXX", buy_currency: "USD", buy_amount: 1, note: "ü".repeat(20_000) },
      },
    });
    expect(big.res.status).toBe(400);
    const row = await rowOf(big.res);
    expect(row.request_body_truncated).toBe(1);
    const kept = row.request_body ?? "";
    expect(new TextEncoder().encode(kept).length).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(new TextEncoder().encode(kept).length).toBeGreaterThan(MAX_BODY_BYTES - 4);
    expect(kept.startsWith('{"params":{"sell_currency":"XXX"')).toBe(true);
    expect(kept).not.toContain("\uFFFD");
    expect(row.response_body_truncated).toBe(0);
    expect(json(row.response_body).error).toMatchObject({ code: 4, field: "params.sell_currency" });

    const broken = await send("POST", "/v1/fx/quotes", {
      token,
      body: '{"params": {"card_number": "4111111111111111"',
      headers: { "Content-Type": "application/json" },
    });
    const refused = await rowOf(broken.res);
    expect(refused).toMatchObject({ status: 400, error_code: 2, request_body: null });
    expect(json(refused.response_body).error.code).toBe(2);
  });

  it("the log's own reads are recorded without bodies and listed only when asked for", async () => {
    const { partner, token } = await partnerWithToken();
    await send("GET", "/v1/partner", { token });
    const list = await send("GET", "/v1/requests", { token });
    expect(list.res.status).toBe(200);
    expect(list.body.result.data.map((r: { route: string }) => r.route)).toEqual(["/v1/partner"]);
    const usage = await send("GET", "/v1/usage", { token });
    expect(usage.res.status).toBe(200);
    const reads = (await rowsOf(partner.id)).filter((r) => r.product === "usage");
    expect(reads.map((r) => [r.route, r.request_body, r.response_body])).toEqual([
      ["/v1/requests", null, null],
      ["/v1/usage", null, null],
    ]);
    const asked = await send("GET", "/v1/requests?product=usage", { token });
    expect(asked.body.result.data.map((r: { route: string }) => r.route)).toEqual([
      "/v1/usage",
      "/v1/requests",
    ]);
    const byRoute = await send("GET", "/v1/requests?route=/v1/usage", { token });
    expect(byRoute.body.result.data.map((r: { route: string }) => r.route)).toEqual(["/v1/usage"]);
    // The whole table holds nothing of the partner's secrets either way.
    const count = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM request_log WHERE partner_id = ?1 AND (instr(request_body, ?2) > 0 OR instr(response_body, ?2) > 0)",
    )
      .bind(partner.id, partner.consumerSecret)
      .first<{ n: number }>();
    expect(count?.n).toBe(0);
  });
});
