import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../../src/app";
import { call, fetchWithEnv, tokenFor } from "../../support/http";
import { provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const valid = () => ({ scopes: ["accounts", "balances"], expires_at: inDays(30) });

const createConsent = async (token: string, params: Record<string, unknown> = valid()) =>
  call("POST", "/v1/consents", { token, json: { params } });

const ownedConsent = async (_owner: TestPartner, token: string) =>
  (await createConsent(token)).body.result.id;

const eventsOf = async (partnerId: string, consentId: string) =>
  (
    await env.DB.prepare("SELECT type FROM events WHERE partner_id = ? AND data LIKE ? ORDER BY id")
      .bind(partnerId, `%${consentId}%`)
      .all()
  ).results.map((r) => r.type);

const consentCount = async (partnerId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM consents WHERE partner_id = ?").bind(partnerId).first())
    ?.n;

async function setup() {
  const p = await provisionPartner();
  let token = await tokenFor(p);
  const op = (id: string, path: string) => call("POST", path.replace("{id}", id), { token });
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
    create: (params?: Record<string, unknown>) => createConsent(token, params),
    get: (id: string) => call("GET", `/v1/consents/${id}`, { token }),
    authorise: (id: string) => op(id, "/v1/sandbox/consents/{id}/authorise"),
    reject: (id: string) => op(id, "/v1/sandbox/consents/{id}/reject"),
    revoke: (id: string) => op(id, "/v1/consents/{id}/revoke"),
  };
}

securitySuite({
  method: "POST",
  path: "/v1/consents",
  product: "accounts",
  scope: "accounts:write",
  json: { params: valid() },
});
securitySuite({
  method: "GET",
  path: "/v1/consents/{id}",
  product: "accounts",
  scope: "accounts:read",
  createOwned: ownedConsent,
});
for (const path of [
  "/v1/consents/{id}/revoke",
  "/v1/sandbox/consents/{id}/authorise",
  "/v1/sandbox/consents/{id}/reject",
]) {
  securitySuite({
    method: "POST",
    path,
    product: "accounts",
    scope: "accounts:write",
    createOwned: ownedConsent,
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("consent lifecycle", () => {
  it("AwaitingAuthorisation → Authorised → Revoked, with an event for each change", async () => {
    const s = await setup();
    const expiresAt = inDays(30);
    const created = await s.create({ scopes: ["transactions", "accounts"], expires_at: expiresAt });
    expect(created.res.status).toBe(200);
    const consent = created.body.result;
    expect(consent).toMatchObject({
      object: "consent",
      status: "AwaitingAuthorisation",
      scopes: ["accounts", "transactions"],
      expires_at: expiresAt,
      authorised_at: null,
      livemode: false,
    });
    expect(consent.authorisation_url).toBe(
      `https://sandbox.portico.example/v1/sandbox/consents/${consent.id}/authorise`,
    );
    expect(consent.status_updated_at).toBe(consent.created_at);
    expect((await s.get(consent.id)).body.result).toEqual(consent);

    const authorised = await s.authorise(consent.id);
    expect(authorised.res.status).toBe(200);
    expect(authorised.body.result).toMatchObject({
      id: consent.id,
      status: "Authorised",
      authorisation_url: null,
    });
    expect(authorised.body.result.authorised_at).toBe(authorised.body.result.status_updated_at);
    expect((await s.get(consent.id)).body.result).toEqual(authorised.body.result);

    const revoked = await s.revoke(consent.id);
    expect(revoked.res.status).toBe(200);
    expect(revoked.body.result).toMatchObject({
      status: "Revoked",
      authorised_at: authorised.body.result.authorised_at,
    });
    expect(await eventsOf(s.p.id, consent.id)).toEqual(["consent.authorised", "consent.revoked"]);
    const stored = await env.DB.prepare("SELECT data FROM events WHERE partner_id = ? AND type = ?")
      .bind(s.p.id, "consent.revoked")
      .first<{ data: string }>();
    expect(JSON.parse(stored?.data ?? "{}")).toEqual({ object: revoked.body.result });
  });

  it("the customer may refuse: Rejected is final and publishes consent.rejected", async () => {
    const s = await setup();
    const { id } = (await s.create()).body.result;
    const rejected = await s.reject(id);
    expect(rejected.body.result).toMatchObject({
      status: "Rejected",
      authorised_at: null,
      authorisation_url: null,
    });
    for (const op of [s.authorise, s.reject, s.revoke]) {
      const refused = await op(id);
      expect(refused.res.status).toBe(409);
      expect(refused.body.error.code).toBe(60);
      expect(refused.body.error.message).toMatch(/^Cannot \w+ a consent whose status is Rejected$/);
    }
    expect(await eventsOf(s.p.id, id)).toEqual(["consent.rejected"]);
  });

  it("a consent not yet authorised may be revoked", async () => {
    const s = await setup();
    const { id } = (await s.create()).body.result;
    expect((await s.revoke(id)).body.result.status).toBe("Revoked");
    expect((await s.authorise(id)).body.error).toMatchObject({ code: 60 });
    expect(await eventsOf(s.p.id, id)).toEqual(["consent.revoked"]);
  });

  it("illegal transitions are 409, code 60, and change nothing", async () => {
    const s = await setup();
    const { id } = (await s.create()).body.result;
    await s.authorise(id);
    const twice = await s.authorise(id);
    expect(twice.res.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 60, reason: "invalid_state_transition" });
    expect(twice.body.error.message).toBe("Cannot authorise a consent whose status is Authorised");
    expect((await s.reject(id)).body.error.message).toBe(
      "Cannot reject a consent whose status is Authorised",
    );
    await s.revoke(id);
    expect((await s.revoke(id)).body.error.message).toBe("Cannot revoke a consent whose status is Revoked");
    expect((await s.get(id)).body.result.status).toBe("Revoked");
    expect(await eventsOf(s.p.id, id)).toEqual(["consent.authorised", "consent.revoked"]);
  });

  it("concurrent answers of the customer: exactly one wins, with at most one event", async () => {
    const s = await setup();
    const { id } = (await s.create()).body.result;
    const answers = await Promise.all([s.authorise(id), s.reject(id), s.authorise(id), s.reject(id)]);
    const winners = answers.filter((a) => a.res.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of answers.filter((a) => a.res.status !== 200)) expect(loser.body.error.code).toBe(60);
    const final = (await s.get(id)).body.result.status;
    expect(winners[0]?.body.result.status).toBe(final);
    const events = await eventsOf(s.p.id, id);
    expect(events).toEqual([final === "Rejected" ? "consent.rejected" : "consent.authorised"]);
  });

  it("a retry under the same Idempotency-Key answers the same consent; a new key makes another", async () => {
    const s = await setup();
    const headers = { "Idempotency-Key": crypto.randomUUID() };
    const json = { params: valid() };
    const first = await call("POST", "/v1/consents", { token: s.token, json, headers });
    const again = await call("POST", "/v1/consents", { token: s.token, json, headers });
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.body.result).toEqual(first.body.result);
    const other = await call("POST", "/v1/consents", { token: s.token, json });
    expect(other.body.result.id).not.toBe(first.body.result.id);
    expect(await consentCount(s.p.id)).toBe(2);
  });
});

describe("consent expiry", () => {
  it("an authorised consent past expires_at reads Expired, and consent.expired is published once", async () => {
    const s = await setup();
    const t0 = Date.now();
    await s.at(t0);
    const expiresAt = new Date(t0 + DAY).toISOString();
    const { id } = (await s.create({ scopes: ["accounts"], expires_at: expiresAt })).body.result;
    await s.authorise(id);
    await s.at(t0 + DAY - 1);
    expect((await s.get(id)).body.result.status).toBe("Authorised");
    await s.at(t0 + DAY + 5_000);
    const expired = await s.get(id);
    expect(expired.body.result).toMatchObject({ status: "Expired", status_updated_at: expiresAt });
    expect((await s.get(id)).body.result).toEqual(expired.body.result);
    const revoke = await s.revoke(id);
    expect(revoke.res.status).toBe(409);
    expect(revoke.body.error.message).toBe("Cannot revoke a consent whose status is Expired");
    expect(await eventsOf(s.p.id, id)).toEqual(["consent.authorised", "consent.expired"]);
  });

  it("a consent never authorised expires too, and can no longer be authorised", async () => {
    const s = await setup();
    const { id } = (await s.create({ scopes: ["balances"], expires_at: inDays(2) })).body.result;
    await s.at(Date.now() + 3 * DAY);
    const late = await s.authorise(id);
    expect(late.res.status).toBe(409);
    expect(late.body.error.message).toBe("Cannot authorise a consent whose status is Expired");
    expect((await s.get(id)).body.result).toMatchObject({ status: "Expired", authorisation_url: null });
    expect(await eventsOf(s.p.id, id)).toEqual(["consent.expired"]);
  });

  it("concurrent reads of a due consent publish consent.expired once", async () => {
    const s = await setup();
    const { id } = (await s.create({ scopes: ["accounts"], expires_at: inDays(1) })).body.result;
    await s.at(Date.now() + 2 * DAY);
    const reads = await Promise.all(Array.from({ length: 5 }, () => s.get(id)));
    for (const r of reads) expect(r.body.result.status).toBe("Expired");
    expect(await eventsOf(s.p.id, id)).toEqual(["consent.expired"]);
  });
});

describe("consents belong to their partner", () => {
  it("partner B cannot read, authorise, reject or revoke A's consent: 404 exactly as an unknown one", async () => {
    const a = await setup();
    const b = await setup();
    const { id } = (await a.create()).body.result;
    const unknown = crypto.randomUUID();
    for (const op of [b.get, b.authorise, b.reject, b.revoke]) {
      const foreign = await op(id);
      const none = await op(unknown);
      expect(foreign.res.status).toBe(404);
      expect(foreign.body.error.code).toBe(30);
      expect(foreign.body.error.message.replace(id, "ID")).toBe(
        none.body.error.message.replace(unknown, "ID"),
      );
    }
    expect((await a.get(id)).body.result.status).toBe("AwaitingAuthorisation");
    expect(await eventsOf(a.p.id, id)).toEqual([]);
  });
});

describe("POST /v1/consents: bad input changes nothing", () => {
  const cases: [string, unknown, number, string][] = [
    ["scopes missing", { expires_at: inDays(1) }, 4, "params.scopes"],
    ["scopes not an array", { scopes: "accounts", expires_at: inDays(1) }, 3, "params.scopes"],
    ["scopes empty", { scopes: [], expires_at: inDays(1) }, 4, "params.scopes"],
    ["an unknown scope", { scopes: ["payments"], expires_at: inDays(1) }, 4, "params.scopes.0"],
    ["a scope of the wrong type", { scopes: [7], expires_at: inDays(1) }, 3, "params.scopes.0"],
    ["a repeated scope", { scopes: ["accounts", "accounts"], expires_at: inDays(1) }, 4, "params.scopes"],
    ["expires_at missing", { scopes: ["accounts"] }, 4, "params.expires_at"],
    ["expires_at not a date-time", { scopes: ["accounts"], expires_at: "tomorrow" }, 4, "params.expires_at"],
    ["expires_at a number", { scopes: ["accounts"], expires_at: 1_900_000_000 }, 3, "params.expires_at"],
    ["expires_at in the past", { scopes: ["accounts"], expires_at: inDays(-1) }, 4, "params.expires_at"],
    ["expires_at beyond 90 days", { scopes: ["accounts"], expires_at: inDays(91) }, 4, "params.expires_at"],
  ];
  for (const [name, params, code, field] of cases) {
    it(`${name}: code ${code} naming ${field}`, async () => {
      const s = await setup();
      const r = await s.create(params as Record<string, unknown>);
      expect(r.res.status).toBe(400);
      expect(r.body.result).toBeNull();
      expect(r.body.error).toMatchObject({ code, field });
      expect(await consentCount(s.p.id)).toBe(0);
    });
  }

  it("malformed JSON is code 2; a wrong method is 405, code 5", async () => {
    const s = await setup();
    const broken = await call("POST", "/v1/consents", {
      token: s.token,
      body: '{"params": {',
      headers: { "Content-Type": "application/json" },
    });
    expect(broken.res.status).toBe(400);
    expect(broken.body.error.code).toBe(2);
    const put = await call("PUT", "/v1/consents", { token: s.token, json: { params: valid() } });
    expect(put.res.status).toBe(405);
    expect(put.body.error.code).toBe(5);
    const del = await call("DELETE", `/v1/consents/${crypto.randomUUID()}`, { token: s.token });
    expect(del.res.status).toBe(405);
    expect(del.body.error.code).toBe(5);
    expect(await consentCount(s.p.id)).toBe(0);
  });

  it("a malformed consent id is code 4", async () => {
    const s = await setup();
    const r = await s.get("not-a-uuid");
    expect(r.res.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 4, field: "id" });
  });

  it("exactly 90 days ahead is accepted", async () => {
    const s = await setup();
    await s.at(Date.now());
    const r = await s.create({ scopes: ["accounts"], expires_at: inDays(90) });
    expect(r.res.status).toBe(200);
  });
});

describe("operations", () => {
  it("writes leave audit rows without personal data", async () => {
    const s = await setup();
    const { id } = (await s.create()).body.result;
    await s.authorise(id);
    await s.get(id);
    const rows = (
      await env.DB.prepare(
        "SELECT action, resource, outcome, personal_data FROM audit_log WHERE partner_id = ?",
      )
        .bind(s.p.id)
        .all()
    ).results;
    expect(rows).toEqual([
      { action: "POST /v1/consents", resource: null, outcome: 200, personal_data: 0 },
      { action: "POST /v1/sandbox/consents/{id}/authorise", resource: id, outcome: 200, personal_data: 0 },
    ]);
  });

  it("the kill switch refuses consents with 503, code 22", async () => {
    const s = await setup();
    const r = await fetchWithEnv(createApp(), { PRODUCTS_DISABLED: "accounts" }, "/v1/consents", {
      method: "POST",
      headers: {
        Authorization: `Bearer ${s.token}`,
        "Content-Type": "application/json",
        "Idempotency-Key": crypto.randomUUID(),
      },
      body: JSON.stringify({ params: valid() }),
    });
    expect(r.res.status).toBe(503);
    expect(r.body.error.code).toBe(22);
    expect(await consentCount(s.p.id)).toBe(0);
  });

  it("the sandbox's authorise and reject calls do not exist in production", async () => {
    for (const op of ["authorise", "reject"]) {
      const path = `/v1/sandbox/consents/${crypto.randomUUID()}/${op}`;
      const production = { ENVIRONMENT: "production", WEBHOOK_ALLOW_LOOPBACK: "false" };
      const r = await fetchWithEnv(createApp(), production, path, { method: "POST" });
      expect(r.res.status).toBe(404);
      expect(r.body.error.code).toBe(31);
    }
  });
});
