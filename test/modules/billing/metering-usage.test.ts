import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { admin, adminCall } from "../../support/admin";
import { logRow, partnerWithToken, send } from "../usage/support";

// GET /v1/usage and the admin's usage read the metered billable calls beside the request log:
// per day or hour, of every product or one. metered_usage is seeded directly (the consumer's
// work is proven in metering*.test.ts); METERING is off so the reads below add nothing.

const NOW = Date.parse("2026-12-10T12:00:00.000Z");
const OFF = { METERING: "off" };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

async function metered(partnerId: string, rows: [string, string, string, string, number][]) {
  await env.DB.batch(
    rows.map(([hour, product, operation, outcome, calls]) =>
      env.DB.prepare(
        "INSERT INTO metered_usage (partner_id, hour, product, operation, outcome, calls) VALUES (?, ?, ?, ?, ?, ?)",
      ).bind(partnerId, hour, product, operation, outcome, calls),
    ),
  );
}

/** Two hours of the 8th and one of the 9th; refusals never billable; one row outside the span. */
async function seeded(partnerId: string) {
  await metered(partnerId, [
    ["2026-12-08T08:00:00Z", "payments", "createPayment", "success", 40],
    ["2026-12-08T08:00:00Z", "payments", "createPayment", "client_error", 3],
    ["2026-12-08T08:00:00Z", "payments", "createPayment", "refused", 50],
    ["2026-12-08T09:00:00Z", "payments", "getPayment", "server_error", 2],
    ["2026-12-08T09:00:00Z", "cards", "listCards", "success", 5],
    ["2026-12-09T23:00:00Z", "payments", "getPayment", "success", 1],
    ["2026-12-06T23:00:00Z", "payments", "getPayment", "success", 1000],
  ]);
  // The request log saw two of the payments calls of 08:00 (the rest pruned, say).
  await logRow(partnerId, Date.parse("2026-12-08T08:10:00.000Z"), { latencyMs: 5 });
  await logRow(partnerId, Date.parse("2026-12-08T08:20:00.000Z"), {
    latencyMs: 7,
    status: 400,
    errorCode: 4,
  });
}

