import { describe, expect, it } from "vitest";
import { admin, adminCall, expectDocumented } from "../../support/admin";
import { provisionPartner } from "../../support/partners";
import { attempt, delivered, dispute, providerName, refund } from "./support";

const T = "2026-01-05T10:00:00.000Z";
const at = (ms: number) => new Date(Date.parse(T) + ms).toISOString();
const HOUR = 3_600_000;

const get = async (path: string, role: "viewer" | null = "viewer") =>
  adminCall("GET", path, role === null ? {} : { token: (await admin(role)).token });
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

/**
 * Five payments of one partner at two providers (docs/operations.md, the worked example):
 * pay1 A authorized (refunded); pay2 A declined → B authorized; pay3 A declined; pay4 A timeout →
 * B declined; pay5 B authorized an hour later, by bank redirect and without a BIN country.
 */
async function seed() {
  const p = await provisionPartner();
  const [A, B] = [providerName("acq-a"), providerName("acq-b")];
  const pay1 = await attempt(p.id, { provider: A, outcome: "authorized", latencyMs: 100, at: at(0) });
  const pay2 = await attempt(p.id, {
    provider: A,
    outcome: "declined",
    declineReason: "insufficient_funds",
    latencyMs: 200,
    at: at(1000),
  });
  await attempt(p.id, {
    paymentId: pay2,
    seq: 2,
    provider: B,
    outcome: "authorized",
    latencyMs: 300,
    at: at(2000),
  });
  await attempt(p.id, {
    provider: A,
    outcome: "declined",
    declineReason: "do_not_honor",
    latencyMs: 400,
    at: at(3000),
  });
  const pay4 = await attempt(p.id, { provider: A, outcome: "timeout", latencyMs: 5000, at: at(4000) });
  await attempt(p.id, {
    paymentId: pay4,
    seq: 2,
    provider: B,
    outcome: "declined",
    declineReason: "insufficient_funds",
    latencyMs: 50,
    at: at(10_000),
  });
  await attempt(p.id, {
    provider: B,
    outcome: "authorized",
    latencyMs: 120,
    method: "a2a",
    binCountry: null,
    at: at(HOUR + 5000),
  });
  await refund(p.id, pay1, at(2 * HOUR));
  await dispute(p.id, at(3 * HOUR));
  // Outside the range: neither counts.
  await attempt(p.id, { provider: A, outcome: "declined", latencyMs: 9999, at: at(-1) });
  await dispute(p.id, at(-1));
  return { p, A, B, range: { from: T, to: at(4 * HOUR) } };
}

