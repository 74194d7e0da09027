import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertConsent } from "../../src/modules/accounts/storage";
import { CronJobsFailed } from "../../src/platform/cron";
import { insertEvent } from "../../src/platform/events/outbox";
import { uuidv7 } from "../../src/platform/lib/ids";
import { CRON_JOBS, scheduled } from "../../src/scheduled";
import { controllerAt, runCron, withLogs } from "../support/cron";
import { countingQueue } from "../support/outbox";
import { db, provisionPartner } from "../support/partners";

// The cron as a list of jobs: every run runs each job once, in order, each on its own. One that
// fails is logged without its error's message and never stops the others; the run then fails.

/** Something for two jobs to do: a consent past its expiry and an event its producer never sent. */
async function work() {
  const p = await provisionPartner();
  const past = new Date(Date.now() - 60_000).toISOString();
  const consent = await insertConsent(db, {
    id: uuidv7(),
    partnerId: p.id,
    livemode: false,
    idempotencyKey: crypto.randomUUID(),
    status: "Authorised",
    scopes: ["accounts"],
    expiresAt: past,
    authorisationUrl: "https://bank.example/authorise",
    customerRef: "cust-1",
    statusUpdatedAt: past,
    authorisedAt: past,
    createdAt: past,
  });
  const event = {
    id: uuidv7(),
    type: "payment.captured" as const,
    partnerId: p.id,
    livemode: false,
    createdAt: new Date(Date.now() - 120_000).toISOString(),
    object: { id: `pay_${crypto.randomUUID()}`, object: "payment" },
  };
  await insertEvent(db, event);
  const consentStatus = async () =>
    (
      await env.DB.prepare("SELECT status FROM consents WHERE id = ?")
        .bind(consent.id)
        .first<{ status: string }>()
    )?.status;
  const eventSent = async () =>
    (
      await env.DB.prepare("SELECT enqueued_at FROM events WHERE id = ?")
        .bind(event.id)
        .first<{ enqueued_at: string | null }>()
    )?.enqueued_at !== null;
  return { consentStatus, eventSent, eventId: event.id, consentId: consent.id };
}

/** A D1 that refuses every statement reading `table`, with a message a log must never carry. */
function refusing(table: string): D1Database {
  const real = env.DB;
  return new Proxy(real, {
    get(target, prop) {
      if (prop === "prepare")
        return (query: string) => {
          if (query.includes(`from "${table}"`))
            throw new Error(`D1_ERROR: ${table} unreadable, token=s3cr3t`);
          return target.prepare(query);
        };
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("the cron's jobs", () => {
  it("a job that throws does not stop the others; the run fails naming it, the log without its message", async () => {
    const w = await work();
    const boom = {
      name: "boom",
      limit: 1,
      run: async () => {
        throw new TypeError("card 4111111111111111 token=s3cr3t");
      },
    };
    const counting = countingQueue();
    const run = await withLogs(() =>
      scheduled(controllerAt(), { ...env, EVENTS_QUEUE: counting.queue }, [boom, ...CRON_JOBS]),
    );
    expect(run.error).toBeInstanceOf(CronJobsFailed);
    expect((run.error as CronJobsFailed).jobs).toEqual(["boom"]);
    expect((run.error as Error).message).toBe("cron jobs failed: boom");
    expect(await w.consentStatus()).toBe("Expired");
    expect(await w.eventSent()).toBe(true);
    expect(counting.timesSent(w.eventId)).toBe(1);
    expect(run.lines.filter((l) => l.level === "error")).toEqual([
      expect.objectContaining({ msg: "cron job failed", job: "boom", error: "TypeError" }),
    ]);
    expect(JSON.stringify(run.lines)).not.toContain("s3cr3t");
  });

  it("through the real handler: a job whose D1 reads fail is isolated, the jobs before it ran", async () => {
    const w = await work();
    const counting = countingQueue();
    const run = await withLogs(() => runCron({ DB: refusing("consents"), EVENTS_QUEUE: counting.queue }));
    expect((run.error as CronJobsFailed).jobs).toEqual(["consents.expire"]);
    expect(await w.consentStatus()).toBe("Authorised");
    expect(counting.timesSent(w.eventId)).toBe(1);
    expect(run.lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: "cron job failed",
        job: "consents.expire",
        error: "Error",
      }),
    );
    expect(JSON.stringify(run.lines)).not.toContain("s3cr3t");

    // The next run, with D1 whole again, does what the failed job left; the event is not sent twice.
    const next = countingQueue();
    await runCron({ EVENTS_QUEUE: next.queue });
    expect(await w.consentStatus()).toBe("Expired");
    expect(next.timesSent(w.eventId)).toBe(0);
  });

  it("through the real handler: with the outbox unreadable, the jobs after it run; the next run sends what they left", async () => {
    const w = await work();
    const run = await withLogs(() => runCron({ DB: refusing("events") }));
    expect((run.error as CronJobsFailed).jobs).toEqual(["events.drain", "events.redrive"]);
    // The sweep after them committed its change with its event, whose send is left to the drainer.
    expect(await w.consentStatus()).toBe("Expired");
    expect(run.lines).toContainEqual(expect.objectContaining({ level: "warn", msg: "consent not expired" }));
    const expired = await env.DB.prepare(
      "SELECT id, enqueued_at FROM events WHERE type = 'consent.expired' AND data LIKE ?",
    )
      .bind(`%${w.consentId}%`)
      .all<{ id: string; enqueued_at: string | null }>();
    expect(expired.results).toEqual([{ id: expect.any(String), enqueued_at: null }]);

    const next = countingQueue();
    await runCron({ EVENTS_QUEUE: next.queue }, Date.now() + 60_000);
    expect(next.timesSent(expired.results[0]?.id ?? "")).toBe(1);
    expect(next.timesSent(w.eventId)).toBe(1);
  });

  it("each job has its own name and a limit per run; the outbox comes first", () => {
    const names = CRON_JOBS.map((j) => j.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(0, 3)).toEqual(["events.drain", "events.redrive", "webhook_deliveries.redrive"]);
    expect(names).toEqual(
      expect.arrayContaining([
        "consents.expire",
        "loan_applications.follow_up",
        "card_applications.follow_up",
        "admin_approvals.expire",
        "terms.reminders",
        "registrations.recover",
        "applications.live_partners",
        "request_log.prune",
        "metering.prune",
        "usage.alerts",
        "billing.close",
      ]),
    );
    for (const job of CRON_JOBS) expect(Number.isInteger(job.limit) && job.limit > 0).toBe(true);
  });
});
