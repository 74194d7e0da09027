import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { HttpScoring } from "../../../src/modules/lending/connector/http";
import type { ScoringRequest } from "../../../src/modules/lending/connector/types";
import { CircuitBreaker } from "../../../src/platform/upstream";
import { LOAN_APPLICANT } from "../../support/applicants";
import { fetchWithEnv, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import { refusal, testUpstream } from "../../support/upstream";
import { receiver } from "../../support/webhooks";

// The scoring system over HTTP, against the real local HTTP server of the test set-up.

const request: ScoringRequest = {
  applicationId: "01a20000-0000-7000-8000-000000000001",
  submittedAt: "2026-03-01T10:00:00.000Z",
  applicant: LOAN_APPLICANT,
  amount: 5_000_000,
  currency: "UZS",
  termMonths: 12,
};

const scoring = (url: string, breaker = new CircuitBreaker(3, 60_000)) =>
  new HttpScoring(testUpstream("scoring", url, breaker));

const approved = JSON.stringify({
  decision: "approved",
  reference: "scr-1",
  approved_amount: 4_000_000,
  annual_rate_bps: 3_000,
  term_months: 12,
});

describe("HttpScoring", () => {
  it("maps the scoring system's answers to decisions, and sends the application", async () => {
    const server = receiver();
    await server.script({ body: approved });
    expect(await scoring(server.url).submit(request)).toEqual({
      decision: "approved",
      reference: "scr-1",
      approvedAmount: 4_000_000,
      annualRateBps: 3_000,
      termMonths: 12,
    });
    const [sent] = await server.received();
    expect(JSON.parse(sent?.body ?? "")).toEqual({
      application_id: request.applicationId,
      submitted_at: request.submittedAt,
      applicant: request.applicant,
      amount: 5_000_000,
      currency: "UZS",
      term_months: 12,
    });

    for (const [body, decision] of [
      ['{"decision":"declined","reference":"scr-2","reason":"overdue_loans"}', { reason: "overdue_loans" }],
      ['{"decision":"declined","reference":"scr-3","reason":"elevated_risk"}', { reason: "elevated_risk" }],
      ['{"decision":"review","reference":"scr-4"}', { decision: "review", reference: "scr-4" }],
    ] as const) {
      const s = receiver();
      await s.script({ body });
      expect(await scoring(s.url).poll(request, "scr")).toMatchObject(decision);
    }
  });

  it("retries 503 and succeeds", async () => {
    const server = receiver();
    await server.script({ fail: 2, status: 503, body: approved });
    expect((await scoring(server.url).submit(request)).decision).toBe("approved");
    expect((await server.received()).map((r) => r.answered)).toEqual([503, 503, 200]);
  });

  it("a 400 is 1005 without a retry", async () => {
    const server = receiver();
    await server.script({ fail: 5, status: 400 });
    const err = await refusal(scoring(server.url).submit(request));
    expect([err.code, err.status]).toEqual([1005, 502]);
    expect((await server.received()).length).toBe(1);
  });

  it("an empty answer is 1004; an answer it cannot read is 1005, never echoed", async () => {
    for (const body of ["", "null"]) {
      const server = receiver();
      await server.script({ body });
      expect((await refusal(scoring(server.url).submit(request))).code).toBe(1004);
    }
    for (const body of [
      '{"decision":"maybe","reference":"x"}',
      '{"decision":"approved","reference":"x","approved_amount":-1,"annual_rate_bps":1,"term_months":1}',
      '{"decision":"approved","reference":"x","approved_amount":1,"annual_rate_bps":99999,"term_months":1}',
      '{"decision":"declined","reference":"x","reason":"Aziza owes money"}',
    ]) {
      const server = receiver();
      await server.script({ body });
      const err = await refusal(scoring(server.url).submit(request));
      expect(err.code).toBe(1005);
      expect(err.message).not.toContain("Aziza");
    }
  });

  it("three failed calls open the breaker: the next is 91 without reaching the server", async () => {
    const server = receiver();
    await server.script({ fail: 100, status: 503 });
    const breaker = new CircuitBreaker(3, 60_000);
    for (let i = 0; i < 3; i++)
      expect((await refusal(scoring(server.url, breaker).submit(request))).code).toBe(1005);
    const sent = (await server.received()).length;
    const open = await refusal(scoring(server.url, breaker).submit(request));
    expect([open.code, open.status]).toEqual([91, 503]);
    expect((await server.received()).length).toBe(sent);
  });

  it("is what the API uses when UPSTREAM_URLS names scoring", async () => {
    const server = receiver();
    await server.script({ body: approved });
    const p = await provisionPartner({ dataAccess: ["name", "phone", "documents", "birth_date"] });
    const r = await fetchWithEnv(
      createApp(),
      { UPSTREAM_URLS: JSON.stringify({ scoring: `${server.url}/` }) },
      "/v1/loans/applications",
      {
        method: "POST",
        headers: {
          Authorization: `Bearer ${await tokenFor(p)}`,
          "Content-Type": "application/json",
          "Idempotency-Key": crypto.randomUUID(),
        },
        body: JSON.stringify({
          params: { applicant: request.applicant, amount: 5_000_000, currency: "UZS", term_months: 12 },
        }),
      },
    );
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({
      status: "approved",
      offer: { amount: 4_000_000, annual_rate_bps: 3_000, term_months: 12 },
    });
    const [sent] = await server.received();
    expect(JSON.parse(sent?.body ?? "").application_id).toBe(r.body.result.id);
  });
});