describe("GET /v1/usage: billable calls, per day or hour, per product", () => {
  it("per day (the default): billable beside the log's figures, per row, per day and in total", async () => {
    const { partner, token } = await partnerWithToken();
    await seeded(partner.id);
    const r = await send("GET", "/v1/usage?from=2026-12-07&to=2026-12-09", { token, env: OFF });
    expect(r.res.status).toBe(200);
    const u = r.body.result;
    expect(u).toMatchObject({ granularity: "day", product: null });
    expect(u.data.map((d: Record<string, unknown>) => [d.date, d.product, d.calls, d.billable])).toEqual([
      ["2026-12-08", "cards", 0, 5],
      ["2026-12-08", "payments", 2, 45],
      ["2026-12-09", "payments", 0, 1],
    ]);
    expect(u.data[1]).not.toHaveProperty("hour");
    expect(u.days.map((d: Record<string, unknown>) => [d.date, d.billable])).toEqual([
      ["2026-12-07", 0],
      ["2026-12-08", 50],
      ["2026-12-09", 1],
    ]);
    expect(u.totals).toMatchObject({ calls: 2, errors: 1, billable: 51 });
  });

  it("per hour, and of one product", async () => {
    const { partner, token } = await partnerWithToken();
    await seeded(partner.id);
    const r = await send("GET", "/v1/usage?from=2026-12-08&to=2026-12-09&granularity=hour", {
      token,
      env: OFF,
    });
    expect(r.res.status).toBe(200);
    expect(
      r.body.result.data.map((d: Record<string, unknown>) => [
        d.date,
        d.hour,
        d.product,
        d.calls,
        d.billable,
      ]),
    ).toEqual([
      ["2026-12-08", "2026-12-08T08:00:00Z", "payments", 2, 43],
      ["2026-12-08", "2026-12-08T09:00:00Z", "cards", 0, 5],
      ["2026-12-08", "2026-12-08T09:00:00Z", "payments", 0, 2],
      ["2026-12-09", "2026-12-09T23:00:00Z", "payments", 0, 1],
    ]);
    expect(r.body.result.granularity).toBe("hour");

    const cards = await send("GET", "/v1/usage?from=2026-12-08&to=2026-12-09&product=cards", {
      token,
      env: OFF,
    });
    expect(cards.body.result).toMatchObject({ product: "cards", totals: { calls: 0, billable: 5 } });
    expect(cards.body.result.data.map((d: Record<string, unknown>) => d.product)).toEqual(["cards"]);
    expect(cards.body.result.days.map((d: Record<string, unknown>) => d.billable)).toEqual([5, 0]);

    const csv = await send(
      "GET",
      "/v1/usage.csv?from=2026-12-08&to=2026-12-08&granularity=hour&product=payments",
      {
        token,
        env: OFF,
      },
    );
    expect(csv.res.status).toBe(200);
    expect(csv.body).toBe(
      [
        "date,hour,product,calls,errors,errors_4xx,errors_5xx,error_rate,p50_latency_ms,p99_latency_ms,billable",
        "2026-12-08,2026-12-08T08:00:00Z,payments,2,1,1,0,0.5,5,7,43",
        "2026-12-08,2026-12-08T09:00:00Z,payments,0,0,0,0,0,,,2",
        "",
      ].join("\r\n"),
    );
  });

  it("refuses bad values with the validation envelope (code 4) and reads nothing of another partner", async () => {
    const { partner, token } = await partnerWithToken();
    const other = await partnerWithToken();
    await seeded(other.partner.id);
    for (const query of [
      "granularity=week",
      "granularity=",
      "granularity=HOUR",
      "product=nope",
      "product=",
      "from=2026-11-01&to=2026-12-09&granularity=hour",
    ]) {
      for (const path of ["/v1/usage", "/v1/usage.csv"]) {
        const r = await send("GET", `${path}?${query}`, { token, env: OFF });
        expect(r.res.status, `${path}?${query}`).toBe(400);
        expect(r.body.error.code).toBe(4);
      }
    }
    const mine = await send("GET", "/v1/usage?from=2026-12-07&to=2026-12-09", { token, env: OFF });
    expect(mine.body.result.totals.billable).toBe(0);
    expect(mine.body.result.data).toEqual([]);
    expect(partner.id).not.toBe(other.partner.id);
  });
});

describe("admin: a partner's billable calls", () => {
  it("the same cut as the partner's: per hour, of one product; bad values refused", async () => {
    const p = (await partnerWithToken()).partner;
    await seeded(p.id);
    const { token } = await admin("viewer");
    const r = await adminCall(
      "GET",
      `/admin/v1/partners/${p.id}/usage?from=2026-12-08&to=2026-12-08&granularity=hour&product=payments`,
      { token },
    );
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({
      granularity: "hour",
      product: "payments",
      totals: { billable: 45 },
    });
    expect(r.body.result.data.map((d: Record<string, unknown>) => [d.hour, d.billable])).toEqual([
      ["2026-12-08T08:00:00Z", 43],
      ["2026-12-08T09:00:00Z", 2],
    ]);
    const day = await adminCall("GET", `/admin/v1/partners/${p.id}/usage?from=2026-12-08&to=2026-12-09`, {
      token,
    });
    expect(day.body.result.days.map((d: Record<string, unknown>) => d.billable)).toEqual([50, 1]);
    for (const query of ["granularity=minute", "product=nope"]) {
      const bad = await adminCall("GET", `/admin/v1/partners/${p.id}/usage?${query}`, { token });
      expect(bad.res.status).toBe(400);
      expect(bad.body.error.code).toBe(4);
    }
  });
});
