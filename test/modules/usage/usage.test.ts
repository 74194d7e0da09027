import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { securitySuite } from "../../support/security-suite";
import { logRow, partnerWithToken, send } from "./support";

securitySuite({ method: "GET", path: "/v1/usage", product: null, scope: "usage:read" });
securitySuite({ method: "GET", path: "/v1/usage.csv", product: null, scope: "usage:read", envelope: false });

// "Now" is fixed: today is 2026-12-10 (UTC) for the gateway and its token.
const NOW = Date.parse("2026-12-10T12:00:00.000Z");
const at = (iso: string) => Date.parse(iso);

/** The tests below, today fixed (the security suites above keep the real clock). */
function today() {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/**
 * Known latencies. 2026-12-08, payments: 1…100 ms, 7 answered 404 and 3 answered 503; cards: 10,
 * 20, 30 ms, the last one 500. 2026-12-09, payments: one 400 in 7 ms. One row either side of the span.
 */
async function seeded(partnerId: string) {
  for (let ms = 1; ms <= 100; ms++) {
    const status = ms <= 7 ? 404 : ms <= 10 ? 503 : 200;
    await logRow(partnerId, at("2026-12-08T08:00:00.000Z") + ms * 1000, {
      latencyMs: ms,
      status,
      errorCode: status === 404 ? 30 : status === 503 ? 91 : null,
    });
  }
  for (const [ms, status] of [
    [10, 200],
    [20, 200],
    [30, 500],
  ] as const)
    await logRow(partnerId, at("2026-12-08T20:00:00.000Z") + ms, {
      latencyMs: ms,
      status,
      product: "cards",
      route: "/v1/cards",
      errorCode: status === 500 ? 1 : null,
    });
  await logRow(partnerId, at("2026-12-09T23:59:59.999Z"), { latencyMs: 7, status: 400, errorCode: 4 });
  await logRow(partnerId, at("2026-12-06T23:59:59.999Z"), { latencyMs: 5000, status: 500, errorCode: 1 });
  await logRow(partnerId, at("2026-12-10T00:00:00.000Z"), { latencyMs: 5000, status: 500, errorCode: 1 });
}

const zero = {
  calls: 0,
  errors: 0,
  errors_4xx: 0,
  errors_5xx: 0,
  error_rate: 0,
  p50_latency_ms: null,
  p99_latency_ms: null,
  billable: 0,
};

describe("GET /v1/usage", () => {
  today();
  it("per day and product, per day and in total: calls, errors, error rates and exact nearest-rank p50/p99", async () => {
    const { partner, token } = await partnerWithToken();
    await seeded(partner.id);
    const r = await send("GET", "/v1/usage?from=2026-12-07&to=2026-12-09", { token });
    expect(r.res.status).toBe(200);
    const usage = r.body.result;
    expect(usage).toMatchObject({ object: "usage", from: "2026-12-07", to: "2026-12-09" });
    expect(usage.data).toEqual([
      {
        date: "2026-12-08",
        product: "cards",
        calls: 3,
        errors: 1,
        errors_4xx: 0,
        errors_5xx: 1,
        error_rate: 0.3333,
        p50_latency_ms: 20, // rank ⌈1.5⌉ = 2
        p99_latency_ms: 30, // rank ⌈2.97⌉ = 3
        billable: 0,
      },
      {
        date: "2026-12-08",
        product: "payments",
        calls: 100,
        errors: 10,
        errors_4xx: 7,
        errors_5xx: 3,
        error_rate: 0.1,
        p50_latency_ms: 50,
        p99_latency_ms: 99,
        billable: 0,
      },
      {
        date: "2026-12-09",
        product: "payments",
        calls: 1,
        errors: 1,
        errors_4xx: 1,
        errors_5xx: 0,
        error_rate: 1,
        p50_latency_ms: 7,
        p99_latency_ms: 7,
        billable: 0,
      },
    ]);
    // The 8th together: 1…100 and 10, 20, 30 (103 values): rank 52 is 49, rank 102 is 99.
    expect(usage.days).toEqual([
      { date: "2026-12-07", ...zero },
      {
        date: "2026-12-08",
        calls: 103,
        errors: 11,
        errors_4xx: 7,
        errors_5xx: 4,
        error_rate: 0.1068,
        p50_latency_ms: 49,
        p99_latency_ms: 99,
        billable: 0,
      },
      {
        date: "2026-12-09",
        calls: 1,
        errors: 1,
        errors_4xx: 1,
        errors_5xx: 0,
        error_rate: 1,
        p50_latency_ms: 7,
        p99_latency_ms: 7,
        billable: 0,
      },
    ]);
    // The span: those and 7 ms (104 values): rank 52 is 48, rank 103 is 99.
    expect(usage.totals).toEqual({
      calls: 104,
      errors: 12,
      errors_4xx: 8,
      errors_5xx: 4,
      error_rate: 0.1154,
      p50_latency_ms: 48,
      p99_latency_ms: 99,
      billable: 0,
    });
  });

  it("the plan's limits beside today's recorded calls: the quota counts what the limiter counted", async () => {
    const { partner, token } = await partnerWithToken({
      tier: "standard",
      rateLimitPerSecond: 5,
      dailyQuota: 100,
    });
    await seeded(partner.id);
    const second = at("2026-12-10T10:00:00.000Z");
    for (const ms of [100, 200, 300]) await logRow(partner.id, second + ms);
    await logRow(partner.id, second + 400, { status: 429, errorCode: 40 });
    await logRow(partner.id, second + 1100, { status: 429, errorCode: 41 });
    await logRow(partner.id, second + 2100, { status: 503, errorCode: 42 });
    const r = await send("GET", "/v1/usage", { token });
    expect(r.res.status).toBe(200);
    expect(r.body.result.limits).toEqual({
      tier: "standard",
      calls_today: 7,
      requests_per_second: { limit: 5, peak_today: 4, rate_limited_today: 1 },
      daily_quota: {
        limit: 100,
        used_today: 4,
        remaining_today: 96,
        quota_exceeded_today: 1,
        resets_at: "2026-12-11T00:00:00.000Z",
      },
    });
    // The default span: the last 7 days, today included.
    expect(r.body.result).toMatchObject({ from: "2026-12-04", to: "2026-12-10" });
    expect(r.body.result.days.map((d: { date: string }) => d.date)).toEqual([
      "2026-12-04",
      "2026-12-05",
      "2026-12-06",
      "2026-12-07",
      "2026-12-08",
      "2026-12-09",
      "2026-12-10",
    ]);
    expect(r.body.result.days[2].calls).toBe(1);

    // No quota: none to count against. The usage read above is a call of today too.
    const open = await partnerWithToken({ dailyQuota: null });
    const unlimited = await send("GET", "/v1/usage", { token: open.token });
    expect(unlimited.body.result.limits.daily_quota).toEqual({
      limit: null,
      used_today: 0,
      remaining_today: null,
      quota_exceeded_today: 0,
      resets_at: "2026-12-11T00:00:00.000Z",
    });
    const again = await send("GET", "/v1/usage", { token: open.token });
    expect(again.body.result.limits).toMatchObject({ calls_today: 1, daily_quota: { used_today: 1 } });
  });

  it("refuses a bad span with the validation envelope: after `to`, over 90 days, not a date", async () => {
    const { token } = await partnerWithToken();
    const cases: [string, number, string][] = [
      ["from=2026-12-10&to=2026-12-09", 4, "from"],
      ["from=2026-09-01&to=2026-12-09", 4, "to"],
      ["to=2027-04-01&from=2026-12-31", 4, "to"],
      ["from=2026-02-30", 4, "from"],
      ["from=yesterday", 4, "from"],
      ["to=2026-12-09T00:00:00Z", 4, "to"],
    ];
    for (const path of ["/v1/usage", "/v1/usage.csv"])
      for (const [query, code, field] of cases) {
        const r = await send("GET", `${path}?${query}`, { token });
        expect(r.res.status, `${path}?${query}`).toBe(400);
        expect(r.res.headers.get("Content-Type")).toContain("application/json");
        expect(r.body.result).toBeNull();
        expect(r.body.error, `${path}?${query}`).toMatchObject({ code, field });
      }
    // Exactly 90 days is allowed.
    const longest = await send("GET", "/v1/usage?from=2026-09-11&to=2026-12-09", { token });
    expect(longest.res.status).toBe(200);
    expect(longest.body.result.days).toHaveLength(90);
  });
});

describe("GET /v1/usage.csv", () => {
  today();
  it("the same per-day-and-product rows as a CSV attachment", async () => {
    const { partner, token } = await partnerWithToken();
    await seeded(partner.id);
    const r = await send("GET", "/v1/usage.csv?from=2026-12-07&to=2026-12-09", { token });
    expect(r.res.status).toBe(200);
    expect(r.res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(r.res.headers.get("Content-Disposition")).toBe(
      'attachment; filename="portico-usage-2026-12-07-2026-12-09.csv"',
    );
    expect(r.res.headers.get("Cache-Control")).toBe("no-store");
    expect(r.body).toBe(
      [
        "date,product,calls,errors,errors_4xx,errors_5xx,error_rate,p50_latency_ms,p99_latency_ms,billable",
        "2026-12-08,cards,3,1,0,1,0.3333,20,30,0",
        "2026-12-08,payments,100,10,7,3,0.1,50,99,0",
        "2026-12-09,payments,1,1,1,0,1,7,7,0",
        "",
      ].join("\r\n"),
    );
    const empty = await send("GET", "/v1/usage.csv?from=2026-11-01&to=2026-11-02", { token });
    expect(empty.body).toBe(
      "date,product,calls,errors,errors_4xx,errors_5xx,error_rate,p50_latency_ms,p99_latency_ms,billable\r\n",
    );
  });
});
