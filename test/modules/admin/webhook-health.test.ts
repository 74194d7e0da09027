import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAuditLog } from "../../../src/modules/admin/storage";
import { setPartnerStatus } from "../../../src/modules/partners/storage";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "../../../src/modules/webhooks/storage";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { admin, adminCall, expectDocumented } from "../../support/admin";
import { db, provisionPartner, suspendPartner } from "../../support/partners";

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const SEALED = `sealed-secret-${crypto.randomUUID()}`;

let tick = 0;
/** An endpoint row as the API writes one; its URL's path holds a token, as partners' URLs may. */
async function endpoint(
  partnerId: string,
  fields: Partial<typeof webhookEndpoints.$inferInsert> = {},
): Promise<string> {
  // Ids strictly in creation order, even within one millisecond.
  tick += 1;
  const id = uuidv7(Date.now() + tick);
  await db.insert(webhookEndpoints).values({
    id,
    partnerId,
    url: `https://hooks-${id.slice(-6)}.acme.example/portico/tok_${id}?key=abc`,
    events: [],
    signing: "hmac_sha256",
    secretSealed: SEALED,
    ...fields,
  });
  return id;
}

/** A delivery to the endpoint, in `status` since `at`, with its attempts (answer statuses, oldest first). */
async function delivery(
  endpointId: string,
  partnerId: string,
  status: "pending" | "succeeded" | "failed",
  at: string,
  answers: (number | null)[] = [],
) {
  const id = uuidv7();
  const eventId = uuidv7();
  await db.insert(webhookDeliveries).values({
    id,
    eventId,
    endpointId,
    partnerId,
    status,
    attempts: answers.length,
    lastAttemptAt: answers.length > 0 ? at : null,
    createdAt: at,
    updatedAt: at,
  });
  let n = 0;
  for (const code of answers) {
    n += 1;
    await db.insert(webhookAttempts).values({
      id: uuidv7(),
      deliveryId: id,
      eventId,
      endpointId,
      attemptedAt: new Date(Date.parse(at) - (answers.length - n) * 1000).toISOString(),
      statusCode: code,
      latencyMs: 12,
      responseExcerpt: "partner's body",
      error: code === null ? "timeout" : null,
      outcome: code !== null && code < 300 ? "succeeded" : n === answers.length ? "failed" : "retry",
    });
  }
}

const health = async (query = "") => {
  const { token } = await admin("viewer");
  return adminCall("GET", `/admin/v1/webhooks/health${query}`, { token });
};

interface Listed {
  endpoint_id: string;
  [key: string]: unknown;
}
const idsOf = (r: { body: { result: { data: Listed[] } } }) =>
  r.body.result.data.map((e: Listed) => e.endpoint_id);

