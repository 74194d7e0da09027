import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, tokenFor } from "../../support/http";
import { auditedReads, expectQueryRefusals, expectSwitchedOff, idsOf, pagesOf } from "../../support/lists";
import { provisionPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

securitySuite({ method: "GET", path: "/v1/consents", product: "accounts", scope: "accounts:read" });

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

async function setup() {
  const p = await provisionPartner();
  let token = await tokenFor(p);
  const create = async (expires_at = inDays(30)) =>
    (await call("POST", "/v1/consents", { token, json: { params: { scopes: ["accounts"], expires_at } } }))
      .body.result;
  const op = async (id: string, path: string) =>
    (await call("POST", path.replace("{id}", id), { token })).body.result;
  return {
    p,
    get token() {
      return token;
    },
    /** Moves the clock (Date only) to `ms` and takes a token valid then. */
    async at(ms: number) {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(ms);
      token = await tokenFor(p);
    },
    create,
    list: async (query = "") => (await call("GET", `/v1/consents${query}`, { token })).body.result,
    get: async (id: string) => (await call("GET", `/v1/consents/${id}`, { token })).body.result,
    authorise: (id: string) => op(id, "/v1/sandbox/consents/{id}/authorise"),
    reject: (id: string) => op(id, "/v1/sandbox/consents/{id}/reject"),
    revoke: (id: string) => op(id, "/v1/consents/{id}/revoke"),
  };
}

const eventsOf = async (partnerId: string, consentId: string) =>
  (
    await env.DB.prepare("SELECT type FROM events WHERE partner_id = ? AND data LIKE ? ORDER BY id")
      .bind(partnerId, `%${consentId}%`)
      .all()
  ).results.map((r) => r.type);

afterEach(() => {
  vi.useRealTimers();
});

describe("GET /v1/consents", () => {
  it("lists the consents newest first, page by page, as a single read shows them", async () => {
    const s = await setup();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await s.create());
    const newestFirst = made.map((c) => c.id).reverse();
    const first = await s.list("?limit=3");
    expect(first.has_more).toBe(true);
    expect(first.data).toEqual(made.slice(2).reverse());
    expect(await pagesOf("/v1/consents", s.token, 3)).toEqual([
      newestFirst.slice(0, 3),
      newestFirst.slice(3),
    ]);
    expect(await s.list("?limit=5")).toEqual({ data: made.slice().reverse(), has_more: false });
  });

  it("filters by status", async () => {
    const s = await setup();
    const awaiting = await s.create();
    const authorised = await s.create();
    const rejected = await s.create();
    const revoked = await s.create();
    await s.authorise(authorised.id);
    await s.reject(rejected.id);
    await s.revoke(revoked.id);
    const byStatus = async (status: string) => idsOf(await s.list(`?status=${status}`));
    expect(await byStatus("AwaitingAuthorisation")).toEqual([awaiting.id]);
    expect(await byStatus("Authorised")).toEqual([authorised.id]);
    expect(await byStatus("Rejected")).toEqual([rejected.id]);
    expect(await byStatus("Revoked")).toEqual([revoked.id]);
    expect(await byStatus("Expired")).toEqual([]);
    expect((await s.list()).data.map((c: { status: string }) => c.status)).toEqual([
      "Revoked",
      "Rejected",
      "Authorised",
      "AwaitingAuthorisation",
    ]);
  });

  it("a consent past expires_at is listed and filtered as Expired; consent.expired is published once", async () => {
    const s = await setup();
    const t0 = Date.now();
    // A millisecond apart: ids order by creation time, and the fake clock stands still.
    await s.at(t0);
    const expiring = await s.create(new Date(t0 + DAY).toISOString());
    await s.at(t0 + 1);
    const lasting = await s.create(new Date(t0 + 10 * DAY).toISOString());
    await s.at(t0 + 2);
    const unanswered = await s.create(new Date(t0 + DAY).toISOString());
    await s.authorise(expiring.id);
    await s.authorise(lasting.id);
    await s.at(t0 + 2 * DAY);

    expect(idsOf(await s.list("?status=Authorised"))).toEqual([lasting.id]);
    expect(idsOf(await s.list("?status=AwaitingAuthorisation"))).toEqual([]);
    const expired = await s.list("?status=Expired");
    expect(idsOf(expired)).toEqual([unanswered.id, expiring.id]);
    expect(expired.data[1]).toMatchObject({ status: "Expired", status_updated_at: expiring.expires_at });
    expect(expired.data[1]).toEqual(await s.get(expiring.id));
    expect((await s.list()).data.map((c: { status: string }) => c.status)).toEqual([
      "Expired",
      "Authorised",
      "Expired",
    ]);
    expect(await eventsOf(s.p.id, expiring.id)).toEqual(["consent.authorised", "consent.expired"]);
    expect(await eventsOf(s.p.id, unanswered.id)).toEqual(["consent.expired"]);
  });

  it("concurrent lists and reads of a due consent publish consent.expired once", async () => {
    const s = await setup();
    const { id } = await s.create(inDays(1));
    await s.at(Date.now() + 2 * DAY);
    const [lists, read] = await Promise.all([Promise.all([s.list(), s.list(), s.list()]), s.get(id)]);
    for (const l of lists) expect(l.data).toEqual([read]);
    expect(read.status).toBe("Expired");
    expect(await eventsOf(s.p.id, id)).toEqual(["consent.expired"]);
  });

  it("shows only the partner's own consents", async () => {
    const a = await setup();
    const b = await setup();
    const mine = await a.create();
    const theirs = await b.create();
    expect(idsOf(await a.list())).toEqual([mine.id]);
    expect(idsOf(await b.list())).toEqual([theirs.id]);
    expect(await b.list(`?starting_after=${mine.id}`)).toEqual({ data: [], has_more: false });
  });

  it("validates its query; the kill switch refuses it", async () => {
    const s = await setup();
    await expectQueryRefusals("/v1/consents", s.token, { status: true });
    // Statuses are as published: case matters.
    expect(
      (await call("GET", "/v1/consents?status=authorised", { token: s.token })).body.error,
    ).toMatchObject({
      code: 4,
      field: "status",
    });
    await expectSwitchedOff("/v1/consents", s.token, "accounts");
  });

  it("is not audited: a consent carries no personal data", async () => {
    const s = await setup();
    await s.list();
    expect(await auditedReads(s.p.id)).toEqual([]);
  });
});
