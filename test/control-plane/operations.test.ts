import { env } from "cloudflare:workers";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { accessCertsUrl } from "../../src/modules/admin/access";
import { publishTerms } from "../../src/modules/onboarding/terms";
import { sha256Hex } from "../../src/platform/lib/ids";
import { scheduled } from "../../src/scheduled";
import { ADMIN_ENV, admin, adminCall } from "../support/admin";
import { controllerAt, cronJob, runJob } from "../support/cron";
import { db } from "../support/partners";
import { until } from "../support/webhooks";
import { received, register, registration, TURNSTILE_PASS, turnstileAnswers } from "./support";

// Production's operations: the admin API's terms (production only), and the cron's terms
// reminders and registration recovery, run with the runtime's scheduled controller against
// production with the real sandbox Worker beside it.

// Production verifies Access tokens only against the team's published keys: the test serves the
// local issuer's keys at the team's certs URL, and the admin calls go without ACCESS_JWKS.
const TEAM = String(ADMIN_ENV.ACCESS_TEAM_DOMAIN);
const PRODUCTION_ADMIN = { ACCESS_JWKS: "" };
const realFetch = globalThis.fetch;
beforeAll(() => {
  vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url === accessCertsUrl(TEAM))
      return Promise.resolve(Response.json(JSON.parse(String(ADMIN_ENV.ACCESS_JWKS))));
    return realFetch(input, init);
  });
});
afterAll(() => {
  vi.restoreAllMocks();
});
beforeEach(async () => {
  await turnstileAnswers(TURNSTILE_PASS);
});

const adminAs = async (role: "viewer" | "operator" | "approver" | "admin") => (await admin(role)).token;
const call = (method: string, path: string, token: string, json?: unknown) =>
  adminCall(method, path, { token, env: PRODUCTION_ADMIN, ...(json === undefined ? {} : { json }) });

const auditOf = (action: string, target: string) =>
  env.DB.prepare("SELECT * FROM admin_audit_log WHERE action = ? AND target = ?")
    .bind(action, target)
    .all<Record<string, unknown>>()
    .then((r) => r.results);

async function acceptFor(partnerId: string, version: string, sha256: string) {
  await env.DB.prepare(
    "INSERT INTO terms_acceptances (id, partner_id, version, sha256, accepted_by_kind, accepted_by, accepted_at) VALUES (?, ?, ?, ?, 'user', ?, ?)",
  )
    .bind(crypto.randomUUID(), partnerId, version, sha256, crypto.randomUUID(), new Date().toISOString())
    .run();
}

let published = 0;
/** A new current version (published just now: after every earlier one), due by `acceptBy`. */
async function publishCurrent(acceptBy: Date) {
  published += 1;
  const version = `ops-${published}-${crypto.randomUUID().slice(0, 8)}`;
  const at = new Date(Math.min(Date.now() - 10, acceptBy.getTime()));
  return publishTerms(
    db,
    { version, text: `Terms ${version}.`, acceptBy: acceptBy.toISOString(), publishedAt: at.toISOString() },
    at,
  );
}

