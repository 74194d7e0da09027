import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAuditLog } from "../../../src/modules/admin/storage";
import { alertEvents, alertRules } from "../../../src/modules/operations/storage";
import { signatureFor } from "../../../src/modules/webhooks/signing";
import { scheduled } from "../../../src/scheduled";
import { admin, adminCall, expectDocumented } from "../../support/admin";
import { controllerAt, cronJob } from "../../support/cron";
import { db, provisionPartner } from "../../support/partners";
import { receiver } from "../../support/webhooks";
import { attempts, providerName } from "./support";

const MINUTE = 60_000;
/** Each test its own minutes, later than the one before: the cron evaluates every due rule. */
let base = Date.parse("2026-03-01T00:00:00.000Z");
const nextBase = () => {
  base += 24 * 60 * MINUTE;
  return base;
};
const iso = (ms: number) => new Date(ms).toISOString();

/** One run of the real scheduled handler with only the alerts job, at an explicit time. */
const evaluateAt = (now: number) => scheduled(controllerAt(now), env, [cronJob("alerts.evaluate")]);

async function createRule(params: Record<string, unknown>, role: "operator" | "viewer" = "operator") {
  return adminCall("POST", "/admin/v1/alerts/rules", { token: (await admin(role)).token, json: { params } });
}
async function rule(id: string) {
  const r = await adminCall("GET", `/admin/v1/alerts/rules/${id}`, { token: (await admin("viewer")).token });
  return r.body.result;
}
async function transitions(ruleId: string) {
  const r = await adminCall("GET", `/admin/v1/alerts/events?rule_id=${ruleId}&limit=100`, {
    token: (await admin("viewer")).token,
  });
  expect(r.res.status).toBe(200);
  return (r.body.result.data as { kind: string; delivery: { status: string } }[]).reverse();
}

const approveRule = (provider: string, connector: Record<string, unknown> = { type: "sandbox" }) => ({
  name: `Approve rate of ${provider}`,
  metric: "approve_rate",
  filters: { provider },
  comparator: "below",
  threshold: 8000,
  resolve_threshold: 9000,
  window_minutes: 10,
  min_samples: 5,
  connector,
});

