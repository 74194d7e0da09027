import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SANDBOX_SCORING_DOCUMENTS as docs } from "../../../src/modules/lending/connector/sandbox";
import { applicationsUnderReview, insertApplication } from "../../../src/modules/lending/storage";
import { LOAN_APPLICANT, LOAN_ASK } from "../../support/applicants";
import { clockAt, cronJob, runCron, runJob, withLogs } from "../../support/cron";
import { call, tokenFor } from "../../support/http";
import { countingQueue } from "../../support/outbox";
import { db, provisionPartner } from "../../support/partners";

// The cron's follow-up of loan applications under review: it asks the scoring system again and
// records the decision with its event without waiting for a read, once, bounded per run.

const JOB = "loan_applications.follow_up";
const REVIEW = { ...LOAN_ASK, applicant: { ...LOAN_APPLICANT, document_number: docs.review } };

async function setup() {
  const p = await provisionPartner();
  let token = await tokenFor(p);
  return {
    p,
    apply: async () =>
      (await call("POST", "/v1/loans/applications", { token, json: { params: REVIEW } })).body.result as {
        id: string;
        status: string;
      },
    get: (id: string) => call("GET", `/v1/loans/applications/${id}`, { token }),
    list: async (query = "") => (await call("GET", `/v1/loans/applications${query}`, { token })).body.result,
    /** Moves the clock by `ms` and takes a token valid then. */
    async later(ms: number) {
      clockAt(Date.now() + ms);
      token = await tokenFor(p);
    },
  };
}

/** The application as D1 holds it. */
const stored = (id: string) =>
  env.DB.prepare(
    "SELECT status, decided_at, event_id, offer_amount, updated_at FROM loan_applications WHERE id = ?",
  )
    .bind(id)
    .first<{
      status: string;
      decided_at: string | null;
      event_id: string | null;
      offer_amount: number | null;
      updated_at: string;
    }>();

/** The application's events, oldest first. */
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

