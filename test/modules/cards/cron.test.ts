import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SANDBOX_PHYSICAL_ISSUE_SECONDS } from "../../../src/modules/cards/connector/sandbox";
import { applicationsInProduction } from "../../../src/modules/cards/storage";
import { CARD_APPLICANT } from "../../support/applicants";
import { clockAt, cronJob, runCron, runJob } from "../../support/cron";
import { call, tokenFor } from "../../support/http";
import { countingQueue } from "../../support/outbox";
import { db, provisionPartner } from "../../support/partners";

// The cron's follow-up of card orders in production: it asks the card system where each stands
// and completes the issued ones (the card recorded, card_application.completed published)
// without waiting for a read, once, bounded per run.

const JOB = "card_applications.follow_up";
const PRODUCED_MS = SANDBOX_PHYSICAL_ISSUE_SECONDS * 1000 + 1_000;
const PHYSICAL = {
  type: "physical",
  currency: "USD",
  applicant: { ...CARD_APPLICANT, address: "Tashkent, Amir Temur 1" },
};

async function setup() {
  const p = await provisionPartner({ dataAccess: ["name", "card_details"] });
  let token = await tokenFor(p);
  return {
    p,
    order: async () =>
      (await call("POST", "/v1/cards/applications", { token, json: { params: PHYSICAL } })).body.result as {
        id: string;
        status: string;
      },
    get: (id: string) => call("GET", `/v1/cards/applications/${id}`, { token }),
    cards: async () => (await call("GET", "/v1/cards", { token })).body.result.data,
    async later(ms: number) {
      clockAt(Date.now() + ms);
      token = await tokenFor(p);
    },
  };
}

const stored = (id: string) =>
  env.DB.prepare("SELECT status, completed_at FROM card_applications WHERE id = ?")
    .bind(id)
    .first<{ status: string; completed_at: string | null }>();

const cardsOf = async (applicationId: string) =>
  (
    await env.DB.prepare("SELECT id, status FROM cards WHERE application_id = ?")
      .bind(applicationId)
      .all<{ id: string; status: string }>()
  ).results;

const eventsOf = async (applicationId: string) =>
  (
    await env.DB.prepare("SELECT id, type, enqueued_at, data FROM events WHERE data LIKE ? ORDER BY id")
      .bind(`%${applicationId}%`)
      .all<{ id: string; type: string; enqueued_at: string | null; data: string }>()
  ).results.map((e) => ({
    id: e.id,
    type: e.type,
    sent: e.enqueued_at !== null,
    object: JSON.parse(e.data).object,
  }));

const typesOf = async (id: string) => (await eventsOf(id)).map((e) => e.type);

afterEach(() => {
  vi.useRealTimers();
});

describe("the cron follows up card orders in production", () => {
  it("completes an order the card system has issued: the card recorded, card_application.completed sent", async () => {
    const s = await setup();
    const app = await s.order();
    expect(app.status).toBe("in_progress");

    await runCron();
    expect(await stored(app.id)).toEqual({ status: "in_progress", completed_at: null });
    expect(await cardsOf(app.id)).toEqual([]);

    await s.later(PRODUCED_MS);
    await runCron();
    expect(await stored(app.id)).toEqual({ status: "completed", completed_at: expect.any(String) });
    const [card, ...moreCards] = await cardsOf(app.id);
    expect(moreCards).toEqual([]);
    expect(card?.status).toBe("active");
    const [created, completed, ...more] = await eventsOf(app.id);
    expect(more).toEqual([]);
    expect(created?.type).toBe("card_application.created");
    expect(completed).toMatchObject({
      type: "card_application.completed",
      sent: true,
      object: { id: app.id, status: "completed", card_id: card?.id },
    });

    // The card is listed, and the application retrieved, without any read having completed it.
    expect((await s.cards()).map((c: { id: string }) => c.id)).toEqual([card?.id]);
    expect((await s.get(app.id)).body.result).toMatchObject({ status: "completed", card: { id: card?.id } });

    const next = countingQueue();
    await runCron({ EVENTS_QUEUE: next.queue });
    expect(next.timesSent(completed?.id ?? "")).toBe(0);
    expect(await typesOf(app.id)).toEqual(["card_application.created", "card_application.completed"]);
    expect(await cardsOf(app.id)).toEqual([card]);
  });

  it("completes once when retrieves race the cron: one card, one event", async () => {
    const s = await setup();
    const apps = [await s.order(), await s.order(), await s.order()];
    await s.later(PRODUCED_MS);
    await Promise.all([runCron(), runCron(), ...apps.flatMap((a) => [s.get(a.id), s.get(a.id)])]);
    for (const a of apps) {
      expect((await stored(a.id))?.status).toBe("completed");
      expect(await cardsOf(a.id)).toHaveLength(1);
      expect(await typesOf(a.id)).toEqual(["card_application.created", "card_application.completed"]);
    }
  });

  it("follows up at most its limit per run, the oldest order first; the rest on the next runs", async () => {
    const s = await setup();
    const [first, second, third] = [await s.order(), await s.order(), await s.order()];
    await s.later(PRODUCED_MS);
    expect((await applicationsInProduction(db, 10)).map((r) => r.id)).toEqual([
      first?.id,
      second?.id,
      third?.id,
    ]);

    await runJob(JOB, 2);
    expect((await stored(first?.id ?? ""))?.status).toBe("completed");
    expect((await stored(second?.id ?? ""))?.status).toBe("completed");
    expect((await stored(third?.id ?? ""))?.status).toBe("in_progress");
    expect(await cardsOf(third?.id ?? "")).toEqual([]);

    await runJob(JOB, 2);
    expect((await stored(third?.id ?? ""))?.status).toBe("completed");
    await runJob(JOB, 2);
    for (const a of [first, second, third]) expect(await cardsOf(a?.id ?? "")).toHaveLength(1);
  });

  it("asks nothing while cards are switched off", async () => {
    const s = await setup();
    const app = await s.order();
    await s.later(PRODUCED_MS);
    await runCron({ PRODUCTS_DISABLED: "cards" });
    expect((await stored(app.id))?.status).toBe("in_progress");
    await runCron();
    expect((await stored(app.id))?.status).toBe("completed");
  });

  it("reads the orders in production through their own index", async () => {
    const query = applicationsInProduction(db, 10).toSQL();
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
      .bind(...query.params)
      .all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join("; ")).toContain(
      "USING INDEX card_applications_in_production",
    );
    expect(cronJob(JOB).limit).toBeGreaterThan(0);
  });
});