describe("admin: payment metrics", () => {
  it("per partner: approve, decline and fallback rates per attempt, exact p50/p95, per payment approve, retry, refund and dispute rates", async () => {
    const { p, range } = await seed();
    const r = await get(
      `/admin/v1/metrics/payments?${q({ ...range, partner_id: p.id, group_by: "partner" })}`,
    );
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({
      object: "payment_metrics",
      from: range.from,
      to: range.to,
      group_by: "partner",
      bucket: null,
    });
    expect(r.body.result.data).toEqual([
      {
        key: p.id,
        bucket_start: null,
        attempts: 7,
        approved_attempts: 3,
        declined_attempts: 3,
        failed_attempts: 1,
        fallback_attempts: 2,
        approve_rate_bps: 4285, // 3/7, rounded down
        decline_rate_bps: 4285,
        fallback_share_bps: 2857,
        decline_reasons: { insufficient_funds: 2, do_not_honor: 1 },
        // 50 100 120 200 300 400 5000: rank ⌈3.5⌉ = 4 and ⌈6.65⌉ = 7.
        latency_p50_ms: 200,
        latency_p95_ms: 5000,
        payments: 5,
        payments_approved: 3,
        payment_approve_rate_bps: 6000,
        payments_retried: 2,
        retry_share_bps: 4000,
        payments_refunded: 1,
        refund_rate_bps: 3333,
        disputes: 1,
        dispute_rate_bps: 3333,
      },
    ]);
  });

  it("per provider: each attempt in its provider's group, each payment in its last attempt's; disputes are the partner's only", async () => {
    const { p, A, B, range } = await seed();
    const r = await get(
      `/admin/v1/metrics/payments?${q({ ...range, partner_id: p.id, group_by: "provider" })}`,
    );
    expect(r.res.status).toBe(200);
    const rows = r.body.result.data as { key: string }[];
    expect(rows.map((row) => row.key)).toEqual([A, B].sort());
    expect(rows.find((row) => row.key === A)).toMatchObject({
      attempts: 4,
      approve_rate_bps: 2500,
      decline_rate_bps: 5000,
      failed_attempts: 1,
      fallback_share_bps: 0,
      decline_reasons: { insufficient_funds: 1, do_not_honor: 1 },
      latency_p50_ms: 200, // 100 200 400 5000: rank 2
      latency_p95_ms: 5000,
      payments: 2, // pay1 and pay3 ended at A
      payments_approved: 1,
      payments_retried: 0,
      payments_refunded: 1,
      refund_rate_bps: 10_000,
      disputes: null,
      dispute_rate_bps: null,
    });
    expect(rows.find((row) => row.key === B)).toMatchObject({
      attempts: 3,
      approve_rate_bps: 6666,
      fallback_attempts: 2,
      fallback_share_bps: 6666,
      decline_reasons: { insufficient_funds: 1 },
      latency_p50_ms: 120, // 50 120 300: rank 2, then 3
      latency_p95_ms: 300,
      payments: 3,
      payments_approved: 2,
      payments_retried: 2,
      retry_share_bps: 6666,
      payments_refunded: 0,
      refund_rate_bps: 0,
    });
  });

  it("filters by provider, method and BIN country; groups by method and BIN country; buckets by hour", async () => {
    const { p, A, B, range } = await seed();
    const onlyA = await get(`/admin/v1/metrics/payments?${q({ ...range, provider: A, method: "card" })}`);
    expect(onlyA.body.result.data).toHaveLength(1);
    expect(onlyA.body.result.data[0]).toMatchObject({
      key: null,
      attempts: 4,
      approved_attempts: 1,
      disputes: null,
    });

    const methods = await get(
      `/admin/v1/metrics/payments?${q({ ...range, partner_id: p.id, group_by: "method" })}`,
    );
    expect(
      methods.body.result.data.map((row: { key: string; attempts: number }) => [row.key, row.attempts]),
    ).toEqual([
      ["a2a", 1],
      ["card", 6],
    ]);
    const countries = await get(
      `/admin/v1/metrics/payments?${q({ ...range, partner_id: p.id, group_by: "bin_country" })}`,
    );
    expect(
      countries.body.result.data.map((row: { key: string | null; attempts: number }) => [
        row.key,
        row.attempts,
      ]),
    ).toEqual([
      [null, 1],
      ["UZ", 6],
    ]);
    const uz = await get(`/admin/v1/metrics/payments?${q({ ...range, provider: B, bin_country: "UZ" })}`);
    expect(uz.body.result.data[0]).toMatchObject({ attempts: 2, approved_attempts: 1 });

    const hours = await get(
      `/admin/v1/metrics/payments?${q({ ...range, partner_id: p.id, bucket: "hour" })}`,
    );
    expect(hours.body.result.bucket).toBe("hour");
    expect(
      hours.body.result.data.map(
        (row: { bucket_start: string; attempts: number; approve_rate_bps: number }) => [
          row.bucket_start,
          row.attempts,
          row.approve_rate_bps,
        ],
      ),
    ).toEqual([
      [T, 6, 3333],
      [at(HOUR), 1, 10_000],
    ]);
  });

  it("an empty range has no rows; a range backwards or over 31 days is code 230; bad parameters are code 4", async () => {
    const empty = await get(
      `/admin/v1/metrics/payments?${q({ from: "2001-01-01T00:00:00Z", to: "2001-01-02T00:00:00Z", group_by: "provider" })}`,
    );
    expect(empty.res.status).toBe(200);
    expect(empty.body.result.data).toEqual([]);
    const hooks = await get(
      `/admin/v1/metrics/webhooks?${q({ from: "2001-01-01T00:00:00Z", to: "2001-01-02T00:00:00Z" })}`,
    );
    expect(hooks.body.result.data).toEqual([]);

    const backwards = await get(`/admin/v1/metrics/payments?${q({ from: at(HOUR), to: T })}`);
    expect(backwards.res.status).toBe(400);
    expect(backwards.body.error.code).toBe(230);
    const long = await get(
      `/admin/v1/metrics/webhooks?${q({ from: "2026-01-01T00:00:00Z", to: "2026-02-02T00:00:01Z" })}`,
    );
    expect([long.res.status, long.body.error.code]).toEqual([400, 230]);
    for (const bad of <Record<string, string>[]>[
      { group_by: "currency" },
      { from: "yesterday" },
      { partner_id: "nope" },
      { bucket: "week" },
    ]) {
      const r = await get(`/admin/v1/metrics/payments?${q(bad)}`);
      expect([r.res.status, r.body.error.code]).toEqual([400, 4]);
    }
    await expectDocumented("adminPaymentMetrics", [[200], [400, 230], [400, 4]]);
    await expectDocumented("adminWebhookMetrics", [[200], [400, 230]]);
  });
});