describe("admin: webhook health across partners", () => {
  it("lists failing and disabled endpoints with their partner, host, failures and latest attempts; counts totals", async () => {
    const before = (await health()).body.result.totals;
    const p = await provisionPartner({ name: `Health ${crypto.randomUUID().slice(0, 6)}` });
    const failing = await endpoint(p.id, { failingSince: ago(5 * HOUR) });
    await delivery(failing, p.id, "failed", ago(2 * HOUR), [500, 503, null]);
    await delivery(failing, p.id, "failed", ago(72 * HOUR), [502]);
    await delivery(failing, p.id, "failed", ago(240 * HOUR), [500]); // past the 7 days
    await delivery(failing, p.id, "pending", ago(HOUR), [500, 500]);
    const disabled = await endpoint(p.id, {
      status: "disabled",
      disabledReason: "no successful delivery for 120 hours",
    });
    const healthy = await endpoint(p.id);
    await delivery(healthy, p.id, "succeeded", ago(HOUR), [200]);
    const deleted = await endpoint(p.id, { status: "deleted", failingSince: ago(HOUR) });
    // An offboarded partner's endpoints are left out.
    const gone = await provisionPartner();
    const goneEndpoint = await endpoint(gone.id, { failingSince: ago(HOUR) });
    await setPartnerStatus(db, gone.id, "offboarded");

    const r = await health("?limit=100");
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({ object: "webhook_health", has_more: false });
    const ids = idsOf(r);
    expect(ids).toContain(failing);
    expect(ids).toContain(disabled);
    for (const absent of [healthy, deleted, goneEndpoint]) expect(ids).not.toContain(absent);
    // Newest endpoint first.
    expect(ids.indexOf(disabled)).toBeLessThan(ids.indexOf(failing));

    const row = r.body.result.data.find((e: Listed) => e.endpoint_id === failing);
    expect(row).toEqual({
      endpoint_id: failing,
      object: "webhook_endpoint_health",
      partner: { id: p.id, name: expect.stringMatching(/^Health /) },
      url_host: `hooks-${failing.slice(-6)}.acme.example`,
      status: "enabled",
      disabled_reason: null,
      failing_since: expect.any(String),
      failed_deliveries: { last_24_hours: 1, last_7_days: 2 },
      retrying_deliveries: 1,
      last_status_code: 500,
      recent_attempts: expect.any(Array),
    });
    // The latest five attempts of the last 7 days' deliveries, newest first.
    expect(row.recent_attempts).toHaveLength(5);
    expect(row.recent_attempts.map((a: { status_code: number | null }) => a.status_code)).toEqual([
      500,
      500,
      null,
      503,
      500,
    ]);
    expect(row.recent_attempts[2]).toMatchObject({ outcome: "failed", error: "timeout" });
    const times = row.recent_attempts.map((a: { attempted_at: string }) => a.attempted_at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(r.body.result.data.find((e: Listed) => e.endpoint_id === disabled)).toMatchObject({
      status: "disabled",
      disabled_reason: "no successful delivery for 120 hours",
      failing_since: null,
      failed_deliveries: { last_24_hours: 0, last_7_days: 0 },
      recent_attempts: [],
      last_status_code: null,
    });

    // Never a secret, a URL's path or query, or the partner's answer.
    const text = JSON.stringify(r.body);
    expect(text).not.toContain(SEALED);
    expect(text).not.toContain("tok_");
    expect(text).not.toContain("key=abc");
    expect(text).not.toContain("partner's body");

    // Totals over every listed endpoint, not the page.
    const after = (await health("?limit=1")).body.result.totals;
    expect(after).toEqual({
      failing_endpoints: before.failing_endpoints + 1,
      disabled_endpoints: before.disabled_endpoints + 1,
      failed_deliveries_last_24_hours: before.failed_deliveries_last_24_hours + 1,
      failed_deliveries_last_7_days: before.failed_deliveries_last_7_days + 2,
    });
  });

  it("narrows to the failing or the disabled ones, and pages newest first", async () => {
    const p = await provisionPartner();
    const failing = await endpoint(p.id, { failingSince: ago(HOUR) });
    const disabled = await endpoint(p.id, { status: "disabled", disabledReason: "disabled by the partner" });
    // Enabled again since, but a delivery failed for good today: listed, neither failing nor disabled.
    const recovered = await endpoint(p.id);
    await delivery(recovered, p.id, "failed", ago(HOUR), [500]);

    const onlyFailing = idsOf(await health("?state=failing&limit=100"));
    expect(onlyFailing).toContain(failing);
    expect(onlyFailing).not.toContain(disabled);
    expect(onlyFailing).not.toContain(recovered);
    const onlyDisabled = idsOf(await health("?state=disabled&limit=100"));
    expect(onlyDisabled).toContain(disabled);
    expect(onlyDisabled).not.toContain(failing);
    expect(idsOf(await health("?limit=100"))).toEqual(expect.arrayContaining([failing, disabled, recovered]));

    // The three are the newest listed endpoints: two pages of two, then on.
    const first = await health("?limit=2");
    expect(idsOf(first)).toEqual([recovered, disabled]);
    expect(first.body.result.has_more).toBe(true);
    const second = await health(`?limit=2&starting_after=${disabled}`);
    expect(idsOf(second)[0]).toBe(failing);
  });

  it("is refused without Access (100), without a role (103), and for bad query parameters (4); a read is audited", async () => {
    const anonymous = await adminCall("GET", "/admin/v1/webhooks/health");
    expect(anonymous.res.status).toBe(401);
    expect(anonymous.body.error.code).toBe(100);
    const nobody = await admin(null);
    const noRole = await adminCall("GET", "/admin/v1/webhooks/health", { token: nobody.token });
    expect(noRole.res.status).toBe(403);
    expect(noRole.body.error.code).toBe(103);
    const viewer = await admin("viewer");
    for (const query of ["?state=broken", "?limit=0", "?limit=101", "?starting_after=not-an-id"]) {
      const bad = await adminCall("GET", `/admin/v1/webhooks/health${query}`, { token: viewer.token });
      expect([query, bad.res.status, bad.body.error.code]).toEqual([query, 400, 4]);
    }
    const write = await adminCall("POST", "/admin/v1/webhooks/health", { token: viewer.token });
    expect(write.res.status).toBe(405);
    expect((await adminCall("GET", "/admin/v1/webhooks/health", { token: viewer.token })).res.status).toBe(
      200,
    );
    const audited = await db
      .select()
      .from(adminAuditLog)
      .where(and(eq(adminAuditLog.identity, viewer.email), eq(adminAuditLog.action, "webhooks.health")));
    expect(audited.map((a) => a.outcome).sort()).toEqual([200, 400, 400, 400, 400]);
    // Every answer here is one its document lists.
    await expectDocumented("adminWebhookHealth", [
      ...[anonymous, noRole, write].map((a) => [a.res.status, a.body.error.code] as const),
      [200],
      [400, 4],
    ]);
  });

  it("a suspended partner's failing endpoint is still listed", async () => {
    const p = await provisionPartner();
    const failing = await endpoint(p.id, { failingSince: ago(HOUR) });
    await suspendPartner(p.id);
    expect(idsOf(await health("?state=failing&limit=100"))).toContain(failing);
  });
});
