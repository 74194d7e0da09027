import { describe, expect, it } from "vitest";
import { evaluateSla } from "../../../src/modules/billing/sla/evaluate";
import { bpsFloor, measureSla, p95Rank } from "../../../src/modules/billing/sla/measure";
import { previousMonth, slaMonth } from "../../../src/modules/billing/sla/report";
import { serviceCredits } from "../../../src/modules/billing/sla/service-credits";
import { TIER_SLAS } from "../../../src/modules/billing/sla/targets";
import { ApiError } from "../../../src/platform/errors";
import { db, provisionPartner } from "../../support/partners";
import { dayOfCalls, logCalls } from "./sla-support";

const NOV = { from: "2026-11-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z" };
const measureNov = (id: string) => measureSla(db, id, NOV.from, NOV.to);

describe("the tiers' targets", () => {
  it("are the table docs/sla.md documents", () => {
    expect(TIER_SLAS.sandbox).toBeNull();
    expect(TIER_SLAS.standard).toEqual({
      availability_bps: 9950,
      p95_latency_ms: 800,
      credits: {
        availability_missed_bps: 1000,
        availability_floor_bps: 9900,
        availability_below_floor_bps: 2500,
        p95_missed_bps: 500,
      },
    });
    expect(TIER_SLAS.enterprise?.availability_bps).toBe(9990);
    expect(TIER_SLAS.enterprise?.p95_latency_ms).toBe(300);
  });
});

describe("nearest rank and basis points", () => {
  it("ranks the 95th percentile at ⌈0.95 n⌉", () => {
    expect([1, 2, 19, 20, 21, 100, 101, 1000].map(p95Rank)).toEqual([1, 2, 19, 19, 20, 95, 96, 950]);
  });
  it("rounds availability down, exactly, also past 2^53 / 10 000", () => {
    expect(bpsFloor(1999, 2000)).toBe(9995);
    expect(bpsFloor(19_999, 20_000)).toBe(9999);
    expect(bpsFloor(9_007_199_254_740_990, 9_007_199_254_740_991)).toBe(9999);
    expect(bpsFloor(5, 5)).toBe(10_000);
  });
});

describe("measuring a month from the request log", () => {
  it("takes the 19th of 20 latencies as p95, and the calls on the month's edges only inside it", async () => {
    const p = await provisionPartner();
    // 20 calls with latencies 10, 20 … 200 ms, shuffled in time; p95 is the 19th: 190 ms.
    const order = [7, 3, 19, 0, 12, 5, 16, 1, 9, 14, 2, 18, 6, 11, 4, 17, 8, 13, 10, 15];
    await logCalls(
      p.id,
      order.map((k, i) => ({
        at: Date.parse("2026-11-10T00:00:00.000Z") + i * 60_000,
        latencyMs: (k + 1) * 10,
      })),
    );
    // Either side of November: not counted.
    await logCalls(p.id, [
      { at: Date.parse("2026-10-31T23:59:59.999Z"), latencyMs: 9000, status: 500 },
      { at: Date.parse("2026-12-01T00:00:00.000Z"), latencyMs: 9000, status: 500 },
    ]);
    expect(await measureNov(p.id)).toEqual({
      calls: 20,
      refused: 0,
      counted: 20,
      server_errors: 0,
      availability_bps: 10_000,
      p95_latency_ms: 190,
      p95_rank: 19,
    });
    // A 21st call moves the rank to 20: the 20th latency.
    await logCalls(p.id, [{ at: Date.parse("2026-11-30T23:59:59.999Z"), latencyMs: 1 }]);
    const m = await measureNov(p.id);
    expect([m.counted, m.p95_rank, m.p95_latency_ms]).toEqual([21, 20, 190]);
  });

  it("counts 5xx and the limiter's 503 as failures and leaves 429s out of both figures", async () => {
    const p = await provisionPartner();
    const calls = dayOfCalls("2026-11-03", 2000, (i) => 100 + (i % 100), { errors: 9 });
    // The limiter's own failure: 503 code 42 is the gateway's fault.
    calls.push({ at: Date.parse("2026-11-04T00:00:00.000Z"), latencyMs: 1, status: 503, errorCode: 42 });
    // Refusals of the partner's own limit and quota: not measured, however slow or many.
    for (let i = 0; i < 300; i++)
      calls.push({
        at: Date.parse("2026-11-05T00:00:00.000Z") + i,
        latencyMs: 5000,
        status: 429,
        errorCode: i % 2 ? 40 : 41,
      });
    // Client errors are answers: available.
    for (let i = 0; i < 99; i++)
      calls.push({
        at: Date.parse("2026-11-06T00:00:00.000Z") + i,
        latencyMs: 150,
        status: 404,
        errorCode: 30,
      });
    await logCalls(p.id, calls);
    const m = await measureNov(p.id);
    expect(m).toMatchObject({ calls: 2400, refused: 300, counted: 2100, server_errors: 10 });
    // (2100 − 10) × 10 000 / 2100 = 9952.38… → 9952.
    expect(m.availability_bps).toBe(9952);
    expect(m.p95_rank).toBe(1995);
  });

  it("measures nothing in a month without calls, and nothing breaches", async () => {
    const p = await provisionPartner();
    await logCalls(p.id, [
      { at: Date.parse("2026-11-05T00:00:00.000Z"), latencyMs: 9000, status: 429, errorCode: 40 },
    ]);
    const m = await measureNov(p.id);
    expect(m).toEqual({
      calls: 1,
      refused: 1,
      counted: 0,
      server_errors: 0,
      availability_bps: null,
      p95_latency_ms: null,
      p95_rank: null,
    });
    expect(evaluateSla(TIER_SLAS.standard, m)).toEqual({
      availability: { status: "not_measured", credit_bps: 0 },
      p95_latency: { status: "not_measured", credit_bps: 0 },
      credit_bps: 0,
    });
    expect(
      await serviceCredits(db, p.id, "standard", { start: "2026-11-01", end: "2026-12-01" }, 100_000),
    ).toEqual([]);
  });
});

