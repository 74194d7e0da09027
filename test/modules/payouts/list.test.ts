import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, tokenFor } from "../../support/http";
import { auditedReads, expectQueryRefusals, expectSwitchedOff, idsOf, pagesOf } from "../../support/lists";
import { fund, provisionPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

securitySuite({ method: "GET", path: "/v1/payouts", product: "payouts", scope: "payouts:read" });

const ok = { amount: 1_000, currency: "UZS", destination_token: "dest_tok_ok" };

async function setup() {
  const p = await provisionPartner();
  const token = await tokenFor(p);
  await fund(p.id, 100_000);
  const create = async (params: Record<string, unknown> = ok) =>
    (await call("POST", "/v1/payouts", { token, json: { params } })).body.result;
  const list = async (query = "") => (await call("GET", `/v1/payouts${query}`, { token })).body.result;
  return { p, token, create, list };
}

describe("GET /v1/payouts", () => {
  it("lists the full payouts newest first, page by page", async () => {
    const s = await setup();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await s.create({ ...ok, metadata: { n: String(i) } }));
    const newestFirst = made.map((x) => x.id).reverse();

    const first = await s.list("?limit=2");
    expect(idsOf(first)).toEqual(newestFirst.slice(0, 2));
    expect(first.has_more).toBe(true);
    expect(first.data[0]).toEqual(made[4]); // the full payout object
    expect(await pagesOf("/v1/payouts", s.token, 2)).toEqual([
      newestFirst.slice(0, 2),
      newestFirst.slice(2, 4),
      newestFirst.slice(4),
    ]);
    expect(await s.list()).toEqual({ data: made.slice().reverse(), has_more: false });
  });

  it("filters by status and follows each payout's state", async () => {
    const s = await setup();
    const a = await s.create();
    const b = await s.create({ ...ok, destination_token: "dest_tok_fail" });
    const c = await s.create();
    const queued = await s.list("?status=queued");
    expect(idsOf(queued)).toEqual([c.id, b.id, a.id]);

    const paid = (await call("POST", `/v1/sandbox/payouts/${a.id}/simulate`, { token: s.token })).body.result;
    await call("POST", `/v1/sandbox/payouts/${b.id}/simulate`, { token: s.token });
    expect((await s.list("?status=paid")).data).toEqual([paid]);
    expect(
      (await s.list("?status=failed")).data.map((x: { id: string; status: string }) => [x.id, x.status]),
    ).toEqual([[b.id, "failed"]]);
    expect(idsOf(await s.list("?status=queued"))).toEqual([c.id]);
    expect(await s.list("?status=sent")).toEqual({ data: [], has_more: false });
  });

  it("shows only the partner's own payouts", async () => {
    const a = await setup();
    const b = await setup();
    const mine = await a.create();
    const theirs = await b.create();
    expect(idsOf(await a.list())).toEqual([mine.id]);
    expect(idsOf(await b.list())).toEqual([theirs.id]);
    // Another partner's id as a cursor reveals nothing: it is a position, not an object.
    expect(await b.list(`?starting_after=${mine.id}`)).toEqual({ data: [], has_more: false });
  });

  it("skips a row recorded before projections carried the payout", async () => {
    const s = await setup();
    const made = await s.create();
    const old = `00000000-0000-7000-8000-${String(Date.now()).padStart(12, "0").slice(-12)}`;
    await env.DB.prepare(
      `INSERT INTO payouts (id, partner_id, object_name, status, amount, currency, created_at, updated_at)
       VALUES (?, ?, 'payout:legacy', 'paid', 1, 'UZS', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')`,
    )
      .bind(old, s.p.id)
      .run();
    expect(await s.list()).toEqual({ data: [made], has_more: false });
  });

  it("validates its query; the kill switch refuses it", async () => {
    const s = await setup();
    await expectQueryRefusals("/v1/payouts", s.token, { status: true });
    await expectSwitchedOff("/v1/payouts", s.token, "payouts");
  });

  it("is not audited: a payout is no personal data", async () => {
    const s = await setup();
    await s.list();
    expect(await auditedReads(s.p.id)).toEqual([]);
  });
});