describe("admin API: /admin/v1/terms (production)", () => {
  it("publishes a version (role admin), audited with its version and hash but never its text", async () => {
    const text = `Portico terms ${crypto.randomUUID()}.\nClause 1: be excellent.`;
    const version = `2027-${crypto.randomUUID().slice(0, 8)}`;
    const acceptBy = new Date(Date.now() + 14 * 86_400_000).toISOString();
    const params = { version, text, accept_by: acceptBy, reason: "yearly review" };

    const approver = await call("POST", "/admin/v1/terms", await adminAs("approver"), { params });
    expect(approver.res.status).toBe(403);
    expect(approver.body.error).toMatchObject({ code: 104 });
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM terms_documents WHERE version = ?")
        .bind(version)
        .first("n"),
    ).toBe(0);

    const token = await adminAs("admin");
    const r = await call("POST", "/admin/v1/terms", token, { params });
    expect(r.res.status, JSON.stringify(r.body)).toBe(201);
    const sha256 = await sha256Hex(text);
    expect(r.body.result).toMatchObject({ object: "terms", version, text, sha256, accepted_at: null });
    expect(Date.parse(r.body.result.accept_by)).toBe(Date.parse(acceptBy));
    const stored = await env.DB.prepare("SELECT * FROM terms_documents WHERE version = ?")
      .bind(version)
      .first<Record<string, unknown>>();
    expect(stored).toMatchObject({ text, sha256 });

    const [entry, ...more] = await auditOf("terms.publish", version);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ outcome: 201, reason: "yearly review" });
    expect(JSON.parse(String(entry?.diff))).toEqual({
      before: null,
      after: { version, sha256, accept_by: r.body.result.accept_by },
    });
    expect(JSON.stringify(entry)).not.toContain("be excellent");

    // A version is never replaced: 409, code 130, the text unchanged.
    const again = await call("POST", "/admin/v1/terms", token, { params: { version, text: "other" } });
    expect(again.res.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 130, reason: "terms_version_exists" });
    expect(
      await env.DB.prepare("SELECT text FROM terms_documents WHERE version = ?").bind(version).first("text"),
    ).toBe(text);
  });

  it("refuses a deadline before publication, a bad version and an empty text (code 4), publishing nothing", async () => {
    const token = await adminAs("admin");
    const version = `bad-${crypto.randomUUID().slice(0, 8)}`;
    for (const params of [
      { version, text: "x", accept_by: "2020-01-01T00:00:00Z" },
      { version: "no spaces allowed", text: "x" },
      { version, text: "" },
    ]) {
      const r = await call("POST", "/admin/v1/terms", token, { params });
      expect(r.res.status, JSON.stringify(params)).toBe(400);
      expect(r.body.error.code).toBe(4);
    }
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM terms_documents WHERE version = ?")
        .bind(version)
        .first("n"),
    ).toBe(0);
  });

  it("lists every version (viewer) with its hash, dates and how many partners accepted it", async () => {
    const doc = await publishCurrent(new Date(Date.now() + 86_400_000));
    await acceptFor(crypto.randomUUID(), doc.version, doc.sha256);
    await acceptFor(crypto.randomUUID(), doc.version, doc.sha256);
    const r = await call("GET", "/admin/v1/terms", await adminAs("viewer"));
    expect(r.res.status).toBe(200);
    const listed = r.body.result.find((v: { version: string }) => v.version === doc.version);
    expect(listed).toEqual({
      object: "terms_version",
      version: doc.version,
      sha256: doc.sha256,
      published_at: doc.published_at,
      accept_by: doc.accept_by,
      acceptances: 2,
    });
    expect(JSON.stringify(r.body.result)).not.toContain(doc.text);
    const times = r.body.result.map((v: { published_at: string }) => v.published_at);
    expect(times).toEqual([...times].sort().reverse());
  });

  it("documents both operations and every status they answer in the admin document", async () => {
    const r = await call("GET", "/admin/openapi.json", await adminAs("viewer"));
    const path = r.body.paths["/admin/v1/terms"];
    expect(Object.keys(path.post.responses)).toEqual(
      expect.arrayContaining(["201", "400", "401", "403", "404", "409", "413", "415", "503"]),
    );
    expect(Object.keys(path.get.responses)).toEqual(expect.arrayContaining(["200", "401", "403", "503"]));
    expect(path.post["x-portico-admin-role"]).toBe("admin");
    expect(path.post["x-portico-environments"]).toEqual(["production"]);
    expect(path.get["x-portico-admin-role"]).toBe("viewer");
  });
});

/** A registration made through the real flow, its email verified. */
async function verifiedRegistration() {
  const params = registration();
  const { res, body } = await register(params);
  expect(res.status, JSON.stringify(body)).toBe(201);
  const id = body.result.id as string;
  await env.DB.prepare("UPDATE registrations SET email_verified_at = ? WHERE id = ?")
    .bind(new Date().toISOString(), id)
    .run();
  const row = await env.DB.prepare("SELECT * FROM registrations WHERE id = ?")
    .bind(id)
    .first<{ production_partner_id: string | null; sandbox_partner_id: string }>();
  return {
    id,
    email: params.contact_email,
    productionPartnerId: String(row?.production_partner_id),
    sandboxPartnerId: String(row?.sandbox_partner_id),
  };
}

const remindersOf = (registrationId: string) =>
  env.DB.prepare("SELECT * FROM terms_reminders WHERE registration_id = ?")
    .bind(registrationId)
    .all<{ version: string; event_id: string }>()
    .then((r) => r.results);
const mailsTo = async (email: string, subject: string) =>
  (await received("notify"))
    .map((m) => JSON.parse(m.body))
    .filter((m) => m.to === email && m.subject.includes(subject));

