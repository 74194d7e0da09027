import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CRON_ACTOR } from "../../../src/modules/reconciliation/cron";
import { scheduled } from "../../../src/scheduled";
import { adminCall } from "../../support/admin";
import { controllerAt, cronJob } from "../../support/cron";
import { itemsOf, operator, payer } from "./support";

const fetchAt = (at: number, overrides: Partial<typeof env> = {}) =>
  scheduled(controllerAt(at), { ...env, ...overrides }, [cronJob("reconciliation.fetch")]);

const reportsOf = async (date: string) =>
  (
    await env.DB.prepare(
      "SELECT id, source, line_count, created_by FROM settlement_reports WHERE provider = 'sandbox' AND settlement_date = ?",
    )
      .bind(date)
      .all<{ id: string; source: string; line_count: number; created_by: string }>()
  ).results;

describe("the daily fetch: reconciliation.fetch", () => {
  it("fetches yesterday's sandbox report from 01:00 UTC, imports it and reconciles it, once a day", async () => {
    const s = await payer();
    const paid = await s.pay({ amount: 61_000 });
    const refund = await s.refund(paid.id, 1_000);
    const date = paid.created_at.slice(0, 10);
    const nextDay = Date.parse(`${date}T00:00:00Z`) + 86_400_000;

    // Before 01:00 the day is not asked for; no source configured, nothing either.
    await fetchAt(nextDay + 30 * 60_000);
    expect(await reportsOf(date)).toEqual([]);
    await fetchAt(nextDay + 2 * 3_600_000, { SETTLEMENT_SOURCES: "" });
    expect(await reportsOf(date)).toEqual([]);

    await fetchAt(nextDay + 2 * 3_600_000);
    const [report, ...more] = await reportsOf(date);
    expect(more).toEqual([]);
    expect(report).toMatchObject({ source: "scheduled", created_by: CRON_ACTOR });
    const lines = await env.DB.prepare(
      "SELECT type, payment_id, refund_id, amount FROM settlement_report_lines WHERE report_id = ?",
    )
      .bind(report?.id)
      .all();
    expect(lines.results.filter((l) => l.payment_id === paid.id)).toEqual([
      { type: "capture", payment_id: paid.id, refund_id: null, amount: 61_000 },
      { type: "refund", payment_id: paid.id, refund_id: refund.id, amount: 1_000 },
    ]);
    const { token } = await operator();
    const runs = await adminCall("GET", `/admin/v1/reconciliation/runs?report_id=${report?.id}`, { token });
    expect(runs.body.result.data).toHaveLength(1);
    const run = runs.body.result.data[0];
    expect(run).toMatchObject({ created_by: CRON_ACTOR, settlement_date: date, provider: "sandbox" });
    // The acquirer's own report agrees with our books: every line matches.
    expect(run.counts.matched).toBe(report?.line_count);
    const items = await itemsOf(run.id, token);
    expect(items.filter((i) => i.payment_id === paid.id).map((i) => i.kind)).toEqual(["matched", "matched"]);

    // Every later minute finds the day done.
    await fetchAt(nextDay + 2 * 3_600_000 + 60_000);
    expect(await reportsOf(date)).toHaveLength(1);
  });
});
