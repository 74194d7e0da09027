import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../../src/app";
import {
  SANDBOX_ISSUER_BINS,
  SANDBOX_PHYSICAL_ISSUE_SECONDS,
} from "../../../src/modules/cards/connector/sandbox";
import type { Env } from "../../../src/platform/env";
import { CARD_APPLICANT } from "../../support/applicants";
import { call, fetchWithEnv, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";

const applicant = CARD_APPLICANT;
const virtual = { type: "virtual", currency: "UZS", applicant };
const physical = {
  type: "physical",
  currency: "USD",
  applicant: { ...applicant, address: "Tashkent, Amir Temur 1" },
};

async function setup() {
  const p = await provisionPartner({
    dataAccess: ["name", "phone", "documents", "birth_date", "address", "card_details"],
  });
  const token = await tokenFor(p);
  const order = (params: Record<string, unknown>, key: string = crypto.randomUUID()) =>
    call("POST", "/v1/cards/applications", { token, json: { params }, headers: { "Idempotency-Key": key } });
  const get = (id: string) => call("GET", `/v1/cards/applications/${id}`, { token });
  const simulate = (id: string) => call("POST", `/v1/sandbox/cards/applications/${id}/simulate`, { token });
  const eventsOf = async (id: string) =>
    (
      await env.DB.prepare("SELECT type, data FROM events WHERE partner_id = ? AND data LIKE ? ORDER BY id")
        .bind(p.id, `%${id}%`)
        .all<{ type: string; data: string }>()
    ).results;
  return { p, token, order, get, simulate, eventsOf };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("POST /v1/cards/applications", () => {
  it("a virtual card is issued at once: completed, with its card (first 6 + last 4 only) and both events", async () => {
    const s = await setup();
    const r = await s.order({ ...virtual, metadata: { customer: "c-17" } });
    expect(r.res.status).toBe(200);
    const app = r.body.result;
    expect(app).toMatchObject({
      object: "card_application",
      type: "virtual",
      currency: "UZS",
      status: "completed",
      applicant: { ...applicant, address: null },
      metadata: { customer: "c-17" },
      livemode: false,
      card: {
        object: "card",
        origin: "issued",
        type: "virtual",
        currency: "UZS",
        first6: SANDBOX_ISSUER_BINS.UZS,
        holder_name: "ALISHER KARIMOV",
        phone_number: applicant.phone_number,
        status: "active",
        application_id: app.id,
        blocked_at: null,
      },
    });
    expect(app.card.last4).toMatch(/^\d{4}$/);
    const now = new Date();
    expect(app.card.expiry_month).toBe(now.getUTCMonth() + 1);
    expect(app.card.expiry_year).toBe(now.getUTCFullYear() + 4);
    expect(app.completed_at).not.toBeNull();

    // GET answers the same application; the card is one of the partner's cards.
    const got = await s.get(app.id);
    expect(got.body.result).toEqual(app);
    const card = await call("GET", `/v1/cards/${app.card.id}`, { token: s.token });
    expect(card.body.result).toEqual(app.card);

    const events = await s.eventsOf(app.id);
    expect(events.map((e) => e.type)).toEqual(["card_application.created", "card_application.completed"]);
    const created = JSON.parse(events[0]?.data ?? "{}").object;
    expect(created).toMatchObject({ id: app.id, status: "in_progress", card_id: null });
    const completed = JSON.parse(events[1]?.data ?? "{}").object;
    expect(completed).toMatchObject({ id: app.id, status: "completed", card_id: app.card.id });
    // Webhook payloads carry no personal data.
    for (const e of events) {
      for (const value of Object.values(applicant)) expect(e.data).not.toContain(value);
      expect(e.data).not.toContain("ALISHER");
    }
  });

  it("a physical card is in progress: GET answers 1001 until the simulate call issues it", async () => {
    const s = await setup();
    const created = await s.order(physical);
    expect(created.res.status).toBe(200);
    const app = created.body.result;
    expect(app).toMatchObject({ status: "in_progress", card: null, completed_at: null });
    expect(app.applicant.address).toBe(physical.applicant.address);

    const pending = await s.get(app.id);
    expect(pending.res.status).toBe(409);
    expect(pending.body).toMatchObject({
      result: null,
      error: { code: 1001, message: "Application is in progress", reason: "application_in_progress" },
    });
    expect((await s.eventsOf(app.id)).map((e) => e.type)).toEqual(["card_application.created"]);

    const simulated = await s.simulate(app.id);
    expect(simulated.res.status).toBe(200);
    expect(simulated.body.result).toMatchObject({
      id: app.id,
      status: "completed",
      card: { first6: SANDBOX_ISSUER_BINS.USD, type: "physical", currency: "USD", status: "active" },
    });
    expect((await s.get(app.id)).body.result).toEqual(simulated.body.result);
    expect((await s.eventsOf(app.id)).map((e) => e.type)).toEqual([
      "card_application.created",
      "card_application.completed",
    ]);

    // Issued once: simulating again is 409, code 60.
    const again = await s.simulate(app.id);
    expect(again.res.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 60 });
    expect(again.body.error.message).toBe("Cannot simulate a card_application whose status is completed");
    const count = await env.DB.prepare("SELECT count(*) AS n FROM cards WHERE application_id = ?")
      .bind(app.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it("a physical card is issued by itself once its production time has passed", async () => {
    const s = await setup();
    const app = (await s.order(physical)).body.result;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + (SANDBOX_PHYSICAL_ISSUE_SECONDS - 10) * 1000);
    expect((await s.get(app.id)).body.error.code).toBe(1001);
    vi.setSystemTime(Date.now() + 20_000);
    const done = await s.get(app.id);
    expect(done.res.status).toBe(200);
    expect(done.body.result).toMatchObject({ status: "completed", card: { status: "active" } });
    vi.useRealTimers();
    expect((await s.eventsOf(app.id)).map((e) => e.type)).toEqual([
      "card_application.created",
      "card_application.completed",
    ]);
  });

  it("the same Idempotency-Key answers the same application: one order, one card", async () => {
    const s = await setup();
    const key = crypto.randomUUID();
    const first = await s.order(virtual, key);
    const second = await s.order(virtual, key);
    expect(second.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(second.body.result).toEqual(first.body.result);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM card_applications WHERE partner_id = ?")
      .bind(s.p.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });

  it("an unknown application and another partner's are 404, code 1000, alike", async () => {
    const owner = await setup();
    const app = (await owner.order(virtual)).body.result;
    const intruder = await setup();
    for (const r of [await intruder.get(app.id), await intruder.get(crypto.randomUUID())]) {
      expect(r.res.status).toBe(404);
      expect(r.body).toMatchObject({ result: null, error: { code: 1000, message: "Application not found" } });
    }
    for (const r of [await intruder.simulate(app.id), await intruder.simulate(crypto.randomUUID())]) {
      expect(r.res.status).toBe(404);
      expect(r.body.error.code).toBe(1000);
    }
    // Nothing changed for the owner.
    expect((await owner.get(app.id)).body.result).toEqual(app);
  });

  it("refuses bad input with the envelope and stores nothing", async () => {
    const s = await setup();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...virtual, type: "plastic" }, 4, "params.type"],
      [{ ...virtual, type: 1 }, 3, "params.type"],
      [{ ...virtual, currency: "JPY" }, 4, "params.currency"],
      [{ type: "virtual", currency: "UZS" }, 4, "params.applicant"],
      [{ ...virtual, applicant: { ...applicant, full_name: undefined } }, 4, "params.applicant.full_name"],
      [{ ...virtual, applicant: { ...applicant, full_name: 42 } }, 3, "params.applicant.full_name"],
      [
        { ...virtual, applicant: { ...applicant, phone_number: "90123" } },
        4,
        "params.applicant.phone_number",
      ],
      [
        { ...virtual, applicant: { ...applicant, birth_date: "17.05.1990" } },
        4,
        "params.applicant.birth_date",
      ],
      [
        { ...virtual, applicant: { ...applicant, birth_date: "2999-01-01" } },
        4,
        "params.applicant.birth_date",
      ],
      [
        { ...virtual, applicant: { ...applicant, document_number: "ab 12" } },
        4,
        "params.applicant.document_number",
      ],
      [{ ...physical, applicant }, 4, "params.applicant.address"],
      [{ ...virtual, metadata: { k: 1 } }, 3, "params.metadata.k"],
    ];
    for (const [params, code, field] of cases) {
      const r = await s.order(params);
      expect(r.res.status, JSON.stringify(params)).toBe(400);
      expect(r.body.result).toBeNull();
      expect(r.body.error, JSON.stringify(params)).toMatchObject({ code, field });
      // A validation message never echoes the personal value it refused.
      expect(r.body.error.message).not.toContain("90123");
    }
    const malformed = await call("POST", "/v1/cards/applications", {
      token: s.token,
      body: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(malformed.body.error.code).toBe(2);
    const wrongMethod = await call("DELETE", "/v1/cards/applications", { token: s.token });
    expect(wrongMethod.res.status).toBe(405);
    expect(wrongMethod.body.error.code).toBe(5);
    const notUuid = await s.get("app_123");
    expect(notUuid.res.status).toBe(400);
    expect(notUuid.body.error).toMatchObject({ code: 4, field: "id" });
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM card_applications WHERE partner_id = ?")
      .bind(s.p.id)
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });

  it("the simulate call does not exist in production", async () => {
    const production: Partial<Env> = { ENVIRONMENT: "production", WEBHOOK_ALLOW_LOOPBACK: "false" };
    const r = await fetchWithEnv(
      createApp(),
      production,
      `/v1/sandbox/cards/applications/${crypto.randomUUID()}/simulate`,
      { method: "POST" },
    );
    expect(r.res.status).toBe(404);
    expect(r.body.error.code).toBe(31);
  });
});