describe("cron: terms.reminders", () => {
  it("reminds each registration that has not accepted the current version, once per version, near its deadline", async () => {
    const pending = await verifiedRegistration();
    const accepted = await verifiedRegistration();
    const legacy = await verifiedRegistration();
    await env.DB.prepare("UPDATE registrations SET production_partner_id = NULL WHERE id = ?")
      .bind(legacy.id)
      .run();

    // Far from its deadline: nobody is reminded.
    const far = await publishCurrent(new Date(Date.now() + 30 * 86_400_000));
    await runJob("terms.reminders");
    expect(await remindersOf(pending.id)).toEqual([]);

    const doc = await publishCurrent(new Date(Date.now() + 3 * 86_400_000));
    expect(doc.version).not.toBe(far.version);
    await acceptFor(accepted.productionPartnerId, doc.version, doc.sha256);
    await runJob("terms.reminders");
    await runJob("terms.reminders");

    const rows = await remindersOf(pending.id);
    expect(rows.map((r) => r.version)).toEqual([doc.version]);
    expect(rows[0]?.event_id).toMatch(/^ntf_/);
    expect(await remindersOf(accepted.id)).toEqual([]);
    expect(await remindersOf(legacy.id)).toEqual([]);

    // The email, through the outbox, the queue and the notification connector; its key is the event.
    const [mail, ...more] = await until(async () => {
      const m = await mailsTo(pending.email, doc.version);
      return m.length > 0 && m;
    });
    expect(more).toEqual([]);
    expect(mail.idempotency_key).toBe(rows[0]?.event_id);
    expect(mail.text).toContain(doc.accept_by);
    expect(mail.text).toContain(doc.sha256);
    const event = await env.DB.prepare("SELECT * FROM events WHERE id = ?")
      .bind(rows[0]?.event_id)
      .first<Record<string, unknown>>();
    expect(event).toMatchObject({ type: "onboarding.terms_reminder", partner_id: pending.id });
    expect(String(event?.data)).not.toContain(pending.email);
    await until(async () =>
      Boolean(
        await env.DB.prepare("SELECT fanned_out_at FROM events WHERE id = ?")
          .bind(rows[0]?.event_id)
          .first("fanned_out_at"),
      ),
    );
    expect(await mailsTo(accepted.email, doc.version)).toEqual([]);
    expect(await mailsTo(legacy.email, doc.version)).toEqual([]);

    // Past its deadline, a newer version is reminded too: once per (registration, version).
    const overdue = await publishCurrent(new Date(Date.now() - 1));
    await runJob("terms.reminders");
    expect((await remindersOf(pending.id)).map((r) => r.version).sort()).toEqual(
      [doc.version, overdue.version].sort(),
    );
  });
});

describe("cron: the outbox carries the notifications", () => {
  it("a reminder whose send after the commit failed is sent by events.drain, once", async () => {
    const r = await verifiedRegistration();
    const doc = await publishCurrent(new Date(Date.now() + 86_400_000));
    const down = {
      send: async () => {
        throw new Error("queue down");
      },
      sendBatch: async () => {
        throw new Error("queue down");
      },
    } as unknown as Queue<{ eventId: string }>;
    await scheduled(controllerAt(), { ...env, EVENTS_QUEUE: down }, [cronJob("terms.reminders")]);
    const [row] = await remindersOf(r.id);
    expect(row?.version).toBe(doc.version);
    const event = () =>
      env.DB.prepare("SELECT enqueued_at, fanned_out_at FROM events WHERE id = ?")
        .bind(row?.event_id)
        .first<{ enqueued_at: string | null; fanned_out_at: string | null }>();
    expect(await event()).toEqual({ enqueued_at: null, fanned_out_at: null });
    expect(await mailsTo(r.email, doc.version)).toEqual([]);

    // Past the drainer's 30 s grace, the next run sends it and the consumer emails it.
    await env.DB.prepare("UPDATE events SET created_at = ? WHERE id = ?")
      .bind(new Date(Date.now() - 60_000).toISOString(), row?.event_id)
      .run();
    await runJob("events.drain");
    const mails = await until(async () => {
      const m = await mailsTo(r.email, doc.version);
      return m.length > 0 && m;
    });
    expect(mails.map((m) => m.idempotency_key)).toEqual([row?.event_id]);
    await until(async () => Boolean((await event())?.fanned_out_at));
    // Consumed: neither the drain nor the re-drive sends it again.
    await runJob("events.drain");
    await runJob("events.redrive");
    expect(await mailsTo(r.email, doc.version)).toHaveLength(1);
  });
});

