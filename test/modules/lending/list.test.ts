import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SANDBOX_SCORING_DOCUMENTS as docs } from "../../../src/modules/lending/connector/sandbox";
import { LOAN_OFFER_TTL_SECONDS } from "../../../src/modules/lending/offer";
import { LOAN_APPLICANT, LOAN_ASK } from "../../support/applicants";
import { call, tokenFor } from "../../support/http";
import { expectQueryRefusals, expectSwitchedOff, idsOf, pagesOf } from "../../support/lists";
import { provisionPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

securitySuite({ method: "GET", path: "/v1/loans/applications", product: "lending", scope: "lending:read" });
securitySuite({ method: "GET", path: "/v1/loans", product: "lending", scope: "lending:read" });

const applicant = LOAN_APPLICANT;
const ask = LOAN_ASK;
const withDocument = (document_number: string) => ({ ...ask, applicant: { ...applicant, document_number } });
const ALL_PERSONAL = ["name", "phone", "documents", "birth_date"] as const;

async function setup(dataAccess: readonly string[] = ALL_PERSONAL) {
  const p = await provisionPartner({ dataAccess: [...dataAccess] as never });
  let token = await tokenFor(p);
  return {
    p,
    get token() {
      return token;
    },
    /** Moves the clock (Date only) by `ms` and takes a token valid then. */
    async later(ms: number) {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + ms);
      token = await tokenFor(p);
    },
    apply: (params: Record<string, unknown> = ask) =>
      call("POST", "/v1/loans/applications", { token, json: { params } }),
    accept: async (id: string) =>
      (await call("POST", `/v1/loans/applications/${id}/accept`, { token })).body.result,
    get: async (id: string) => (await call("GET", `/v1/loans/applications/${id}`, { token })).body.result,
    applications: async (query = "") =>
      (await call("GET", `/v1/loans/applications${query}`, { token })).body.result,
    loans: async (query = "") => (await call("GET", `/v1/loans${query}`, { token })).body.result,
  };
}

/** The newest application's id: a declined or failed apply answers an error, not the application. */
const newestApplication = async (partnerId: string) =>
  String(
    (
      await env.DB.prepare("SELECT id FROM loan_applications WHERE partner_id = ? ORDER BY id DESC LIMIT 1")
        .bind(partnerId)
        .first<{ id: string }>()
    )?.id,
  );

afterEach(() => {
  vi.useRealTimers();
});