describe("alert rules: fire and resolve", () => {
  it("a provider's approve rate below 80 % fires after two evaluations, is delivered to the sandbox sink once, and resolves after two clear ones", async () => {
    const B = nextBase();
    const p = await provisionPartner();
    const provider = providerName("acq-bad");
    const created = await createRule(approveRule(provider));
    expect(created.res.status).toBe(201);
    const id = created.body.result.id as string;
    expect(created.body.result).toMatchObject({
      state: "ok",
      streak: 0,
      fire_after: 2,
      resolve_after: 2,
      connector: { type: "sandbox" },
    });
    expect(created.body.result.signing_secret).toBeUndefined();

    // Half the attempts declined, five minutes before B.
    await attempts(p.id, 5, { provider, outcome: "authorized", latencyMs: 100, at: iso(B - 5 * MINUTE) });
    await attempts(p.id, 5, {
      provider,
      outcome: "declined",
      declineReason: "do_not_honor",
      latencyMs: 100,
      at: iso(B - 5 * MINUTE),
    });

    await evaluateAt(B);
    expect(await rule(id)).toMatchObject({
      state: "ok",
      streak: 1,
      last_value: 5000,
      last_samples: 10,
      last_evaluated_at: iso(B),
    });
    expect(await transitions(id)).toEqual([]);
    // A second run in the same minute evaluates nothing again.
    await evaluateAt(B + 30_000);
    expect((await rule(id)).streak).toBe(1);

    await evaluateAt(B + MINUTE);
    expect(await rule(id)).toMatchObject({ state: "firing", streak: 0, state_since: iso(B + MINUTE) });
    const fired = await transitions(id);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({
      kind: "firing",
      value: 5000,
      samples: 10,
      threshold: 8000,
      window: { from: iso(B - 9 * MINUTE), to: iso(B + MINUTE) },
      connector_type: "sandbox",
      delivery: { status: "delivered", attempts: 1, last_error: null, delivered_at: iso(B + MINUTE) },
      payload: {
        object: "alert_event",
        type: "alert.firing",
        value: 5000,
        rule: { id, metric: "approve_rate", filters: { provider }, threshold: 8000, resolve_threshold: 9000 },
      },
    });

    // Still bad: firing, nothing new. Then good attempts arrive; the mix (75 %) is still below.
    await evaluateAt(B + 2 * MINUTE);
    await attempts(p.id, 10, {
      provider,
      outcome: "authorized",
      latencyMs: 100,
      at: iso(B + 2 * MINUTE + 30_000),
    });
    await evaluateAt(B + 3 * MINUTE);
    expect(await rule(id)).toMatchObject({ state: "firing", streak: 0, last_value: 7500, last_samples: 20 });
    // The bad ones leave the window: 100 % clears the 90 % resolve threshold, twice.
    await evaluateAt(B + 6 * MINUTE);
    expect(await rule(id)).toMatchObject({ state: "firing", streak: 1, last_value: 10_000 });
    await evaluateAt(B + 7 * MINUTE);
    expect(await rule(id)).toMatchObject({ state: "ok", streak: 0, state_since: iso(B + 7 * MINUTE) });
    await evaluateAt(B + 8 * MINUTE);

    const all = await transitions(id);
    expect(all.map((e) => [e.kind, e.delivery.status])).toEqual([
      ["firing", "delivered"],
      ["resolved", "delivered"],
    ]);
    expect(all[1]).toMatchObject({ value: 10_000, payload: { type: "alert.resolved" } });
    const rows = await db.select().from(alertEvents).where(eq(alertEvents.ruleId, id));
    expect(rows.map((r) => r.deliveryAttempts)).toEqual([1, 1]);
  });

  it("a webhook connector gets one signed POST per transition; a failed delivery is retried on the next run, never repeated once delivered", async () => {
    const B = nextBase();
    const p = await provisionPartner();
    const provider = providerName("acq-hook");
    const hook = receiver();
    await hook.script({ fail: 1, status: 503 });
    const created = await createRule({
      ...approveRule(provider, { type: "webhook", url: hook.url }),
      fire_after: 1,
      resolve_after: 1,
    });
    expect(created.res.status).toBe(201);
    const id = created.body.result.id as string;
    const secret = created.body.result.signing_secret as string;
    expect(secret).toMatch(/^whsec_/);
    expect(created.body.result.connector).toEqual({ type: "webhook", url: hook.url });
    // The secret is shown once: never read back, never in the audit log.
    expect(JSON.stringify(await rule(id))).not.toContain(secret);
    const [audit] = await db
      .select()
      .from(adminAuditLog)
      .where(and(eq(adminAuditLog.action, "alert_rule.create"), eq(adminAuditLog.target, id)));
    expect(audit?.outcome).toBe(201);
    expect(audit?.diff).toMatchObject({ before: null, after: { id, metric: "approve_rate" } });
    expect(JSON.stringify(audit)).not.toContain(secret);

    await attempts(p.id, 6, { provider, outcome: "declined", latencyMs: 80, at: iso(B - MINUTE) });
    await evaluateAt(B);
    let [event] = await transitions(id);
    expect(event).toMatchObject({
      kind: "firing",
      delivery: { status: "pending", attempts: 1, last_error: "status 503", delivered_at: null },
    });
    expect(await hook.received()).toHaveLength(1);

    await evaluateAt(B + MINUTE);
    [event] = await transitions(id);
    expect(event).toMatchObject({
      delivery: { status: "delivered", attempts: 2, last_error: null, delivered_at: iso(B + MINUTE) },
    });
    await evaluateAt(B + 2 * MINUTE);
    const got = await hook.received();
    expect(got).toHaveLength(2);
    const [first, second] = got;
    // Both attempts carry the same id and body; the signature verifies with the rule's secret.
    expect(second?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
    expect(second?.body).toBe(first?.body);
    const body = JSON.parse(second?.body ?? "{}");
    expect(body).toMatchObject({
      id: (event as unknown as { id: string }).id,
      type: "alert.firing",
      value: 0,
      samples: 6,
    });
    const ts = Number(second?.headers["webhook-timestamp"]);
    expect(ts).toBe(Math.floor((B + MINUTE) / 1000));
    expect(second?.headers["webhook-signature"]).toBe(
      await signatureFor(secret, second?.headers["webhook-id"] ?? "", ts, second?.body ?? ""),
    );
    expect(second?.headers["content-type"]).toContain("application/json");

    // Recovery: good attempts only, once the bad ones are out of the window: resolved, one POST.
    await attempts(p.id, 6, { provider, outcome: "authorized", latencyMs: 80, at: iso(B + 10 * MINUTE) });
    await evaluateAt(B + 11 * MINUTE);
    await evaluateAt(B + 12 * MINUTE);
    expect((await rule(id)).state).toBe("ok");
    const after = await hook.received();
    expect(after).toHaveLength(3);
    expect(JSON.parse(after[2]?.body ?? "{}")).toMatchObject({ type: "alert.resolved", value: 10_000 });
    expect((await transitions(id)).map((e) => [e.kind, e.delivery.status])).toEqual([
      ["firing", "delivered"],
      ["resolved", "delivered"],
    ]);
  });

  it("a p95 oscillating around the threshold never fires; inside the band it neither fires nor resolves", async () => {
    const B = nextBase();
    const p = await provisionPartner();
    const provider = providerName("acq-osc");
    const created = await createRule({
      name: "p95 latency",
      metric: "latency_p95_ms",
      filters: { provider, partner_id: p.id },
      comparator: "above",
      threshold: 1000,
      resolve_threshold: 800,
      window_minutes: 1,
      min_samples: 3,
      connector: { type: "sandbox" },
    });
    const id = created.body.result.id as string;
    // Minute i's attempts all take `ms`; the evaluation at the minute's end sees only them.
    const minute = async (i: number, ms: number) => {
      await attempts(p.id, 3, {
        provider,
        outcome: "authorized",
        latencyMs: ms,
        at: iso(B + i * MINUTE - 30_000),
      });
      await evaluateAt(B + i * MINUTE);
      return rule(id);
    };
    const states: string[] = [];
    for (const [i, ms] of [1500, 500, 1500, 500, 1500, 900, 1500, 500].entries())
      states.push((await minute(i + 1, ms)).state);
    expect(states.every((s) => s === "ok")).toBe(true);
    expect(await transitions(id)).toEqual([]);

    // Two in a row above: firing. Then 900 (inside the band), 700, 1500, 700: still firing.
    await minute(9, 1500);
    expect((await minute(10, 1500)).state).toBe("firing");
    for (const [i, ms] of [900, 700, 1500, 700, 900].entries())
      expect((await minute(11 + i, ms)).state).toBe("firing");
    // Two in a row at or below 800: resolved.
    await minute(16, 800);
    expect((await minute(17, 700)).state).toBe("ok");
    expect((await transitions(id)).map((e) => e.kind)).toEqual(["firing", "resolved"]);
  });

  it("fewer samples than min_samples are no data: nothing moves; a deleted rule is gone", async () => {
    const B = nextBase();
    const p = await provisionPartner();
    const provider = providerName("acq-few");
    const created = await createRule({ ...approveRule(provider), fire_after: 1 });
    const id = created.body.result.id as string;
    await attempts(p.id, 4, { provider, outcome: "declined", latencyMs: 10, at: iso(B - MINUTE) });
    await evaluateAt(B);
    expect(await rule(id)).toMatchObject({ state: "ok", streak: 0, last_value: 0, last_samples: 4 });
    await evaluateAt(B + MINUTE);
    expect(await transitions(id)).toEqual([]);
    // An empty window is no data too.
    await evaluateAt(B + 30 * MINUTE);
    expect(await rule(id)).toMatchObject({ state: "ok", last_value: null, last_samples: 0 });

    const operator = await admin("operator");
    const gone = await adminCall("DELETE", `/admin/v1/alerts/rules/${id}`, { token: operator.token });
    expect(gone.body.result).toEqual({ id, object: "alert_rule", deleted: true });
    expect(await db.select().from(alertRules).where(eq(alertRules.id, id))).toEqual([]);
    const again = await adminCall("DELETE", `/admin/v1/alerts/rules/${id}`, { token: operator.token });
    expect([again.res.status, again.body.error.code]).toEqual([404, 30]);
  });

  it("webhook lag p95 counts a delivery still waiting with its lag so far", async () => {
    const B = nextBase();
    const p = await provisionPartner();
    const created = await createRule({
      name: "Webhook lag",
      metric: "webhook_lag_p95_ms",
      filters: { partner_id: p.id },
      comparator: "above",
      threshold: 60_000,
      window_minutes: 10,
      min_samples: 1,
      fire_after: 1,
      connector: { type: "sandbox" },
    });
    const id = created.body.result.id as string;
    const { delivered } = await import("./support");
    await delivered(p.id, iso(B - 5 * MINUTE), "pending", [{ afterMs: 100, code: 500 }]);
    await evaluateAt(B);
    expect(await rule(id)).toMatchObject({ state: "firing", last_value: 5 * MINUTE, last_samples: 1 });
    expect((await transitions(id)).map((e) => e.kind)).toEqual(["firing"]);
  });
});

describe("alert rules: the API", () => {
  it("lists, reads and changes a rule (audited); the change keeps the state and restarts the streak", async () => {
    const created = await createRule(approveRule(providerName("acq-crud")));
    const id = created.body.result.id as string;
    const operator = await admin("operator");
    const list = await adminCall("GET", "/admin/v1/alerts/rules", { token: (await admin("viewer")).token });
    expect(list.body.result.object).toBe("list");
    expect(list.body.result.data.map((r: { id: string }) => r.id)).toContain(id);
    const changed = await adminCall("PATCH", `/admin/v1/alerts/rules/${id}`, {
      token: operator.token,
      json: { params: { threshold: 7000, name: "Renamed" } },
    });
    expect(changed.res.status).toBe(200);
    expect(changed.body.result).toMatchObject({
      name: "Renamed",
      threshold: 7000,
      resolve_threshold: 7000,
      state: "ok",
    });
    const [audit] = await db
      .select()
      .from(adminAuditLog)
      .where(and(eq(adminAuditLog.action, "alert_rule.change"), eq(adminAuditLog.target, id)));
    expect(audit?.diff).toMatchObject({
      before: { threshold: 8000 },
      after: { threshold: 7000, name: "Renamed" },
    });
    const wrongSide = await adminCall("PATCH", `/admin/v1/alerts/rules/${id}`, {
      token: operator.token,
      json: { params: { resolve_threshold: 6000 } },
    });
    expect([wrongSide.res.status, wrongSide.body.error.code]).toEqual([400, 231]);
    const missing = await adminCall("GET", `/admin/v1/alerts/rules/${crypto.randomUUID()}`, {
      token: operator.token,
    });
    expect([missing.res.status, missing.body.error.code]).toEqual([404, 30]);
    await expectDocumented("adminChangeAlertRule", [[200], [400, 231], [404, 30]]);
  });

  it("refuses thresholds off the metric's scale or on the wrong side, filters webhook lag cannot have, private URLs and malformed bodies", async () => {
    const provider = providerName("acq-bad-rule");
    const refused = async (params: Record<string, unknown>, status: number, code: number) => {
      const r = await createRule(params);
      expect([r.res.status, r.body.error.code], JSON.stringify(params)).toEqual([status, code]);
      return r;
    };
    await refused({ ...approveRule(provider), threshold: 10_001, resolve_threshold: 10_001 }, 400, 231);
    await refused({ ...approveRule(provider), resolve_threshold: 7000 }, 400, 231);
    await refused({ ...approveRule(provider), comparator: "above", resolve_threshold: 9000 }, 400, 231);
    await refused(
      {
        ...approveRule(provider),
        metric: "webhook_lag_p95_ms",
        comparator: "above",
        resolve_threshold: 8000,
      },
      400,
      231,
    );
    const privateUrl = await refused(
      approveRule(provider, { type: "webhook", url: "http://10.0.0.7/hook" }),
      400,
      232,
    );
    expect(privateUrl.body.error.field).toBe("params.connector.url");
    await refused(approveRule(provider, { type: "webhook", url: "ftp://alerts.bank.example/" }), 400, 232);
    await refused({ ...approveRule(provider), metric: "availability" }, 400, 4);
    await refused({ ...approveRule(provider), window_minutes: 0 }, 400, 4);
    await refused({ ...approveRule(provider), threshold: "80" }, 400, 3);
    await refused({ ...approveRule(provider), filters: { currency: "UZS" } }, 400, 4);
    await refused({ ...approveRule(provider), connector: { type: "email" } }, 400, 4);
    const { name: _name, ...nameless } = approveRule(provider);
    await refused(nameless, 400, 4);
    const notJson = await adminCall("POST", "/admin/v1/alerts/rules", {
      token: (await admin("operator")).token,
      headers: { "Content-Type": "application/json" },
      json: undefined,
    });
    expect(notJson.res.status).toBe(400);
    expect(
      await db
        .select()
        .from(alertRules)
        .where(eq(alertRules.name, `Approve rate of ${provider}`)),
    ).toEqual([]);
    await expectDocumented("adminCreateAlertRule", [[201], [400, 231], [400, 232], [400, 4], [409, 233]]);
  });

  it("roles: a viewer reads but may not create, change or delete; no role, no assertion or a partner's token get nothing; refusals are audited", async () => {
    const created = await createRule(approveRule(providerName("acq-roles")));
    const id = created.body.result.id as string;
    const viewer = await admin("viewer");
    const nobody = await admin(null);
    const partner = await provisionPartner();
    const routes: [string, string, unknown?][] = [
      ["GET", "/admin/v1/alerts/rules"],
      ["POST", "/admin/v1/alerts/rules", { params: approveRule("x") }],
      ["GET", `/admin/v1/alerts/rules/${id}`],
      ["PATCH", `/admin/v1/alerts/rules/${id}`, { params: { name: "x" } }],
      ["DELETE", `/admin/v1/alerts/rules/${id}`],
      ["GET", "/admin/v1/alerts/events"],
    ];
    for (const [method, path, json] of routes) {
      const opts = json === undefined ? {} : { json };
      const none = await adminCall(method, path, opts);
      expect([method, path, none.res.status, none.body.error.code]).toEqual([method, path, 401, 100]);
      const bearer = await adminCall(method, path, {
        ...opts,
        headers: { Authorization: `Bearer ${partner.consumerKey}` },
      });
      expect([method, path, bearer.res.status]).toEqual([method, path, 401]);
      const noRole = await adminCall(method, path, { ...opts, token: nobody.token });
      expect([method, path, noRole.res.status, noRole.body.error.code]).toEqual([method, path, 403, 103]);
      const asViewer = await adminCall(method, path, { ...opts, token: viewer.token });
      const writes = method !== "GET";
      expect([method, path, asViewer.res.status]).toEqual([method, path, writes ? 403 : 200]);
      if (writes) expect(asViewer.body.error.code).toBe(104);
    }
    expect((await rule(id)).name).toBe(`Approve rate of ${created.body.result.filters.provider}`);
    const refusals = await db
      .select()
      .from(adminAuditLog)
      .where(and(eq(adminAuditLog.identity, viewer.email), eq(adminAuditLog.outcome, 403)));
    expect(refusals.map((r) => r.action).sort()).toEqual([
      "alert_rule.change",
      "alert_rule.create",
      "alert_rule.delete",
    ]);
    const wrongMethod = await adminCall("PUT", `/admin/v1/alerts/rules/${id}`, {
      token: viewer.token,
      json: {},
    });
    expect(wrongMethod.res.status).toBe(405);
  });
});