describe("the cron follows up loan applications under review", () => {
  it("records the decision once the scoring system has one, with loan_application.approved, sent", async () => {
    const s = await setup();
    const app = await s.apply();
    expect(app.status).toBe("in_progress");

    // Still under review: asked, nothing decided, nothing published.
    await runCron();
    expect(await stored(app.id)).toMatchObject({ status: "in_progress", decided_at: null, event_id: null });
    expect(await typesOf(app.id)).toEqual([]);

    await s.later(61_000);
    await runCron();
    const decided = await stored(app.id);
    expect(decided).toMatchObject({
      status: "approved",
      decided_at: expect.any(String),
      offer_amount: 5_000_000,
    });
    const [event, ...more] = await eventsOf(app.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      id: decided?.event_id,
      type: "loan_application.approved",
      sent: true,
      object: {
        id: app.id,
        status: "approved",
        offer: { amount: 5_000_000 },
        decided_at: decided?.decided_at,
      },
    });
    expect(event?.object).not.toHaveProperty("applicant");

    // The list shows the decision without any retrieve; a retrieve answers it and publishes nothing more.
    expect((await s.list("?status=approved")).data.map((a: { id: string }) => a.id)).toEqual([app.id]);
    expect((await s.get(app.id)).body.result).toMatchObject({
      status: "approved",
      decided_at: decided?.decided_at,
    });

    const next = countingQueue();
    await runCron({ EVENTS_QUEUE: next.queue });
    expect(next.timesSent(event?.id ?? "")).toBe(0);
    expect(await stored(app.id)).toEqual(decided);
    expect(await typesOf(app.id)).toEqual(["loan_application.approved"]);
  });

  it("decides once when retrieves race the cron", async () => {
    const s = await setup();
    const apps = [await s.apply(), await s.apply(), await s.apply()];
    await s.later(61_000);
    await Promise.all([runCron(), runCron(), ...apps.flatMap((a) => [s.get(a.id), s.get(a.id)])]);
    for (const a of apps) {
      expect((await stored(a.id))?.status).toBe("approved");
      expect(await typesOf(a.id)).toEqual(["loan_application.approved"]);
    }
  });

  it("follows up at most its limit per run, the least recently asked first; the rest on the next runs", async () => {
    const s = await setup();
    const [first, second, third] = [await s.apply(), await s.apply(), await s.apply()];
    await s.later(61_000);
    // Nothing else is under review in this file's database at this point.
    expect((await applicationsUnderReview(db, 10)).map((r) => r.id)).toEqual([
      first?.id,
      second?.id,
      third?.id,
    ]);

    await runJob(JOB, 2);
    expect((await stored(first?.id ?? ""))?.status).toBe("approved");
    expect((await stored(second?.id ?? ""))?.status).toBe("approved");
    expect((await stored(third?.id ?? ""))?.status).toBe("in_progress");
    expect(await typesOf(third?.id ?? "")).toEqual([]);

    await runJob(JOB, 2);
    expect((await stored(third?.id ?? ""))?.status).toBe("approved");
    await runJob(JOB, 2);
    for (const a of [first, second, third])
      expect(await typesOf(a?.id ?? "")).toEqual(["loan_application.approved"]);
  });

  it("asks nothing while lending is switched off", async () => {
    const s = await setup();
    const app = await s.apply();
    await s.later(61_000);
    await runCron({ PRODUCTS_DISABLED: "lending" });
    expect((await stored(app.id))?.status).toBe("in_progress");
    await runCron();
    expect((await stored(app.id))?.status).toBe("approved");
  });

  it("an application whose poll fails is logged without its applicant and asked again; the others are decided", async () => {
    const s = await setup();
    const now = new Date(Date.now() - 120_000).toISOString();
    // Under review at a scoring system that now fails on it (the sandbox's 1005 document).
    const failing = await insertApplication(db, {
      id: crypto.randomUUID(),
      partnerId: s.p.id,
      livemode: false,
      idempotencyKey: crypto.randomUUID(),
      status: "in_progress",
      fullName: LOAN_APPLICANT.full_name,
      documentNumber: docs.upstreamFailed,
      phoneNumber: LOAN_APPLICANT.phone_number,
      birthDate: LOAN_APPLICANT.birth_date,
      amount: 1_000_000,
      currency: "UZS",
      termMonths: 6,
      scoringReference: "scr-failing",
      createdAt: now,
      updatedAt: now,
    });
    const app = await s.apply();
    await s.later(61_000);

    const run = await withLogs(() => runCron({ LOG_LEVEL: "info" }));
    expect(run.error).toBeUndefined();
    expect((await stored(app.id))?.status).toBe("approved");
    expect(await stored(failing.id)).toMatchObject({ status: "in_progress", event_id: null });
    const warned = run.lines.filter((l) => l.msg === "loan application follow-up failed");
    expect(warned).toEqual([expect.objectContaining({ application_id: failing.id, error: "ApiError" })]);
    expect(run.lines).toContainEqual(
      expect.objectContaining({ msg: "cron job done", job: JOB, under_review: 2, decided: 1, failed: 1 }),
    );
    const logged = JSON.stringify(run.lines);
    for (const personal of [docs.upstreamFailed, LOAN_APPLICANT.full_name, LOAN_APPLICANT.phone_number])
      expect(logged).not.toContain(personal);

    // Asked again on the next run, still failing: nothing recorded, nothing published.
    await runCron();
    expect(await stored(failing.id)).toMatchObject({ status: "in_progress", event_id: null });
    expect(await typesOf(failing.id)).toEqual([]);
    await env.DB.prepare("UPDATE loan_applications SET status = 'failed' WHERE id = ?")
      .bind(failing.id)
      .run();
  });

  it("reads the applications under review through their own index", async () => {
    const query = applicationsUnderReview(db, 10).toSQL();
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
      .bind(...query.params)
      .all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join("; ")).toContain(
      "USING INDEX loan_applications_under_review",
    );
    expect(cronJob(JOB).limit).toBeGreaterThan(0);
  });
});
