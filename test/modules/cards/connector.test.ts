import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { cardSystemFor } from "../../../src/modules/cards/connector";
import { HttpCardSystem } from "../../../src/modules/cards/connector/http";
import { SandboxCardSystem } from "../../../src/modules/cards/connector/sandbox";
import type { CardOrder } from "../../../src/modules/cards/connector/types";
import { loadConfig } from "../../../src/platform/env";
import { ApiError } from "../../../src/platform/errors";
import { CircuitBreaker, HttpUpstream } from "../../../src/platform/upstream";
import { CARD_APPLICANT } from "../../support/applicants";
import { fetchWithEnv, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import { refusal } from "../../support/upstream";
import { receiver } from "../../support/webhooks";

// The card system's HTTP connector against the real local HTTP server of the test set-up.

const PAN = "8600008000004242";
const order: CardOrder = {
  applicationId: "01900000-0000-7000-8000-000000000001",
  type: "virtual",
  currency: "UZS",
  applicant: { ...CARD_APPLICANT, address: null },
};
const wireCard = {
  card_id: "bank-card-77",
  masked_pan: "860049******1234",
  holder_name: "ALISHER KARIMOV",
  expiry_month: 9,
  expiry_year: 2030,
};
const ok = (result: unknown) => JSON.stringify({ id: crypto.randomUUID(), result, error: null });
const failure = (code: number) =>
  JSON.stringify({
    id: crypto.randomUUID(),
    result: null,
    error: { code, message: "Alisher Karimov +998901234567" },
  });

function connect(server: { url: string }, breaker = new CircuitBreaker(3, 60_000)) {
  // The system's base URL ends with "/": the connector's paths are relative to it.
  const upstream = new HttpUpstream(
    { system: "cards", baseUrl: `${server.url}/`, retries: 2, backoffMs: 10, timeoutMs: 1000 },
    breaker,
  );
  return new HttpCardSystem(upstream);
}

describe("HttpCardSystem", () => {
  it("maps the bank's answers to the domain: an order, a card found, an SMS sent", async () => {
    const server = receiver();
    await server.script({
      body: ok({ application_id: "bank-order-1", status: "completed", card: wireCard }),
    });
    expect(await connect(server).orderCard(order)).toEqual({
      status: "completed",
      reference: "bank-order-1",
      card: {
        reference: "bank-card-77",
        first6: "860049",
        last4: "1234",
        holderName: "ALISHER KARIMOV",
        expiryMonth: 9,
        expiryYear: 2030,
      },
    });
    const [sent] = await server.received();
    // The order carries the application id as the bank's request id (its idempotency key).
    expect(JSON.parse(sent?.body ?? "{}")).toEqual({
      id: order.applicationId,
      params: { type: "virtual", currency: "UZS", applicant: order.applicant },
    });

    const found = receiver();
    await found.script({ body: ok({ ...wireCard, attached: false }) });
    expect(await connect(found).findCard(PAN)).toMatchObject({
      reference: "bank-card-77",
      first6: "860049",
      last4: "1234",
      attached: false,
    });
    const [lookup] = await found.received();
    expect(JSON.parse(lookup?.body ?? "{}").params).toEqual({ card_number: PAN });

    const sms = receiver();
    await sms.script({ body: ok({ sent: true }) });
    expect(
      await connect(sms).sendAttachCode({
        cardReference: "bank-card-77",
        phoneNumber: "+998901234567",
        code: "123456",
      }),
    ).toBe(true);
  });

  it("maps the bank's business errors: 1001 in progress, 1008 no card, 1011 attached, 1006 no SMS", async () => {
    const inProgress = receiver();
    await inProgress.script({ body: failure(1001) });
    expect(
      await connect(inProgress).orderStatus({ ...order, reference: "bank-order-1", submittedAt: 0 }),
    ).toEqual({
      status: "in_progress",
      reference: "bank-order-1",
    });
    const unknown = receiver();
    await unknown.script({ body: failure(1008) });
    expect(await connect(unknown).findCard(PAN)).toBeUndefined();
    const attached = receiver();
    await attached.script({ body: failure(1011) });
    expect((await refusal(connect(attached).findCard(PAN))).code).toBe(1011);
    const noSms = receiver();
    await noSms.script({ body: failure(1006) });
    const sent = await connect(noSms).sendAttachCode({
      cardReference: "c",
      phoneNumber: "+998901234567",
      code: "1",
    });
    expect(sent).toBe(false);
    // Any other business error is a failed call, without the bank's message (it may carry personal data).
    const other = receiver();
    await other.script({ body: failure(1003) });
    const err = await refusal(connect(other).block({ cardReference: "c", reason: "lost" }));
    expect([err.code, err.status]).toEqual([1005, 502]);
    expect(err.message).toContain("error code 1003");
    expect(err.message).not.toContain("Alisher");
  });

  it("refuses an answer with a full card number rather than keep it", async () => {
    const server = receiver();
    await server.script({ body: ok({ ...wireCard, masked_pan: PAN, attached: false }) });
    const err = await refusal(connect(server).findCard(PAN));
    expect(err.code).toBe(1005);
    expect(err.message).not.toContain(PAN);
  });

  it("retries 503 twice, then succeeds", async () => {
    const server = receiver();
    await server.script({ fail: 2, status: 503, body: ok({ sent: true }) });
    const sent = await connect(server).sendAttachCode({
      cardReference: "c",
      phoneNumber: "+998901234567",
      code: "1",
    });
    expect(sent).toBe(true);
    expect((await server.received()).map((r) => r.answered)).toEqual([503, 503, 200]);
  });

  it("a 400 is 1005 at once, not retried", async () => {
    const server = receiver();
    await server.script({ fail: 5, status: 400 });
    const err = await refusal(connect(server).orderCard(order));
    expect([err.code, err.status]).toEqual([1005, 502]);
    expect(err.message).toContain("Response code: 400");
    expect((await server.received()).length).toBe(1);
  });

  it("an empty answer is 1004: no body, null, or an envelope without result or error", async () => {
    for (const body of ["", "null", JSON.stringify({ id: "x", result: null, error: null })]) {
      const server = receiver();
      await server.script({ body });
      expect((await refusal(connect(server).findCard(PAN))).code, body).toBe(1004);
    }
  });

  it("three failed calls open the breaker: the next answers 91 without reaching the bank", async () => {
    const server = receiver();
    await server.script({ fail: 100, status: 500 });
    const breaker = new CircuitBreaker(3, 60_000);
    for (let i = 0; i < 3; i++)
      expect((await refusal(connect(server, breaker).findCard(PAN))).code).toBe(1005);
    const sent = (await server.received()).length;
    const open = await refusal(connect(server, breaker).findCard(PAN));
    expect([open.code, open.status]).toEqual([91, 503]);
    expect((await server.received()).length).toBe(sent);
  });
});

describe("cardSystemFor", () => {
  it("the sandbox simulator by default, the bank over HTTP when configured; production never simulates", () => {
    const config = loadConfig(env);
    expect(cardSystemFor(config)).toBeInstanceOf(SandboxCardSystem);
    const configured = { ...config, UPSTREAM_URLS: { cards: "https://cards.bank.example/api/" } };
    expect(cardSystemFor(configured)).toBeInstanceOf(HttpCardSystem);
    expect(cardSystemFor({ ...configured, ENVIRONMENT: "production" })).toBeInstanceOf(HttpCardSystem);
    expect(() => cardSystemFor({ ...config, ENVIRONMENT: "production" })).toThrow(ApiError);
  });

  it("with the bank's card system configured, an order goes to it and its card is kept as first 6 + last 4", async () => {
    const server = receiver();
    await server.script({
      body: ok({ application_id: "bank-order-9", status: "completed", card: wireCard }),
    });
    const p = await provisionPartner({ dataAccess: ["name"] });
    const app = createApp();
    const r = await fetchWithEnv(
      app,
      { UPSTREAM_URLS: JSON.stringify({ cards: `${server.url}/` }) },
      "/v1/cards/applications",
      {
        method: "POST",
        headers: {
          Authorization: `Bearer ${await tokenFor(p)}`,
          "Content-Type": "application/json",
          "Idempotency-Key": crypto.randomUUID(),
        },
        body: JSON.stringify({ params: { type: "virtual", currency: "UZS", applicant: order.applicant } }),
      },
    );
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({
      status: "completed",
      card: { first6: "860049", last4: "1234", holder_name: "ALISHER KARIMOV", expiry_month: null },
    });
    const [sent] = await server.received();
    expect(JSON.parse(sent?.body ?? "{}").id).toBe(r.body.result.id);
    const simulate = await fetchWithEnv(
      app,
      { UPSTREAM_URLS: JSON.stringify({ cards: `${server.url}/` }) },
      `/v1/sandbox/cards/applications/${r.body.result.id}/simulate`,
      {
        method: "POST",
        headers: { Authorization: `Bearer ${await tokenFor(p)}`, "Idempotency-Key": crypto.randomUUID() },
      },
    );
    // No simulator to press when the bank's card system is connected.
    expect(simulate.res.status).toBe(404);
    expect(simulate.body.error.code).toBe(31);
  });
});