describe("admin: webhook metrics", () => {
  it("lag from the event to its first successful attempt, p50/p95 exact; failures and pending counted", async () => {
    const p = await provisionPartner();
    await delivered(p.id, T, "succeeded", [
      { afterMs: 1000, code: 500 },
      { afterMs: 3000, code: 200 },
    ]);
    await delivered(p.id, T, "succeeded", [{ afterMs: 500, code: 204 }]);
    await delivered(p.id, T, "failed", [
      { afterMs: 100, code: 500 },
      { afterMs: 900, code: null },
    ]);
    await delivered(p.id, T, "pending", [{ afterMs: 100, code: 503 }]);
    await delivered(p.id, at(-60_000), "succeeded", [{ afterMs: 10, code: 200 }]); // before the range
    const r = await get(
      `/admin/v1/metrics/webhooks?${q({ from: T, to: at(HOUR), partner_id: p.id, group_by: "partner" })}`,
    );
    expect(r.res.status).toBe(200);
    expect(r.body.result).toEqual({
      object: "webhook_metrics",
      from: T,
      to: at(HOUR),
      data: [
        {
          key: p.id,
          deliveries: 4,
          succeeded: 2,
          failed: 1,
          pending: 1,
          attempts: 6,
          failed_attempts: 4,
          lag_p50_ms: 500,
          lag_p95_ms: 3000,
        },
      ],
    });
  });
});

describe("admin metrics: access", () => {
  for (const path of ["/admin/v1/metrics/payments", "/admin/v1/metrics/webhooks"])
    it(`${path}: no assertion 401 (100), no role 403 (103), a partner's token 401; a viewer may read; POST is 405`, async () => {
      const none = await get(path, null);
      expect([none.res.status, none.body.error.code]).toEqual([401, 100]);
      const nobody = await adminCall("GET", path, { token: (await admin(null)).token });
      expect([nobody.res.status, nobody.body.error.code]).toEqual([403, 103]);
      const partner = await provisionPartner();
      const bearer = await adminCall("GET", path, {
        headers: { Authorization: `Bearer ${partner.consumerKey}` },
      });
      expect([bearer.res.status, bearer.body.error.code]).toEqual([401, 100]);
      expect((await get(path)).res.status).toBe(200);
      const post = await adminCall("POST", path, { token: (await admin("admin")).token, json: {} });
      expect(post.res.status).toBe(405);
    });
});