describe("met and missed", () => {
  const base = { calls: 0, refused: 0, counted: 0, server_errors: 0, p95_rank: 1 };
  const standard = TIER_SLAS.standard;
  it("meets a target at its exact value and misses one just past it", () => {
    expect(evaluateSla(standard, { ...base, availability_bps: 9950, p95_latency_ms: 800 }).credit_bps).toBe(
      0,
    );
    expect(evaluateSla(standard, { ...base, availability_bps: 9949, p95_latency_ms: 801 })).toEqual({
      availability: { status: "missed", credit_bps: 1000 },
      p95_latency: { status: "missed", credit_bps: 500 },
      credit_bps: 1500,
    });
  });
  it("earns the larger availability credit below the lower bound, not both", () => {
    expect(
      evaluateSla(standard, { ...base, availability_bps: 9900, p95_latency_ms: 1 }).availability,
    ).toEqual({
      status: "missed",
      credit_bps: 1000,
    });
    expect(
      evaluateSla(standard, { ...base, availability_bps: 9899, p95_latency_ms: 1 }).availability,
    ).toEqual({
      status: "missed",
      credit_bps: 2500,
    });
  });
  it("holds the sandbox to nothing", () => {
    const v = evaluateSla(TIER_SLAS.sandbox, { ...base, availability_bps: 0, p95_latency_ms: 99_999 });
    expect(v).toEqual({
      availability: { status: "no_target", credit_bps: 0 },
      p95_latency: { status: "no_target", credit_bps: 0 },
      credit_bps: 0,
    });
  });
});

