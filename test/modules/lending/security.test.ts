import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../../src/app";
import { WWW_AUTHENTICATE } from "../../../src/modules/partners/authenticate";
import { PRODUCTS } from "../../../src/platform/catalog";
import { LOAN_APPLICANT, LOAN_ASK } from "../../support/applicants";
import { type Call, call, fetchWithEnv, tokenFor } from "../../support/http";
import { provisionPartner, suspendPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";
import { forgeToken, retiredKey } from "../../support/tokens";

const applicant = LOAN_APPLICANT;
const ask = LOAN_ASK;

const applyAs = (token: string, params: unknown = ask) =>
  call("POST", "/v1/loans/applications", { token, json: { params } });
const ownedApplication = async (_owner: TestPartner, token: string) => (await applyAs(token)).body.result.id;
const ownedLoan = async (owner: TestPartner, token: string) => {
  const id = await ownedApplication(owner, token);
  return (await call("POST", `/v1/loans/applications/${id}/accept`, { token })).body.result.id;
};

securitySuite({
  method: "POST",
  path: "/v1/loans/applications",
  product: "lending",
  scope: "lending:write",
  json: { params: ask },
});
securitySuite({
  method: "GET",
  path: "/v1/loans/{id}",
  product: "lending",
  scope: "lending:read",
  createOwned: ownedLoan,
});

/**
 * The application routes answer an unknown id with the bank's 1000 (002), not Portico's 30,
 * so the shared suite's foreign-object check (which expects 30) does not fit them: the same
 * checks, with 1000 for an unknown or foreign application.
 */
for (const [method, path, scope] of [
  ["GET", "/v1/loans/applications/{id}", "lending:read"],
  ["POST", "/v1/loans/applications/{id}/accept", "lending:write"],
] as const) {
  describe(`security: ${method} ${path}`, () => {
    const send = (token: string | undefined, id: string = crypto.randomUUID()) =>
      call(method, path.replace("{id}", id), token !== undefined ? { token } : {});
    const refused = (r: Call, status: number, code: number, header?: string) => {
      expect(r.res.status).toBe(status);
      expect(r.body).toMatchObject({ result: null, error: { code } });
      if (header !== undefined) expect(r.res.headers.get("WWW-Authenticate")).toBe(header);
    };

    it("refuses missing, malformed, expired and other-environment tokens", async () => {
      const p = await provisionPartner();
      refused(await send(undefined), 401, 10, WWW_AUTHENTICATE.missing);
      refused(await send("not-a-jwt"), 401, 11, WWW_AUTHENTICATE.invalid);
      const iat = Math.floor(Date.now() / 1000) - 7200;
      refused(await send(await forgeToken(p.id, p.consumerKey, { iat, exp: iat + 3600 })), 401, 12);
      const live = await forgeToken(p.id, p.consumerKey, { claims: { env: "production" } });
      refused(await send(live), 401, 13);
      refused(await send(await forgeToken(p.id, p.consumerKey, { aud: "someone-else" })), 401, 11);
      refused(await send(await forgeToken(p.id, p.consumerKey, { iss: "https://evil.example" })), 401, 11);
      refused(await send(await forgeToken(p.id, p.consumerKey, { key: retiredKey() })), 401, 11);
    });

    it("refuses a token whose credential was revoked", async () => {
      const p = await provisionPartner();
      const token = await tokenFor(p);
      const list = await call("GET", "/v1/partner/credentials", { token });
      await call("DELETE", `/v1/partner/credentials/${list.body.result.data[0].id}`, { token });
      refused(await send(token), 401, 11, WWW_AUTHENTICATE.invalid);
    });

    it("refuses a missing scope, an unlicensed product and a suspended partner", async () => {
      const p = await provisionPartner();
      const r = await send(await tokenFor(p, "events:read"));
      refused(r, 403, 20);
      expect(r.body.error.message).toContain(scope);
      const unlicensed = await provisionPartner({ products: PRODUCTS.filter((x) => x !== "lending") });
      refused(await send(await tokenFor(unlicensed)), 403, 21);
      const suspended = await provisionPartner();
      const token = await tokenFor(suspended);
      await suspendPartner(suspended.id);
      vi.useFakeTimers({ toFake: ["Date"] });
      try {
        vi.setSystemTime(Date.now() + 61_000);
        refused(await send(token), 403, 14);
      } finally {
        vi.useRealTimers();
      }
    });

    it("answers an entitled partner, and another partner's application exactly as an unknown one: 1000", async () => {
      const owner = await provisionPartner();
      const id = await ownedApplication(owner, await tokenFor(owner));
      const intruder = await tokenFor(await provisionPartner());
      const foreign = await send(intruder, id);
      const unknown = await send(intruder);
      refused(foreign, 404, 1000);
      refused(unknown, 404, 1000);
      expect(foreign.body.error.message).toBe(unknown.body.error.message);
      expect(foreign.body.error.message).toBe("Application not found");
      // The intruder changed nothing: the owner's call still succeeds.
      const ok = await send(await tokenFor(owner, scope), id);
      expect(ok.res.status).toBe(200);
      expect(ok.body.error).toBeNull();
    });
  });
}

describe("lending: data minimisation, audit, kill switch, bad input", () => {
  it("masks the applicant for a partner not licensed for personal data, shows it to one that is", async () => {
    const blind = await provisionPartner({ dataAccess: [] });
    const blindToken = await tokenFor(blind);
    const masked = await applyAs(blindToken);
    const expected = {
      full_name: "***",
      document_number: "***",
      phone_number: "***********67",
      birth_date: "***",
    };
    expect(masked.body.result.applicant).toEqual(expected);
    const read = await call("GET", `/v1/loans/applications/${masked.body.result.id}`, { token: blindToken });
    expect(read.body.result.applicant).toEqual(expected);

    const licensed = await provisionPartner({ dataAccess: ["name", "phone", "documents", "birth_date"] });
    const clear = await applyAs(await tokenFor(licensed));
    expect(clear.body.result.applicant).toEqual(applicant);
    const partly = await provisionPartner({ dataAccess: ["name"] });
    const some = await applyAs(await tokenFor(partly));
    expect(some.body.result.applicant).toMatchObject({
      full_name: applicant.full_name,
      document_number: "***",
    });
  });

  it("audits the write and the personal-data read, without any personal value", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const app = (await applyAs(token)).body.result;
    await call("GET", `/v1/loans/applications/${app.id}`, { token });
    const loan = (await call("POST", `/v1/loans/applications/${app.id}/accept`, { token })).body.result;
    await call("GET", `/v1/loans/${loan.id}`, { token });
    const rows = (
      await env.DB.prepare("SELECT * FROM audit_log WHERE partner_id = ? ORDER BY id").bind(p.id).all()
    ).results;
    expect(rows.map((r) => [r.action, r.resource, r.outcome, r.personal_data])).toEqual([
      ["POST /v1/loans/applications", null, 200, 1],
      ["GET /v1/loans/applications/{id}", app.id, 200, 1],
      ["POST /v1/loans/applications/{id}/accept", app.id, 200, 0],
    ]);
    const text = JSON.stringify(rows);
    for (const value of Object.values(applicant)) expect(text).not.toContain(value);
  });

  it("the kill switch refuses lending with 503, code 22, and scores no one", async () => {
    const p = await provisionPartner();
    const r = await fetchWithEnv(createApp(), { PRODUCTS_DISABLED: "lending" }, "/v1/loans/applications", {
      method: "POST",
      headers: {
        Authorization: `Bearer ${await tokenFor(p)}`,
        "Content-Type": "application/json",
        "Idempotency-Key": crypto.randomUUID(),
      },
      body: JSON.stringify({ params: ask }),
    });
    expect(r.res.status).toBe(503);
    expect(r.body).toMatchObject({ result: null, error: { code: 22, retryable: true } });
    const n = await env.DB.prepare("SELECT count(*) AS n FROM loan_applications WHERE partner_id = ?")
      .bind(p.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it("bad input answers with the envelope and its code, and stores nothing", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const minor = new Date(Date.now() - 17 * 365 * 86_400_000).toISOString().slice(0, 10);
    const withApplicant = (patch: Record<string, unknown>) => ({
      ...ask,
      applicant: { ...applicant, ...patch },
    });
    const cases: [unknown, number, string][] = [
      [{ ...ask, amount: "100" }, 3, "params.amount"],
      [{ ...ask, amount: 0 }, 4, "params.amount"],
      [{ ...ask, amount: 1.5 }, 3, "params.amount"],
      [{ ...ask, currency: "XXX" }, 4, "params.currency"],
      [{ ...ask, term_months: 0 }, 4, "params.term_months"],
      [{ ...ask, term_months: 61 }, 4, "params.term_months"],
      [{ ...ask, term_months: "12" }, 3, "params.term_months"],
      [{ amount: 100, currency: "UZS", term_months: 12 }, 4, "params.applicant"],
      [withApplicant({ full_name: 7 }), 3, "params.applicant.full_name"],
      [withApplicant({ full_name: "" }), 4, "params.applicant.full_name"],
      [withApplicant({ document_number: "ab12" }), 4, "params.applicant.document_number"],
      [withApplicant({ phone_number: "call me" }), 4, "params.applicant.phone_number"],
      [withApplicant({ birth_date: "17.05.1990" }), 4, "params.applicant.birth_date"],
      [withApplicant({ birth_date: minor }), 4, "params.applicant.birth_date"],
      [withApplicant({ birth_date: undefined }), 4, "params.applicant.birth_date"],
    ];
    for (const [params, code, field] of cases) {
      const r = await applyAs(token, params);
      expect(r.res.status, JSON.stringify(params)).toBe(400);
      expect(r.body.error, JSON.stringify(params)).toMatchObject({ code, field });
      expect(r.body.result).toBeNull();
    }
    // No personal value in an error message either.
    const r = await applyAs(token, withApplicant({ document_number: "secret-doc-1" }));
    expect(JSON.stringify(r.body)).not.toContain("secret-doc-1");

    const malformed = await call("POST", "/v1/loans/applications", {
      token,
      body: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(malformed.body.error.code).toBe(2);
    const wrongMethod = await call("PUT", "/v1/loans/applications", { token, json: { params: ask } });
    expect(wrongMethod.res.status).toBe(405);
    expect(wrongMethod.body.error.code).toBe(5);
    const deleteAccept = await call("DELETE", `/v1/loans/applications/${crypto.randomUUID()}/accept`, {
      token,
    });
    expect(deleteAccept.res.status).toBe(405);
    for (const path of ["/v1/loans/applications/app_1", "/v1/loans/loan_1"]) {
      const notUuid = await call("GET", path, { token });
      expect(notUuid.res.status).toBe(400);
      expect(notUuid.body.error).toMatchObject({ code: 4, field: "id" });
    }
    const unknownLoan = await call("GET", `/v1/loans/${crypto.randomUUID()}`, { token });
    expect(unknownLoan.body.error.code).toBe(30);
    const n = await env.DB.prepare("SELECT count(*) AS n FROM loan_applications WHERE partner_id = ?")
      .bind(p.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(0);
  });
});
