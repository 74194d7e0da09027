import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkUsageAlerts } from "../../../src/modules/billing/alerts";
import { meteredUsage } from "../../../src/modules/billing/metering/storage";
import { nextPeriod, periodContaining } from "../../../src/modules/billing/period";
import { loadConfig } from "../../../src/platform/env";
import { createLogger } from "../../../src/platform/lib/logger";
import { call, tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";
import { seedPlan } from "../../support/plans";
import { securitySuite } from "../../support/security-suite";

securitySuite({ method: "GET", path: "/v1/usage/alerts", product: null, scope: "usage:read" });
securitySuite({
  method: "POST",
  path: "/v1/usage/alerts",
  product: null,
  scope: "partner:write",
  json: { params: { product: "payments", threshold_percent: 80 } },
});

const SCHEDULE = { interval: "month" as const, starts_on: "2026-01-01" };

const eventsOf = async (partnerId: string) =>
  (
    await env.DB.prepare("SELECT type, data FROM events WHERE partner_id = ? ORDER BY id")
      .bind(partnerId)
      .all<{ type: string; data: string }>()
  ).results.map((r) => ({ type: r.type, object: JSON.parse(r.data).object }));

/** The job as the cron runs it, at `now`. */
const runAt = (now: number) =>
  checkUsageAlerts({ env, config: loadConfig(env), db, log: createLogger("error"), now }, 200);

async function use(partnerId: string, hour: string, calls: number) {
  await db
    .insert(meteredUsage)
    .values({ partnerId, hour, product: "payments", operation: "listPayments", outcome: "success", calls });
}

describe("usage alerts: the partner API", () => {
  it("adds, lists and removes alerts; the same alert twice is one; another partner's is 404", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const token = await tokenFor(p);
    const made = await call("POST", "/v1/usage/alerts", {
      token,
      json: { params: { product: "payments", threshold_percent: 80 } },
    });
    expect(made.res.status).toBe(200);
    expect(made.body.result).toMatchObject({
      object: "usage_alert",
      product: "payments",
      threshold_percent: 80,
    });
    const again = await call("POST", "/v1/usage/alerts", {
      token,
      json: { params: { product: "payments", threshold_percent: 80 } },
    });
    expect(again.body.result.id).toBe(made.body.result.id);
    const listed = await call("GET", "/v1/usage/alerts", { token });
    expect(listed.body.result.data).toEqual([made.body.result]);

    const other = await provisionPartner({ products: ["payments"] });
    const foreign = await call("DELETE", `/v1/usage/alerts/${made.body.result.id}`, {
      token: await tokenFor(other),
    });
    expect(foreign.res.status).toBe(404);
    expect(foreign.body.error.code).toBe(30);
    const gone = await call("DELETE", `/v1/usage/alerts/${made.body.result.id}`, { token });
    expect(gone.body.result).toEqual({ id: made.body.result.id, object: "usage_alert", deleted: true });
    expect((await call("GET", "/v1/usage/alerts", { token })).body.result.data).toEqual([]);
    const twice = await call("DELETE", `/v1/usage/alerts/${made.body.result.id}`, { token });
    expect(twice.res.status).toBe(404);
  });

  it("bad input changes nothing: thresholds outside 1–1000, wrong types, unknown members and products", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const token = await tokenFor(p);
    for (const [params, code] of [
      [{ product: "payments", threshold_percent: 0 }, 4],
      [{ product: "payments", threshold_percent: 1001 }, 4],
      [{ product: "payments", threshold_percent: 80.5 }, 3],
      [{ product: "payments", threshold_percent: "80" }, 3],
      [{ product: "gold", threshold_percent: 80 }, 4],
      [{ product: "payments", threshold_percent: 80, channel: "sms" }, 4],
      [{ threshold_percent: 80 }, 4],
    ] as const) {
      const r = await call("POST", "/v1/usage/alerts", { token, json: { params } });
      expect(r.res.status, JSON.stringify(params)).toBe(400);
      expect(r.body.error.code, JSON.stringify(params)).toBe(code);
    }
    const notUuid = await call("DELETE", "/v1/usage/alerts/not-a-uuid", { token });
    expect(notUuid.res.status).toBe(400);
    const method = await call("PUT", "/v1/usage/alerts", { token, json: { params: {} } });
    expect(method.res.status).toBe(405);
    expect((await call("GET", "/v1/usage/alerts", { token })).body.result.data).toEqual([]);
  });
});

describe("usage alerts: the usage.alerts job", () => {
  it("emits usage.threshold_reached once per alert and period, also when run twice or concurrently; a new period crosses again", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    await seedPlan(p.id, { products: { payments: { included_calls: 100 } } }, { startsOn: "2026-01-01" });
    const token = await tokenFor(p);
    const alert = (
      await call("POST", "/v1/usage/alerts", {
        token,
        json: { params: { product: "payments", threshold_percent: 80 } },
      })
    ).body.result;
    await call("POST", "/v1/usage/alerts", {
      token,
      json: { params: { product: "payments", threshold_percent: 150 } },
    });

    const now = Date.now();
    const period = periodContaining(SCHEDULE, new Date(now).toISOString().slice(0, 10));
    if (!period) throw new Error("billing started in the past");
    await use(p.id, `${period.start}T01:00:00Z`, 79);
    await runAt(now);
    expect(await eventsOf(p.id)).toEqual([]);

    await use(p.id, `${period.start}T02:00:00Z`, 1);
    await Promise.all([runAt(now), runAt(now), runAt(now)]);
    await runAt(now);
    const events = await eventsOf(p.id);
    expect(events).toEqual([
      {
        type: "usage.threshold_reached",
        object: {
          object: "usage_alert",
          id: alert.id,
          product: "payments",
          threshold_percent: 80,
          included_calls: 100,
          used_calls: 80,
          plan_version: 1,
          period: { start: period.start, end: period.end },
        },
      },
    ]);

    // The next period: counted from zero, the alert can cross again.
    const next = nextPeriod(SCHEDULE, period);
    const later = Date.parse(`${next.start}T12:00:00Z`);
    await runAt(later);
    expect((await eventsOf(p.id)).length).toBe(1);
    await use(p.id, `${next.start}T03:00:00Z`, 90);
    await runAt(later);
    await runAt(later);
    const all = await eventsOf(p.id);
    expect(all.map((e) => [e.object.threshold_percent, e.object.period.start, e.object.used_calls])).toEqual([
      [80, period.start, 80],
      [80, next.start, 90],
    ]);
  });

  it("a partner without a plan, or a product without included calls, never fires", async () => {
    const p = await provisionPartner({ products: ["payments", "fx"] });
    const token = await tokenFor(p);
    await call("POST", "/v1/usage/alerts", {
      token,
      json: { params: { product: "payments", threshold_percent: 1 } },
    });
    const now = Date.now();
    await use(p.id, `${new Date(now).toISOString().slice(0, 13)}:00:00Z`, 10);
    await runAt(now);
    await seedPlan(p.id, { products: { fx: { included_calls: 10 } } });
    await runAt(now);
    expect(await eventsOf(p.id)).toEqual([]);
  });
});
