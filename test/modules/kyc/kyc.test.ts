import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import {
  SANDBOX_KYC_ACCOUNTS,
  SANDBOX_KYC_HOLDER,
  SANDBOX_KYC_PHONES,
} from "../../../src/modules/kyc/connector/sandbox";
import { call, fetchWithEnv, tokenFor } from "../../support/http";
import { provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

const HOLDER = { account_number: SANDBOX_KYC_ACCOUNTS.holder, ...SANDBOX_KYC_HOLDER };

const verify = (token: string, params: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call("POST", "/v1/kyc/verifications", { token, json: { params }, headers });

const ownedVerification = async (_owner: TestPartner, token: string) =>
  (await verify(token, HOLDER)).body.result.id;

const checksOf = (result: { checks: { field: string; outcome: string }[] }) =>
  Object.fromEntries(result.checks.map((c) => [c.field, c.outcome]));

const rowsOf = async (partnerId: string) =>
  (await env.DB.prepare("SELECT * FROM kyc_verifications WHERE partner_id = ?").bind(partnerId).all())
    .results;

async function setup(dataAccess: string[] = []) {
  const p = await provisionPartner({ dataAccess: dataAccess as never });
  const token = await tokenFor(p);
  return { p, token, verify: (params: Record<string, unknown>) => verify(token, params) };
}

securitySuite({
  method: "POST",
  path: "/v1/kyc/verifications",
  product: "kyc",
  scope: "kyc:write",
  json: { params: HOLDER },
});
securitySuite({
  method: "GET",
  path: "/v1/kyc/verifications/{id}",
  product: "kyc",
  scope: "kyc:read",
  createOwned: ownedVerification,
});

describe("POST /v1/kyc/verifications", () => {
  it("match: every field given matches the holder's records", async () => {
    const s = await setup();
    const r = await s.verify(HOLDER);
    expect(r.res.status).toBe(200);
    expect(r.body.result).toEqual({
      id: expect.any(String),
      object: "kyc_verification",
      identifier_type: "account_number",
      outcome: "match",
      checks: [
        { field: "full_name", outcome: "match" },
        { field: "birth_date", outcome: "match" },
        { field: "document_number", outcome: "match" },
      ],
      created_at: expect.any(String),
      livemode: false,
    });
  });

  it("partial and no_match, per field; a field not sent is not_checked", async () => {
    const s = await setup();
    const partial = await s.verify({ ...HOLDER, birth_date: "1990-05-18" });
    expect(partial.body.result.outcome).toBe("partial");
    expect(checksOf(partial.body.result)).toEqual({
      full_name: "match",
      birth_date: "no_match",
      document_number: "match",
    });
    const none = await s.verify({ account_number: HOLDER.account_number, full_name: "Someone Else" });
    expect(none.body.result.outcome).toBe("no_match");
    expect(checksOf(none.body.result)).toEqual({
      full_name: "no_match",
      birth_date: "not_checked",
      document_number: "not_checked",
    });
    const one = await s.verify({ account_number: HOLDER.account_number, birth_date: HOLDER.birth_date });
    expect(one.body.result.outcome).toBe("match");
    expect(checksOf(one.body.result)).toMatchObject({ full_name: "not_checked", birth_date: "match" });
  });

  it("names match whatever their case, spacing, apostrophes or word order; documents their spacing", async () => {
    const s = await setup();
    for (const full_name of ["aziz karimov", "  KARIMOV   Aziz ", "Aziz-Karimov"]) {
      const r = await s.verify({
        account_number: HOLDER.account_number,
        full_name,
        document_number: "aa 123 4567",
      });
      expect(r.body.result.outcome).toBe("match");
    }
    const r = await s.verify({ account_number: HOLDER.account_number, full_name: "Aziz Karimova" });
    expect(r.body.result.outcome).toBe("no_match");
  });

  it("by phone number too", async () => {
    const s = await setup();
    const r = await s.verify({ phone_number: SANDBOX_KYC_PHONES.holder, full_name: HOLDER.full_name });
    expect(r.body.result).toMatchObject({ identifier_type: "phone_number", outcome: "match" });
  });

  it("an unknown account answers no_match exactly like wrong data would, revealing nothing", async () => {
    const s = await setup();
    for (const account_number of [SANDBOX_KYC_ACCOUNTS.unknown, "99999000000000000000"]) {
      const unknown = await s.verify({ ...HOLDER, account_number });
      const wrong = await s.verify({
        account_number: HOLDER.account_number,
        full_name: "X Y",
        birth_date: "2000-01-01",
        document_number: "ZZ0000000",
      });
      expect(unknown.res.status).toBe(200);
      const strip = (v: { id: string; created_at: string }) => ({ ...v, id: "", created_at: "" });
      expect(strip(unknown.body.result)).toEqual(strip(wrong.body.result));
      expect(unknown.body.result.outcome).toBe("no_match");
    }
    const phone = await s.verify({ phone_number: SANDBOX_KYC_PHONES.unknown, full_name: HOLDER.full_name });
    expect(phone.body.result.outcome).toBe("no_match");
  });

  it("never answers, stores or publishes a personal value", async () => {
    const s = await setup(["name", "birth_date", "documents", "phone"]);
    const r = await s.verify(HOLDER);
    const secrets = [
      HOLDER.full_name,
      HOLDER.birth_date,
      HOLDER.document_number,
      HOLDER.account_number,
      "Aziz",
    ];
    const rows = await rowsOf(s.p.id);
    expect(rows).toEqual([
      {
        id: r.body.result.id,
        partner_id: s.p.id,
        livemode: 0,
        idempotency_key: expect.any(String),
        identifier_type: "account_number",
        full_name_check: "match",
        birth_date_check: "match",
        document_number_check: "match",
        outcome: "match",
        created_at: r.body.result.created_at,
      },
    ]);
    const events = (
      await env.DB.prepare("SELECT type, data FROM events WHERE partner_id = ?").bind(s.p.id).all()
    ).results;
    expect(events).toEqual([
      { type: "kyc_verification.completed", data: JSON.stringify({ object: r.body.result }) },
    ]);
    const audit = (await env.DB.prepare("SELECT * FROM audit_log WHERE partner_id = ?").bind(s.p.id).all())
      .results;
    for (const text of [
      JSON.stringify(r.body),
      JSON.stringify(rows),
      JSON.stringify(events),
      JSON.stringify(audit),
    ])
      for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it("a retry under the same Idempotency-Key answers the same verification, stored and published once", async () => {
    const s = await setup();
    const headers = { "Idempotency-Key": crypto.randomUUID() };
    const first = await verify(s.token, HOLDER, headers);
    const again = await verify(s.token, HOLDER, headers);
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.body.result).toEqual(first.body.result);
    expect(await rowsOf(s.p.id)).toHaveLength(1);
    const n = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE partner_id = ?")
      .bind(s.p.id)
      .first();
    expect(n?.n).toBe(1);
  });

  it("the bank's system answering nothing is 502, code 1004; failing, 502, code 1005; nothing stored", async () => {
    const s = await setup();
    const cases: [Record<string, string>, number][] = [
      [{ account_number: SANDBOX_KYC_ACCOUNTS.empty }, 1004],
      [{ phone_number: SANDBOX_KYC_PHONES.empty }, 1004],
      [{ account_number: SANDBOX_KYC_ACCOUNTS.failing }, 1005],
      [{ phone_number: SANDBOX_KYC_PHONES.failing }, 1005],
    ];
    for (const [identifier, code] of cases) {
      const r = await s.verify({ ...identifier, full_name: HOLDER.full_name });
      expect(r.res.status).toBe(502);
      expect(r.body.result).toBeNull();
      expect(r.body.error.code).toBe(code);
      expect(r.body.error.message).not.toContain(HOLDER.full_name);
    }
    expect(await rowsOf(s.p.id)).toEqual([]);
  });
});

describe("POST /v1/kyc/verifications: bad input changes nothing", () => {
  const acc = HOLDER.account_number;
  const cases: [string, Record<string, unknown>, number, string][] = [
    ["no identifier", { full_name: "A B" }, 4, "params"],
    [
      "both identifiers",
      { account_number: acc, phone_number: SANDBOX_KYC_PHONES.holder, full_name: "A B" },
      4,
      "params.phone_number",
    ],
    ["no field to check", { account_number: acc }, 4, "params"],
    [
      "an account number of 19 digits",
      { account_number: acc.slice(1), full_name: "A B" },
      4,
      "params.account_number",
    ],
    [
      "an account number as a number",
      { account_number: 2020800090, full_name: "A B" },
      3,
      "params.account_number",
    ],
    ["a phone without +", { phone_number: "998901234567", full_name: "A B" }, 4, "params.phone_number"],
    ["an empty name", { account_number: acc, full_name: "  " }, 4, "params.full_name"],
    ["a name as an object", { account_number: acc, full_name: { first: "A" } }, 3, "params.full_name"],
    ["an impossible birth date", { account_number: acc, birth_date: "1990-02-30" }, 4, "params.birth_date"],
    [
      "a birth date not yyyy-MM-dd",
      { account_number: acc, birth_date: "17.05.1990" },
      4,
      "params.birth_date",
    ],
    [
      "a document number with symbols",
      { account_number: acc, document_number: "AA<1234>" },
      4,
      "params.document_number",
    ],
  ];
  for (const [name, params, code, field] of cases) {
    it(`${name}: code ${code} naming ${field}, never echoing the value`, async () => {
      const s = await setup();
      const r = await s.verify(params);
      expect(r.res.status).toBe(400);
      expect(r.body.result).toBeNull();
      expect(r.body.error).toMatchObject({ code, field });
      expect(r.body.error.message).not.toContain("1990");
      expect(await rowsOf(s.p.id)).toEqual([]);
    });
  }

  it("malformed JSON is code 2; a wrong method is 405, code 5", async () => {
    const s = await setup();
    const broken = await call("POST", "/v1/kyc/verifications", {
      token: s.token,
      body: "{nope",
      headers: { "Content-Type": "application/json" },
    });
    expect(broken.res.status).toBe(400);
    expect(broken.body.error.code).toBe(2);
    for (const method of ["PUT", "DELETE"]) {
      const r = await call(method, "/v1/kyc/verifications", { token: s.token });
      expect(r.res.status).toBe(405);
      expect(r.body.error.code).toBe(5);
    }
    expect(await rowsOf(s.p.id)).toEqual([]);
  });
});

describe("GET /v1/kyc/verifications/{id}", () => {
  it("answers the partner's own verification; another partner's is 404 exactly like an unknown id", async () => {
    const a = await setup();
    const b = await setup();
    const created = (await a.verify({ ...HOLDER, birth_date: "1991-01-01" })).body.result;
    const got = await call("GET", `/v1/kyc/verifications/${created.id}`, { token: a.token });
    expect(got.body.result).toEqual(created);
    const foreign = await call("GET", `/v1/kyc/verifications/${created.id}`, { token: b.token });
    const unknownId = crypto.randomUUID();
    const unknown = await call("GET", `/v1/kyc/verifications/${unknownId}`, { token: b.token });
    expect(foreign.res.status).toBe(404);
    expect(foreign.body.error.code).toBe(30);
    expect(foreign.body.error.message.replace(created.id, "ID")).toBe(
      unknown.body.error.message.replace(unknownId, "ID"),
    );
  });

  it("a malformed id is code 4", async () => {
    const s = await setup();
    const r = await call("GET", "/v1/kyc/verifications/123", { token: s.token });
    expect(r.res.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 4, field: "id" });
  });

  it("the write and the personal-data read are audited, without a personal value", async () => {
    const s = await setup();
    const created = (await s.verify(HOLDER)).body.result;
    await call("GET", `/v1/kyc/verifications/${created.id}`, { token: s.token });
    const rows = (
      await env.DB.prepare(
        "SELECT action, resource, outcome, personal_data FROM audit_log WHERE partner_id = ? ORDER BY id",
      )
        .bind(s.p.id)
        .all()
    ).results;
    expect(rows).toEqual([
      { action: "POST /v1/kyc/verifications", resource: null, outcome: 200, personal_data: 0 },
      { action: "GET /v1/kyc/verifications/{id}", resource: created.id, outcome: 200, personal_data: 1 },
    ]);
  });

  it("the kill switch refuses KYC with 503, code 22", async () => {
    const s = await setup();
    const r = await fetchWithEnv(createApp(), { PRODUCTS_DISABLED: "kyc" }, "/v1/kyc/verifications", {
      method: "POST",
      headers: {
        Authorization: `Bearer ${s.token}`,
        "Content-Type": "application/json",
        "Idempotency-Key": crypto.randomUUID(),
      },
      body: JSON.stringify({ params: HOLDER }),
    });
    expect(r.res.status).toBe(503);
    expect(r.body.error.code).toBe(22);
    expect(await rowsOf(s.p.id)).toEqual([]);
  });
});
