import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { admin, adminCall, expectDocumented } from "../../support/admin";
import { provisionPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";
import { partnerWithToken, send } from "../usage/support";
import { dayOfCalls, logCalls } from "./sla-support";

securitySuite({ method: "GET", path: "/v1/sla", product: null, scope: "usage:read" });

// "Now" is fixed: today is 2026-12-10 (UTC) for the gateway, its tokens and the admin's.
const NOW = Date.parse("2026-12-10T12:00:00.000Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

/** November: 1000 calls, 6 of them 500 (99.40 %), p95 (the 950th) 801 ms; 20 refusals (429). */
async function breachedNovember(partnerId: string) {
  await logCalls(
    partnerId,
    dayOfCalls("2026-11-15", 1000, (i) => (i < 940 ? 100 : 801), { errors: 6 }),
  );
  await logCalls(
    partnerId,
    dayOfCalls("2026-11-16", 20, () => 9000, { refused: 20 }),
  );
}

const notMeasured = {
  calls: { total: 0, refused: 0, counted: 0, server_errors: 0 },
  availability: { target_bps: 9950, measured_bps: null, status: "not_measured", credit_bps: 0 },
  p95_latency: { target_ms: 800, measured_ms: null, rank: null, status: "not_measured", credit_bps: 0 },
  credit_bps: 0,
};

describe("GET /v1/sla", () => {
  it("answers a missed month's targets, measurement, misses and credit", async () => {
    const { partner, token } = await partnerWithToken({ tier: "standard" });
    await breachedNovember(partner.id);
    const r = await send("GET", "/v1/sla?month=2026-11", { token });
    expect(r.res.status).toBe(200);
    expect(r.body.result).toEqual({
      object: "sla",
      month: "2026-11",
      from: "2026-11-01",
      to: "2026-11-30",
      complete: true,
      tier: "standard",
      calls: { total: 1020, refused: 20, counted: 1000, server_errors: 6 },
      availability: { target_bps: 9950, measured_bps: 9940, status: "missed", credit_bps: 1000 },
      p95_latency: { target_ms: 800, measured_ms: 801, rank: 950, status: "missed", credit_bps: 500 },
      credit_bps: 1500,
    });
  });

  it("answers a met month, and this month (so far) by default", async () => {
    const { partner, token } = await partnerWithToken({ tier: "enterprise" });
    // Latencies 1…300 ms: 1–100 four times (400 calls), 101–300 three times; the 950th is the
    // 550th after the first 400, ⌈550 / 3⌉ = 184 values on: 284 ms. One 500 in 1000: 99.90 %.
    await logCalls(
      partner.id,
      dayOfCalls("2026-12-02", 1000, (i) => 1 + (i % 300), { errors: 1 }),
    );
    const r = await send("GET", "/v1/sla", { token });
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({
      month: "2026-12",
      from: "2026-12-01",
      to: "2026-12-31",
      complete: false,
      tier: "enterprise",
      availability: { target_bps: 9990, measured_bps: 9990, status: "met", credit_bps: 0 },
      p95_latency: { target_ms: 300, measured_ms: 284, rank: 950, status: "met", credit_bps: 0 },
      credit_bps: 0,
    });
  });

  it("answers a month without calls as not measured, and the sandbox tier without targets", async () => {
    const { token } = await partnerWithToken({ tier: "standard" });
    const r = await send("GET", "/v1/sla?month=2026-10", { token });
    expect(r.body.result).toMatchObject({ month: "2026-10", complete: true, ...notMeasured });
    const sandbox = await partnerWithToken({ tier: "sandbox" });
    await breachedNovember(sandbox.partner.id);
    const s = await send("GET", "/v1/sla?month=2026-11", { token: sandbox.token });
    expect(s.body.result).toMatchObject({
      tier: "sandbox",
      calls: { counted: 1000 },
      availability: { target_bps: null, measured_bps: 9940, status: "no_target", credit_bps: 0 },
      p95_latency: { target_ms: null, measured_ms: 801, status: "no_target", credit_bps: 0 },
      credit_bps: 0,
    });
  });

  it("measures only the caller's own calls", async () => {
    const { token } = await partnerWithToken({ tier: "standard" });
    const other = await provisionPartner({ tier: "standard" });
    await breachedNovember(other.id);
    const r = await send("GET", "/v1/sla?month=2026-11", { token });
    expect(r.body.result).toMatchObject(notMeasured);
  });

  it("refuses a malformed month and a later month (400, code 4, field month)", async () => {
    const { token } = await partnerWithToken();
    for (const month of ["2026-13", "2026-1", "26-11", "2026-11-01", "", "2027-01", "2026-12x"]) {
      const r = await send("GET", `/v1/sla?month=${encodeURIComponent(month)}`, { token });
      expect([month, r.res.status, r.body.error?.code, r.body.error?.field]).toEqual([
        month,
        400,
        4,
        "month",
      ]);
    }
    const post = await send("POST", "/v1/sla", { token, json: {} });
    expect(post.res.status).toBe(405);
    expect(post.body.error.code).toBe(5);
  });
});

describe("GET /admin/v1/partners/{id}/sla", () => {
  it("answers what the partner reads, with its id", async () => {
    const p = await provisionPartner({ tier: "standard" });
    await breachedNovember(p.id);
    const { token } = await admin("viewer");
    const r = await adminCall("GET", `/admin/v1/partners/${p.id}/sla?month=2026-11`, { token });
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({
      object: "sla",
      partner_id: p.id,
      month: "2026-11",
      tier: "standard",
      availability: { measured_bps: 9940, status: "missed" },
      p95_latency: { measured_ms: 801, status: "missed" },
      credit_bps: 1500,
    });
    const current = await adminCall("GET", `/admin/v1/partners/${p.id}/sla`, { token });
    expect(current.body.result).toMatchObject({ month: "2026-12", complete: false, ...notMeasured });
  });

  it("refuses an unknown partner (30), bad ids and months (4), no role (103) and no Access (100)", async () => {
    const { token } = await admin("viewer");
    const p = await provisionPartner();
    const unknown = await adminCall("GET", `/admin/v1/partners/${crypto.randomUUID()}/sla`, { token });
    expect([unknown.res.status, unknown.body.error.code]).toEqual([404, 30]);
    for (const path of [
      "/admin/v1/partners/not-a-uuid/sla",
      `/admin/v1/partners/${p.id}/sla?month=2026-13`,
      `/admin/v1/partners/${p.id}/sla?month=2027-01`,
    ]) {
      const bad = await adminCall("GET", path, { token });
      expect([path, bad.res.status, bad.body.error.code]).toEqual([path, 400, 4]);
    }
    const noRole = await adminCall("GET", `/admin/v1/partners/${p.id}/sla`, {
      token: (await admin(null)).token,
    });
    expect(noRole.body.error.code).toBe(103);
    const anonymous = await adminCall("GET", `/admin/v1/partners/${p.id}/sla`);
    expect([anonymous.res.status, anonymous.body.error.code]).toEqual([401, 100]);
    await expectDocumented("adminGetPartnerSla", [[200], [404, 30], [400, 4], [403, 103], [401, 100]]);
  });
});
