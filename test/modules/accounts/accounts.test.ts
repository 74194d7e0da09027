import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../../../src";
import { createApp } from "../../../src/app";
import { SANDBOX_ACCOUNT_IDS } from "../../../src/modules/accounts/connector/sandbox-data";
import { call, fetchWithEnv, tokenFor } from "../../support/http";
import { provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

/**
 * The shared security suite sends no Consent-Id. For its runs against the account routes,
 * requests reaching the worker get the consent that `prepare` authorised for the token's
 * partner (and none for any other partner), so the suite checks authentication and
 * entitlement and then reaches the route. Requests naming their own Consent-Id are untouched.
 */
const suiteConsents = new Map<string, string>();
const partnerOf = (authorization: string | null) => {
  try {
    const payload = (authorization?.split(" ")[1] ?? "").split(".")[1] ?? "";
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    return typeof claims.sub === "string" ? claims.sub : undefined;
  } catch {
    return undefined;
  }
};
// The worker's default export, which SELF's requests reach: wrapped for this file only.
const workerFetch = worker.fetch;
beforeAll(() => {
  worker.fetch = (request, workerEnv, ctx) => {
    const consent = suiteConsents.get(partnerOf(request.headers.get("Authorization")) ?? "");
    if (consent === undefined || request.headers.has("Consent-Id"))
      return workerFetch(request, workerEnv, ctx);
    const withConsent = new Request(request);
    withConsent.headers.set("Consent-Id", consent);
    return workerFetch(withConsent, workerEnv, ctx);
  };
});
afterAll(() => {
  worker.fetch = workerFetch;
});

const DAY = 86_400_000;
const { current, savings } = SANDBOX_ACCOUNT_IDS;

async function authorisedConsent(token: string, scopes: string[], days = 30) {
  const params = { scopes, expires_at: new Date(Date.now() + days * DAY).toISOString() };
  const created = await call("POST", "/v1/consents", { token, json: { params } });
  const id: string = created.body.result.id;
  await call("POST", `/v1/sandbox/consents/${id}/authorise`, { token });
  return id;
}

const ALL = ["accounts", "balances", "transactions"];
const prepare = async (p: TestPartner) => {
  suiteConsents.set(p.id, await authorisedConsent(await tokenFor(p), ALL));
};
securitySuite({ method: "GET", path: "/v1/accounts", product: "accounts", scope: "accounts:read", prepare });
for (const path of [`/v1/accounts/${current}/balances`, `/v1/accounts/${current}/transactions`]) {
  securitySuite({ method: "GET", path, product: "accounts", scope: "accounts:read", prepare });
}

async function setup(dataAccess: string[] = []) {
  const p = await provisionPartner({ dataAccess: dataAccess as never });
  let token = await tokenFor(p);
  return {
    p,
    get token() {
      return token;
    },
    async at(ms: number) {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(ms);
      token = await tokenFor(p);
    },
    consent: (scopes: string[] = ALL, days?: number) => authorisedConsent(token, scopes, days),
    read: (path: string, consentId?: string) =>
      call("GET", path, { token, headers: consentId !== undefined ? { "Consent-Id": consentId } : {} }),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("account information with an authorised consent", () => {
  it("lists the customer's two accounts; holder names are masked unless names are licensed", async () => {
    const masked = await setup();
    const r = await masked.read("/v1/accounts", await masked.consent(["accounts"]));
    expect(r.res.status).toBe(200);
    expect(r.body.result.has_more).toBe(false);
    expect(r.body.result.data).toEqual([
      {
        id: current,
        object: "account",
        account_type: "current",
        currency: "UZS",
        nickname: "Everyday UZS",
        holder_name: "***",
        account_number_last4: "0001",
        status: "active",
        opened_on: "2019-03-01",
      },
      expect.objectContaining({ id: savings, currency: "USD", account_type: "savings", holder_name: "***" }),
    ]);

    const licensed = await setup(["name"]);
    const clear = await licensed.read("/v1/accounts", await licensed.consent(["accounts"]));
    expect(clear.body.result.data.map((a: { holder_name: string }) => a.holder_name)).toEqual([
      "Aziz Karimov",
      "Aziz Karimov",
    ]);
  });

  it("answers balances in minor units, consistent with the transactions", async () => {
    const s = await setup();
    const consent = await s.consent(["balances", "transactions"]);
    const uzs = await s.read(`/v1/accounts/${current}/balances`, consent);
    expect(uzs.body.result).toEqual({
      object: "balance",
      account_id: current,
      currency: "UZS",
      booked: 513_990_000,
      available: 494_630_000,
      as_of: "2026-10-30T20:10:00+05:00",
    });
    const usd = await s.read(`/v1/accounts/${savings}/balances`, consent);
    expect(usd.body.result).toMatchObject({ currency: "USD", booked: 511_339, available: 511_339 });

    const all = (await s.read(`/v1/accounts/${current}/transactions?limit=100`, consent)).body.result.data;
    const pending = all.filter((t: { status: string }) => t.status === "pending");
    expect(pending.reduce((sum: number, t: { amount: number }) => sum + t.amount, 0)).toBe(
      uzs.body.result.booked - uzs.body.result.available,
    );
  });

  it("pages through 30 transactions newest first, without gaps or repeats", async () => {
    const s = await setup();
    const consent = await s.consent(["transactions"]);
    const seen: { id: string; transacted_at: string; account_id: string; currency: string }[] = [];
    let after: string | undefined;
    const pages: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const query = `limit=10${after ? `&starting_after=${after}` : ""}`;
      const page = await s.read(`/v1/accounts/${current}/transactions?${query}`, consent);
      expect(page.res.status).toBe(200);
      seen.push(...page.body.result.data);
      pages.push(page.body.result.has_more);
      if (!page.body.result.has_more) break;
      after = seen.at(-1)?.id;
    }
    expect(pages).toEqual([true, true, false]);
    expect(seen).toHaveLength(30);
    expect(new Set(seen.map((t) => t.id)).size).toBe(30);
    const times = seen.map((t) => Date.parse(t.transacted_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(seen.every((t) => t.account_id === current && t.currency === "UZS")).toBe(true);
    expect(seen[0]).toMatchObject({
      object: "transaction",
      amount: 2_640_000,
      direction: "debit",
      status: "pending",
      description: "Yandex Go",
    });
    const savingsPage = await s.read(`/v1/accounts/${savings}/transactions`, consent);
    expect(savingsPage.body.result.data).toHaveLength(5);
    expect(savingsPage.body.result.has_more).toBe(false);
  });

  it("an account the customer does not hold is 404, code 30", async () => {
    const s = await setup();
    const consent = await s.consent();
    const unknown = crypto.randomUUID();
    for (const path of [`/v1/accounts/${unknown}/balances`, `/v1/accounts/${unknown}/transactions`]) {
      const r = await s.read(path, consent);
      expect(r.res.status).toBe(404);
      expect(r.body.error).toMatchObject({ code: 30, message: `No such resource: account ${unknown}` });
    }
  });

  it("bad query and path values are codes 3 and 4 with the field", async () => {
    const s = await setup();
    const consent = await s.consent();
    const path = `/v1/accounts/${current}/transactions`;
    const cases: [string, number, string][] = [
      [`${path}?limit=0`, 4, "limit"],
      [`${path}?limit=101`, 4, "limit"],
      [`${path}?limit=ten`, 3, "limit"],
      [`${path}?starting_after=nope`, 4, "starting_after"],
      ["/v1/accounts/not-an-id/balances", 4, "id"],
    ];
    for (const [url, code, field] of cases) {
      const r = await s.read(url, consent);
      expect(r.res.status).toBe(400);
      expect(r.body.error).toMatchObject({ code, field });
    }
    const post = await call("POST", "/v1/accounts", { token: s.token, headers: { "Consent-Id": consent } });
    expect(post.res.status).toBe(405);
    expect(post.body.error.code).toBe(5);
  });
});

describe("the consent gate", () => {
  const paths = ["/v1/accounts", `/v1/accounts/${current}/balances`, `/v1/accounts/${current}/transactions`];

  it("no Consent-Id, a malformed or unknown one, or another partner's: 403, code 70, all alike", async () => {
    const a = await setup();
    const b = await setup();
    const bConsent = await b.consent();
    for (const path of paths) {
      const answers = [
        await a.read(path),
        await a.read(path, "not-a-consent"),
        await a.read(path, crypto.randomUUID()),
        await a.read(path, bConsent),
      ];
      for (const r of answers) {
        expect(r.res.status).toBe(403);
        expect(r.body.result).toBeNull();
        expect(r.body.error).toMatchObject({
          code: 70,
          reason: "consent_required",
          message: "This call needs a Consent-Id header naming an authorised consent",
        });
      }
    }
    // B's consent still works for B: A's attempts changed nothing.
    expect((await b.read("/v1/accounts", bConsent)).res.status).toBe(200);
  });

  it("a consent not Authorised is 403, code 71, naming its status", async () => {
    const s = await setup();
    const params = { scopes: ALL, expires_at: new Date(Date.now() + DAY).toISOString() };
    const create = async () =>
      (await call("POST", "/v1/consents", { token: s.token, json: { params } })).body.result.id;
    const awaiting = await create();
    const rejected = await create();
    await call("POST", `/v1/sandbox/consents/${rejected}/reject`, { token: s.token });
    const revoked = await s.consent();
    await call("POST", `/v1/consents/${revoked}/revoke`, { token: s.token });
    for (const [consent, status] of [
      [awaiting, "AwaitingAuthorisation"],
      [rejected, "Rejected"],
      [revoked, "Revoked"],
    ] as const) {
      for (const path of paths) {
        const r = await s.read(path, consent);
        expect(r.res.status).toBe(403);
        expect(r.body.error).toMatchObject({ code: 71, reason: "consent_not_usable" });
        expect(r.body.error.message).toBe(`The consent is ${status}; it cannot be used`);
      }
    }
  });

  it("an expired consent is 71 Expired from expires_at on, and consent.expired is published once", async () => {
    const s = await setup();
    const t0 = Date.now();
    await s.at(t0);
    const consent = await s.consent(ALL, 1);
    await s.at(t0 + DAY - 1);
    expect((await s.read("/v1/accounts", consent)).res.status).toBe(200);
    await s.at(t0 + DAY);
    for (const path of paths) {
      const r = await s.read(path, consent);
      expect(r.res.status).toBe(403);
      expect(r.body.error).toMatchObject({ code: 71, message: "The consent is Expired; it cannot be used" });
    }
    const events = (
      await env.DB.prepare("SELECT type FROM events WHERE partner_id = ? ORDER BY id").bind(s.p.id).all()
    ).results.map((r) => r.type);
    expect(events).toEqual(["consent.authorised", "consent.expired"]);
  });

  it("a consent without the call's scope is 403, code 72, naming the scope", async () => {
    const s = await setup();
    const cases: [string[], string, string][] = [
      [["accounts"], `/v1/accounts/${current}/balances`, "balances"],
      [["accounts"], `/v1/accounts/${current}/transactions`, "transactions"],
      [["balances", "transactions"], "/v1/accounts", "accounts"],
      [["balances"], `/v1/accounts/${current}/transactions`, "transactions"],
    ];
    for (const [scopes, path, missing] of cases) {
      const r = await s.read(path, await s.consent(scopes));
      expect(r.res.status).toBe(403);
      expect(r.body.error).toMatchObject({
        code: 72,
        reason: "consent_scope_missing",
        message: `The consent does not cover ${missing}`,
      });
    }
    const balancesOnly = await s.consent(["balances"]);
    expect((await s.read(`/v1/accounts/${current}/balances`, balancesOnly)).res.status).toBe(200);
  });
});

describe("operations", () => {
  it("personal-data reads leave audit rows, refusals too, with no personal value", async () => {
    const s = await setup(["name"]);
    const consent = await s.consent();
    await s.read("/v1/accounts", consent);
    await s.read(`/v1/accounts/${current}/balances`, consent);
    await s.read("/v1/accounts");
    const rows = (
      await env.DB.prepare("SELECT * FROM audit_log WHERE partner_id = ? AND action LIKE 'GET %' ORDER BY id")
        .bind(s.p.id)
        .all()
    ).results;
    expect(rows.map((r) => [r.action, r.resource, r.outcome, r.personal_data])).toEqual([
      ["GET /v1/accounts", null, 200, 1],
      ["GET /v1/accounts/{id}/balances", current, 200, 1],
      ["GET /v1/accounts", null, 403, 1],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/Aziz|Karimov/);
  });

  it("the OpenAPI document names the Consent-Id header and the consent refusals", async () => {
    const { body } = await call("GET", "/openapi.json");
    for (const path of ["/v1/accounts", "/v1/accounts/{id}/balances", "/v1/accounts/{id}/transactions"]) {
      const get = body.paths[path].get;
      expect(get.parameters).toContainEqual(
        // Optional: a token of the consent flow reads its own consent (docs/oauth-tokens.md).
        expect.objectContaining({ name: "Consent-Id", in: "header", required: false }),
      );
      expect(get.responses["403"]["x-portico-error-codes"]).toEqual(
        expect.arrayContaining([14, 20, 21, 70, 71, 72, 270]),
      );
      expect(get.responses["403"].description).toMatch(
        /70 \(consent_required\).*71 \(consent_not_usable\).*72/,
      );
      expect(get.security).toEqual([{ oauth2: ["accounts:read"] }]);
    }
  });

  it("the kill switch refuses account information with 503, code 22", async () => {
    const s = await setup();
    const consent = await s.consent();
    const r = await fetchWithEnv(createApp(), { PRODUCTS_DISABLED: "accounts" }, "/v1/accounts", {
      headers: { Authorization: `Bearer ${s.token}`, "Consent-Id": consent },
    });
    expect(r.res.status).toBe(503);
    expect(r.body.error.code).toBe(22);
  });
});
