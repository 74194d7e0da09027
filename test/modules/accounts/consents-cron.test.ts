import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { dueConsents } from "../../../src/modules/accounts/storage";
import { clockAt, cronJob, runCron, runJob } from "../../support/cron";
import { call, tokenFor } from "../../support/http";
import { countingQueue } from "../../support/outbox";
import { db, provisionPartner } from "../../support/partners";

// The cron's consent sweep: a consent past its expires_at becomes Expired in D1 with its
// consent.expired event without waiting for a read, once, bounded per run, oldest first.

const JOB = "consents.expire";
const DAY = 86_400_000;

async function setup() {
  const p = await provisionPartner();
  let token = await tokenFor(p);
  const create = async (expiresAt: number) =>
    (
      await call("POST", "/v1/consents", {
        token,
        json: { params: { scopes: ["accounts"], expires_at: new Date(expiresAt).toISOString() } },
      })
    ).body.result as { id: string; expires_at: string };
  const op = async (id: string, path: string) =>
    (await call("POST", path.replace("{id}", id), { token })).body.result;
  return {
    p,
    create,
    authorise: (id: string) => op(id, "/v1/sandbox/consents/{id}/authorise"),
    revoke: (id: string) => op(id, "/v1/consents/{id}/revoke"),
    get: async (id: string) => (await call("GET", `/v1/consents/${id}`, { token })).body.result,
    /** Moves the clock to `ms` and takes a token valid then. */
    async at(ms: number) {
      clockAt(ms);
      token = await tokenFor(p);
    },
  };
}

/** The consent as D1 holds it, whatever any read would make of it. */
const stored = (id: string) =>
  env.DB.prepare("SELECT status, status_updated_at FROM consents WHERE id = ?")
    .bind(id)
    .first<{ status: string; status_updated_at: string }>();

/** The consent's events, oldest first: type, whether it was sent, and the object it carries. */
const eventsOf = async (consentId: string) =>
  (
    await env.DB.prepare("SELECT id, type, enqueued_at, data FROM events WHERE data LIKE ? ORDER BY id")
      .bind(`%${consentId}%`)
      .all<{ id: string; type: string; enqueued_at: string | null; data: string }>()
  ).results.map((e) => ({
    id: e.id,
    type: e.type,
    sent: e.enqueued_at !== null,
    object: JSON.parse(e.data).object,
  }));

const typesOf = async (consentId: string) => (await eventsOf(consentId)).map((e) => e.type);

/** Every consent due now is swept, whoever made it: the tests below start from nothing due. */
async function sweepAll() {
  for (let run = 0; run < 50; run++) {
    const [due] = await dueConsents(db, new Date().toISOString(), 1);
    if (!due) return;
    await runJob(JOB);
  }
  throw new Error("consents kept falling due");
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the cron expires consents past their expires_at", () => {
  it("makes due consents Expired in D1 with consent.expired, sent; the rest are left alone", async () => {
    const s = await setup();
    const t0 = Date.now();
    const authorised = await s.create(t0 + DAY);
    await s.authorise(authorised.id);
    const awaiting = await s.create(t0 + DAY + 1_000);
    const revoked = await s.create(t0 + DAY);
    await s.revoke(revoked.id);
    const later = await s.create(t0 + 3 * DAY);
    await s.authorise(later.id);

    clockAt(t0 + DAY + 5_000);
    await runCron();

    expect(await stored(authorised.id)).toEqual({
      status: "Expired",
      status_updated_at: authorised.expires_at,
    });
    expect(await stored(awaiting.id)).toEqual({ status: "Expired", status_updated_at: awaiting.expires_at });
    expect((await stored(revoked.id))?.status).toBe("Revoked");
    expect((await stored(later.id))?.status).toBe("Authorised");
    const [authorisedEvent, expiredEvent, ...more] = await eventsOf(authorised.id);
    expect(more).toEqual([]);
    expect(authorisedEvent?.type).toBe("consent.authorised");
    expect(expiredEvent).toMatchObject({
      type: "consent.expired",
      sent: true,
      object: { id: authorised.id, status: "Expired", status_updated_at: authorised.expires_at },
    });
    expect(await typesOf(awaiting.id)).toEqual(["consent.expired"]);
    expect(await typesOf(revoked.id)).toEqual(["consent.revoked"]);
    expect(await typesOf(later.id)).toEqual(["consent.authorised"]);

    // A read answers what the sweep stored, and publishes nothing more.
    await s.at(t0 + DAY + 10_000);
    expect(await s.get(authorised.id)).toMatchObject({
      status: "Expired",
      status_updated_at: authorised.expires_at,
    });

    // The next run finds nothing to do and sends nothing again.
    const next = countingQueue();
    await runCron({ EVENTS_QUEUE: next.queue });
    expect(next.timesSent(expiredEvent?.id ?? "")).toBe(0);
    expect(await typesOf(authorised.id)).toEqual(["consent.authorised", "consent.expired"]);
    expect(await typesOf(awaiting.id)).toEqual(["consent.expired"]);
  });

  it("never expires a consent ahead of the clock, whatever time the run is scheduled for", async () => {
    const s = await setup();
    const consent = await s.create(Date.now() + DAY);
    await s.authorise(consent.id);
    await runCron({}, Date.now() + 2 * DAY);
    expect((await stored(consent.id))?.status).toBe("Authorised");
    expect(await typesOf(consent.id)).toEqual(["consent.authorised"]);
  });

  it("publishes consent.expired once when reads and uses race the sweep", async () => {
    const s = await setup();
    const t0 = Date.now();
    const consents = [await s.create(t0 + DAY), await s.create(t0 + DAY), await s.create(t0 + DAY)];
    for (const c of consents) await s.authorise(c.id);
    await s.at(t0 + DAY + 1_000);
    await Promise.all([runCron(), runCron(), ...consents.flatMap((c) => [s.get(c.id), s.get(c.id)])]);
    for (const c of consents) {
      expect(await stored(c.id)).toEqual({ status: "Expired", status_updated_at: c.expires_at });
      expect(await typesOf(c.id)).toEqual(["consent.authorised", "consent.expired"]);
    }
  });

  it("expires at most its limit per run, the longest expired first; the backlog goes on the next runs", async () => {
    const s = await setup();
    await sweepAll();
    const t0 = Date.now();
    const third = await s.create(t0 + 3_000);
    const first = await s.create(t0 + 1_000);
    const second = await s.create(t0 + 2_000);
    await s.authorise(second.id);
    clockAt(t0 + 10_000);

    await runJob(JOB, 2);
    expect((await stored(first.id))?.status).toBe("Expired");
    expect((await stored(second.id))?.status).toBe("Expired");
    expect((await stored(third.id))?.status).toBe("AwaitingAuthorisation");
    expect(await typesOf(third.id)).toEqual([]);

    await runJob(JOB, 2);
    expect((await stored(third.id))?.status).toBe("Expired");
    await runJob(JOB, 2);
    expect(await typesOf(first.id)).toEqual(["consent.expired"]);
    expect(await typesOf(second.id)).toEqual(["consent.authorised", "consent.expired"]);
    expect(await typesOf(third.id)).toEqual(["consent.expired"]);
  });

  it("reads the due consents through their own index, and is bounded in the list", async () => {
    const query = dueConsents(db, new Date().toISOString(), 10).toSQL();
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
      .bind(...query.params)
      .all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join("; ")).toContain("USING INDEX consents_expiring");
    expect(cronJob(JOB).limit).toBeGreaterThan(0);
  });
});
