import { describe, expect, it } from "vitest";
import { freshPan } from "../../support/applicants";
import { provisionPartner } from "../../support/partners";
import { PRODUCTION, rowOf, rowsOf, send, tokenWith } from "./support";

// Production keeps the metadata of every request, never a body.

describe("the request log in production", () => {
  it("keeps metadata only, successes and refusals alike, and shows them as livemode", async () => {
    const partner = await provisionPartner({ environment: "production" });
    const token = await tokenWith(partner, PRODUCTION);
    const key = crypto.randomUUID();
    const paid = await send("POST", "/v1/payments", {
      env: PRODUCTION,
      token,
      json: { params: { amount: 1000, currency: "UZS", payment_method_token: "pm_card_visa" } },
      headers: { "Idempotency-Key": key },
    });
    const pan = freshPan();
    const attach = await send("POST", "/v1/cards/attach", {
      env: PRODUCTION,
      token,
      json: { params: { card_number: pan, phone_number: "12" } },
    });
    expect(attach.res.status).toBe(400);

    const [payment, refused] = [await rowOf(paid.res), await rowOf(attach.res)];
    expect(payment).toMatchObject({
      partner_id: partner.id,
      route: "/v1/payments",
      product: "payments",
      status: paid.res.status,
      idempotency_key: key,
      request_body: null,
      request_body_truncated: 0,
      response_body: null,
      response_body_truncated: 0,
    });
    expect(refused).toMatchObject({
      route: "/v1/cards/attach",
      status: 400,
      error_code: 4,
      request_body: null,
      response_body: null,
    });
    expect(JSON.stringify(await rowsOf(partner.id))).not.toContain(pan);

    const detail = await send("GET", `/v1/requests/${refused.id}`, { env: PRODUCTION, token });
    expect(detail.res.status).toBe(200);
    expect(detail.body.result).toMatchObject({
      id: refused.id,
      status: 400,
      error_code: 4,
      livemode: true,
      request_body: null,
      request_body_truncated: false,
      response_body: null,
      response_body_truncated: false,
    });
    const list = await send("GET", "/v1/requests", { env: PRODUCTION, token });
    expect(list.body.result.data.map((r: { id: string }) => r.id)).toEqual([refused.id, payment.id]);
    expect(list.body.result.data.every((r: { livemode: boolean }) => r.livemode)).toBe(true);
  });
});