const registrationRow = (id: string) =>
  env.DB.prepare("SELECT * FROM registrations WHERE id = ?").bind(id).first<Record<string, unknown>>();
const sandboxPartner = (id: string) =>
  env.SANDBOX_DB.prepare("SELECT * FROM partners WHERE id = ?").bind(id).first<Record<string, unknown>>();
const sandboxCount = (table: string, partnerId: string) =>
  env.SANDBOX_DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE partner_id = ?`)
    .bind(partnerId)
    .first("n");

/** Puts a registration back to `provisioning`, as a Worker that died after the sandbox call leaves it. */
async function stuck(id: string, minutesAgo: number) {
  await env.DB.prepare("UPDATE registrations SET status = 'provisioning', updated_at = ? WHERE id = ?")
    .bind(new Date(Date.now() - minutesAgo * 60_000).toISOString(), id)
    .run();
}

describe("cron: registrations.recover", () => {
  it("removes the unused sandbox partner of a registration stuck in provisioning, then the registration; the email registers again", async () => {
    const r = await verifiedRegistration();
    const recent = await verifiedRegistration();
    await stuck(r.id, 11);
    await stuck(recent.id, 5);
    expect(await sandboxPartner(r.sandboxPartnerId)).toMatchObject({ environment: "sandbox" });

    await runJob("registrations.recover");

    expect(await registrationRow(r.id)).toBeNull();
    expect(await sandboxPartner(r.sandboxPartnerId)).toBeNull();
    for (const table of ["partner_credentials", "partner_contracts", "partner_users"])
      expect(await sandboxCount(table, r.sandboxPartnerId), table).toBe(0);
    // Ten minutes not yet up: left as it is.
    expect(await registrationRow(recent.id)).toMatchObject({ status: "provisioning" });
    expect(await sandboxPartner(recent.sandboxPartnerId)).not.toBeNull();

    const again = await register({ ...registration(), contact_email: r.email });
    expect(again.res.status, JSON.stringify(again.body)).toBe(201);
  });

  it("deletes a stuck registration whose sandbox partner was never made", async () => {
    const r = await verifiedRegistration();
    await stuck(r.id, 30);
    await env.DB.prepare("UPDATE registrations SET sandbox_partner_id = ? WHERE id = ?")
      .bind(crypto.randomUUID(), r.id)
      .run();
    await runJob("registrations.recover");
    expect(await registrationRow(r.id)).toBeNull();
    // The partner the sandbox did make (under the old id) is not this registration's to remove now.
    expect(await sandboxPartner(r.sandboxPartnerId)).not.toBeNull();
  });

  it("keeps a sandbox partner that has been used, and its registration, for a person to look at", async () => {
    const r = await verifiedRegistration();
    await stuck(r.id, 11);
    await env.SANDBOX_DB.prepare(
      "INSERT INTO api_version_usage (partner_id, version, calls, first_seen_at, last_seen_at) VALUES (?, '2026-12-01', 1, ?, ?)",
    )
      .bind(r.sandboxPartnerId, new Date().toISOString(), new Date().toISOString())
      .run();
    await runJob("registrations.recover");
    expect(await sandboxPartner(r.sandboxPartnerId)).not.toBeNull();
    expect(await sandboxCount("partner_credentials", r.sandboxPartnerId)).toBe(1);
    const row = await registrationRow(r.id);
    expect(row).toMatchObject({ status: "provisioning" });
    // Moved to the back of the queue.
    expect(Date.parse(String(row?.updated_at))).toBeGreaterThan(Date.now() - 60_000);
  });

  it("keeps a partner whose credentials are not the registration's own", async () => {
    const r = await verifiedRegistration();
    await stuck(r.id, 11);
    await env.SANDBOX_DB.prepare(
      "UPDATE partner_credentials SET description = 'made by hand' WHERE partner_id = ?",
    )
      .bind(r.sandboxPartnerId)
      .run();
    await runJob("registrations.recover");
    expect(await sandboxPartner(r.sandboxPartnerId)).not.toBeNull();
    expect(await registrationRow(r.id)).toMatchObject({ status: "provisioning" });
  });
});