describe("GET /v1/loans/applications", () => {
  it("lists every application newest first, page by page, filtered by the status a partner sees", async () => {
    const s = await setup();
    const approved = (await s.apply()).body.result;
    expect((await s.apply(withDocument(docs.overdueLoans))).body.error.code).toBe(1002);
    const declined = await newestApplication(s.p.id);
    const review = (await s.apply(withDocument(docs.review))).body.result;
    expect((await s.apply(withDocument(docs.upstreamFailed))).body.error.code).toBe(1005);
    const failed = await newestApplication(s.p.id);
    const toAccept = (await s.apply()).body.result;
    const loan = await s.accept(toAccept.id);
    const newestFirst = [toAccept.id, failed, review.id, declined, approved.id];

    expect(await pagesOf("/v1/loans/applications", s.token, 2)).toEqual([
      newestFirst.slice(0, 2),
      newestFirst.slice(2, 4),
      newestFirst.slice(4),
    ]);
    const all = await s.applications();
    expect(all.has_more).toBe(false);
    expect(all.data.map((a: { status: string }) => a.status)).toEqual([
      "accepted",
      "failed",
      "in_progress",
      "declined",
      "approved",
    ]);
    expect(all.data[4]).toEqual(await s.get(approved.id)); // the full application, applicant included
    expect(all.data[0]).toMatchObject({ status: "accepted", loan_id: loan.id });
    expect(all.data[3]).toMatchObject({ decline: { code: 1002 }, offer: null });
    expect(all.data[1]).toMatchObject({ failure: { code: 1005 } });

    const byStatus = async (status: string) => idsOf(await s.applications(`?status=${status}`));
    expect(await byStatus("approved")).toEqual([approved.id]);
    expect(await byStatus("declined")).toEqual([declined]);
    expect(await byStatus("in_progress")).toEqual([review.id]);
    expect(await byStatus("failed")).toEqual([failed]);
    expect(await byStatus("accepted")).toEqual([toAccept.id]);
    expect(await byStatus("expired")).toEqual([]);

    // Past the offer's expiry: the approved offer lists (and filters) as expired. The review's
    // decision has come meanwhile, but a list does not ask the scoring system: a retrieve does.
    await s.later(LOAN_OFFER_TTL_SECONDS * 1000 + 61_000);
    expect(await byStatus("expired")).toEqual([approved.id]);
    expect(await byStatus("approved")).toEqual([]);
    expect(await byStatus("in_progress")).toEqual([review.id]);
    expect(await byStatus("accepted")).toEqual([toAccept.id]);
    expect((await s.get(review.id)).status).toBe("approved");
    expect(await byStatus("approved")).toEqual([review.id]);
    expect(await byStatus("in_progress")).toEqual([]);
  });

  it("masks the applicants unless the contract licenses them", async () => {
    const masked = await setup([]);
    const clear = await setup();
    await masked.apply();
    await clear.apply();
    expect((await masked.applications()).data[0].applicant).toEqual({
      full_name: "***",
      document_number: "***",
      phone_number: "***********67",
      birth_date: "***",
    });
    expect((await clear.applications()).data[0].applicant).toEqual(applicant);
  });

  it("is audited as a personal-data read, with nothing personal in the trail", async () => {
    const s = await setup();
    await s.apply();
    await s.applications();
    const rows = (
      await env.DB.prepare(
        "SELECT partner_id, request_id, action, resource, outcome, personal_data FROM audit_log WHERE partner_id = ? AND action = ?",
      )
        .bind(s.p.id, "GET /v1/loans/applications")
        .all()
    ).results;
    expect(rows).toEqual([
      {
        partner_id: s.p.id,
        request_id: expect.any(String),
        action: "GET /v1/loans/applications",
        resource: null,
        outcome: 200,
        personal_data: 1,
      },
    ]);
    const text = JSON.stringify(rows);
    for (const value of Object.values(applicant)) expect(text).not.toContain(value);
  });
});

describe("GET /v1/loans", () => {
  it("lists the loans newest first, page by page; not audited (a loan names no one)", async () => {
    const s = await setup();
    const loans = [];
    for (let i = 0; i < 3; i++) loans.push(await s.accept((await s.apply()).body.result.id));
    const newestFirst = loans.map((l) => l.id).reverse();
    expect(await s.loans()).toEqual({ data: loans.slice().reverse(), has_more: false });
    expect(await pagesOf("/v1/loans", s.token, 2)).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2)]);
    const audited = await env.DB.prepare("SELECT action FROM audit_log WHERE partner_id = ? AND action = ?")
      .bind(s.p.id, "GET /v1/loans")
      .all();
    expect(audited.results).toEqual([]);
  });
});

describe("lending lists", () => {
  it("show only the partner's own applications and loans", async () => {
    const a = await setup();
    const b = await setup();
    const mine = (await a.apply()).body.result;
    const myLoan = await a.accept(mine.id);
    const theirs = (await b.apply()).body.result;
    expect(idsOf(await a.applications())).toEqual([mine.id]);
    expect(idsOf(await b.applications())).toEqual([theirs.id]);
    expect(idsOf(await a.loans())).toEqual([myLoan.id]);
    expect(await b.loans()).toEqual({ data: [], has_more: false });
    expect(await b.applications(`?starting_after=${mine.id}`)).toEqual({ data: [], has_more: false });
  });

  it("validate their queries, answer 405 to another method, and the kill switch refuses them", async () => {
    const s = await setup();
    await expectQueryRefusals("/v1/loans/applications", s.token, { status: true });
    await expectQueryRefusals("/v1/loans", s.token);
    const del = await call("DELETE", "/v1/loans", { token: s.token });
    expect(del.res.status).toBe(405);
    expect(del.body.error.code).toBe(5);
    for (const path of ["/v1/loans", "/v1/loans/applications"])
      await expectSwitchedOff(path, s.token, "lending");
  });
});
