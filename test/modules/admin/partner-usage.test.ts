import { describe, expect, it } from "vitest";
import { admin, adminCall, expectDocumented } from "../../support/admin";
import { provisionPartner } from "../../support/partners";
import { logRow } from "../usage/support";

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("admin: a partner's usage per day", () => {
  it("answers what the partner's own usage report does, per day over the last 30 days unless told", async () => {
    const p = await provisionPartner();
    const other = await provisionPartner();
    const now = Date.now();
    const today = dayOf(now);
    const yesterday = dayOf(now - DAY);
    const noon = (day: string) => Date.parse(`${day}T12:00:00.000Z`);
    for (const [ms, status] of [
      [10, 200],
      [20, 200],
      [30, 500],
      [40, 404],
    ] as const)
      await logRow(p.id, noon(yesterday) + ms, { latencyMs: ms, status });
    await logRow(p.id, noon(yesterday) + 99, { latencyMs: 5, product: "cards", route: "/v1/cards" });
    await logRow(p.id, noon(dayOf(now - 40 * DAY)), { latencyMs: 5 }); // before the 30 days
    await logRow(other.id, noon(yesterday), { latencyMs: 5 }); // another partner's

    const { token } = await admin("viewer");
    const r = await adminCall("GET", `/admin/v1/partners/${p.id}/usage`, { token });
    expect(r.res.status).toBe(200);
    const usage = r.body.result;
    expect(usage).toMatchObject({
      object: "partner_usage",
      partner_id: p.id,
      from: dayOf(now - 29 * DAY),
      to: today,
    });
    expect(usage.days).toHaveLength(30);
    expect(usage.days.at(-2)).toEqual({
      date: yesterday,
      calls: 5,
      errors: 2,
      errors_4xx: 1,
      errors_5xx: 1,
      error_rate: 0.4,
      p50_latency_ms: 20,
      p99_latency_ms: 40,
      billable: 0,
    });
    expect(usage.days.at(-1)).toMatchObject({ date: today, calls: 0, p50_latency_ms: null });
    expect(usage.totals).toMatchObject({ calls: 5, errors: 2 });
    expect(
      usage.data.map((d: { date: string; product: string; calls: number }) => [d.product, d.calls]),
    ).toEqual([
      ["cards", 1],
      ["payments", 4],
    ]);
    expect(usage).not.toHaveProperty("limits");

    // The same report as the partner reads it: a chosen span.
    const span = await adminCall(
      "GET",
      `/admin/v1/partners/${p.id}/usage?from=${yesterday}&to=${yesterday}`,
      {
        token,
      },
    );
    expect(span.body.result.days).toEqual([usage.days.at(-2)]);
  });

  it("refuses an unknown partner (30), bad ids and spans (4), no role (103) and no Access (100)", async () => {
    const { token } = await admin("viewer");
    const p = await provisionPartner();
    const unknown = await adminCall("GET", `/admin/v1/partners/${crypto.randomUUID()}/usage`, { token });
    expect(unknown.res.status).toBe(404);
    expect(unknown.body.error.code).toBe(30);
    for (const path of [
      "/admin/v1/partners/not-a-uuid/usage",
      `/admin/v1/partners/${p.id}/usage?from=2026-13-01`,
      `/admin/v1/partners/${p.id}/usage?from=2026-03-02&to=2026-03-01`,
      `/admin/v1/partners/${p.id}/usage?from=2026-01-01&to=2026-12-31`,
    ]) {
      const bad = await adminCall("GET", path, { token });
      expect([path, bad.res.status, bad.body.error.code]).toEqual([path, 400, 4]);
    }
    const noRole = await adminCall("GET", `/admin/v1/partners/${p.id}/usage`, {
      token: (await admin(null)).token,
    });
    expect(noRole.body.error.code).toBe(103);
    const anonymous = await adminCall("GET", `/admin/v1/partners/${p.id}/usage`);
    expect(anonymous.res.status).toBe(401);
    expect(anonymous.body.error.code).toBe(100);
    await expectDocumented("adminGetPartnerUsage", [[200], [404, 30], [400, 4], [403, 103], [401, 100]]);
  });
});