describe("service credits for an invoice", () => {
  /** A standard partner's November: 1000 calls, `errors` of them 500, p95 `slow` ms or 100. */
  async function november(errors: number, slow: number) {
    const p = await provisionPartner({ tier: "standard" });
    // Latencies: 950 calls of 100 ms, then 50 of `slow`: the 950th (p95) is 100 ms unless more are slow.
    await logCalls(
      p.id,
      dayOfCalls("2026-11-15", 1000, (i) => (i < 940 ? 100 : slow), { errors }),
    );
    return p.id;
  }
  const NOVEMBER = { start: "2026-11-01", end: "2026-12-01" };

  it("earns nothing in a met month", async () => {
    const id = await november(5, 800);
    expect(await serviceCredits(db, id, "standard", NOVEMBER, 1_000_000)).toEqual([]);
  });

  it("earns 10 % for availability missed and 5 % for p95, each rounded half to even", async () => {
    // 6 errors in 1000: 9940 bps, below 99.50 %, above 99.00 %. p95 (950th) is 801 ms.
    const id = await november(6, 801);
    // 10 % of 12 345 = 1234.5 → 1234 (even); 5 % of 12 345 = 617.25 → 617.
    expect(await serviceCredits(db, id, "standard", NOVEMBER, 12_345)).toEqual([
      {
        description:
          "Service credit 10.00 %: availability 99.40 % below the 99.50 % target, 2026-11-01 to 2026-11-30",
        amount_minor: 1234,
      },
      {
        description:
          "Service credit 5.00 %: p95 latency 801 ms above the 800 ms target, 2026-11-01 to 2026-11-30",
        amount_minor: 617,
      },
    ]);
    // 10 % of 12 355 = 1235.5 → 1236 (even); 5 % of 10 = 0.5 → 0: a credit of nothing is left out.
    expect((await serviceCredits(db, id, "standard", NOVEMBER, 12_355)).map((c) => c.amount_minor)).toEqual([
      1236, 618,
    ]);
    expect(await serviceCredits(db, id, "standard", NOVEMBER, 10)).toEqual([
      expect.objectContaining({ amount_minor: 1 }),
    ]);
    expect(await serviceCredits(db, id, "standard", NOVEMBER, 0)).toEqual([]);
  });

  it("earns 25 % below the lower bound", async () => {
    const id = await november(11, 100); // 9890 bps < 9900
    expect(await serviceCredits(db, id, "standard", NOVEMBER, 1_000_001)).toEqual([
      {
        description:
          "Service credit 25.00 %: availability 98.90 % below the 99.50 % target, 2026-11-01 to 2026-11-30",
        amount_minor: 250_000, // 250 000.25 → 250 000
      },
    ]);
  });

  it("measures a billing period over its own days, not the calendar month", async () => {
    const p = await provisionPartner({ tier: "enterprise" });
    // 15 Nov – 14 Dec: the errors of 10 Nov are outside it; 100 calls on 20 Nov, one 500.
    await logCalls(
      p.id,
      dayOfCalls("2026-11-10", 100, () => 10, { errors: 50 }),
    );
    await logCalls(
      p.id,
      dayOfCalls("2026-11-20", 1000, () => 10, { errors: 1 }),
    );
    const period = { start: "2026-11-15", end: "2026-12-15" };
    // 999/1000 = 9990 bps: the enterprise target exactly, met.
    expect(await serviceCredits(db, p.id, "enterprise", period, 50_000)).toEqual([]);
    // The calendar month holds both days: missed there.
    const credits = await serviceCredits(db, p.id, "enterprise", NOVEMBER, 50_000);
    expect(credits.map((c) => c.amount_minor)).toEqual([12_500]);
  });

  it("earns nothing in the sandbox tier and refuses a fee that is not a count", async () => {
    const id = await november(500, 5000);
    expect(await serviceCredits(db, id, "sandbox", NOVEMBER, 1_000)).toEqual([]);
    await expect(serviceCredits(db, id, "standard", NOVEMBER, -1)).rejects.toThrow(RangeError);
    await expect(serviceCredits(db, id, "standard", NOVEMBER, 1.5)).rejects.toThrow(RangeError);
  });
});

describe("the month asked for", () => {
  const now = Date.parse("2026-12-10T12:00:00.000Z");
  it("defaults to this month and knows the one before, across a year", () => {
    expect(slaMonth(undefined, now)).toEqual({ month: "2026-12", start: "2026-12-01", end: "2027-01-01" });
    expect(slaMonth("2026-02", now)).toEqual({ month: "2026-02", start: "2026-02-01", end: "2026-03-01" });
    expect(previousMonth(slaMonth("2026-01", now))).toEqual({
      month: "2025-12",
      start: "2025-12-01",
      end: "2026-01-01",
    });
  });
  it("refuses a malformed month and a later one (code 4, field month)", () => {
    for (const bad of ["2026-13", "2026-1", "202612", "2026-00", "abcd-ef", "", "2026-12-01", "2027-01"]) {
      let error: unknown;
      try {
        slaMonth(bad, now);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe(4);
      expect((error as ApiError).extra.field).toBe("month");
    }
  });
});
