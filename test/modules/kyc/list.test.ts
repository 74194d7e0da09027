import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SANDBOX_KYC_ACCOUNTS, SANDBOX_KYC_HOLDER } from "../../../src/modules/kyc/connector/sandbox";
import { call, tokenFor } from "../../support/http";
import { expectQueryRefusals, expectSwitchedOff, idsOf, pagesOf } from "../../support/lists";
import { provisionPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

securitySuite({ method: "GET", path: "/v1/kyc/verifications", product: "kyc", scope: "kyc:read" });

const HOLDER = { account_number: SANDBOX_KYC_ACCOUNTS.holder, ...SANDBOX_KYC_HOLDER };

async function setup() {
  const p = await provisionPartner({ dataAccess: ["name", "phone", "documents", "birth_date"] });
  const token = await tokenFor(p);
  const verify = async (params: Record<string, unknown> = HOLDER) =>
    (await call("POST", "/v1/kyc/verifications", { token, json: { params } })).body.result;
  const list = async (query = "") =>
    (await call("GET", `/v1/kyc/verifications${query}`, { token })).body.result;
  return { p, token, verify, list };
}

describe("GET /v1/kyc/verifications", () => {
  it("lists the verifications newest first, page by page, outcomes only", async () => {
    const s = await setup();
    const made = [];
    made.push(await s.verify());
    made.push(await s.verify({ account_number: HOLDER.account_number, full_name: "Someone Else" }));
    made.push(await s.verify({ account_number: HOLDER.account_number, birth_date: HOLDER.birth_date }));
    const newestFirst = made.map((v) => v.id).reverse();
    expect(await s.list()).toEqual({ data: made.slice().reverse(), has_more: false });
    expect(await pagesOf("/v1/kyc/verifications", s.token, 2)).toEqual([
      newestFirst.slice(0, 2),
      newestFirst.slice(2),
    ]);
    // Nothing that was checked comes back, even to a partner licensed for every category.
    const text = JSON.stringify(await s.list());
    for (const value of Object.values(SANDBOX_KYC_HOLDER)) expect(text).not.toContain(value);
    expect(text).not.toContain(HOLDER.account_number);
  });

  it("shows only the partner's own verifications", async () => {
    const a = await setup();
    const b = await setup();
    const mine = await a.verify();
    const theirs = await b.verify();
    expect(idsOf(await a.list())).toEqual([mine.id]);
    expect(idsOf(await b.list())).toEqual([theirs.id]);
    expect(await b.list(`?starting_after=${mine.id}`)).toEqual({ data: [], has_more: false });
  });

  it("validates its query, answers 405 to another method, and the kill switch refuses it", async () => {
    const s = await setup();
    await expectQueryRefusals("/v1/kyc/verifications", s.token);
    const put = await call("PUT", "/v1/kyc/verifications", { token: s.token, json: { params: HOLDER } });
    expect(put.res.status).toBe(405);
    expect(put.body.error.code).toBe(5);
    await expectSwitchedOff("/v1/kyc/verifications", s.token, "kyc");
  });

  it("is not audited as a personal-data read: its objects carry no personal field", async () => {
    const s = await setup();
    await s.verify();
    await s.list();
    const rows = await env.DB.prepare("SELECT action FROM audit_log WHERE partner_id = ? ORDER BY id")
      .bind(s.p.id)
      .all();
    expect(rows.results).toEqual([{ action: "POST /v1/kyc/verifications" }]);
  });
});
