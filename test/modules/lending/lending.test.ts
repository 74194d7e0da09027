import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ledgerImbalance } from "../../../src/modules/ledger/storage";
import {
  SANDBOX_SCORING_DOCUMENTS as docs,
  SANDBOX_ANNUAL_RATE_BPS,
} from "../../../src/modules/lending/connector/sandbox";
import { LOAN_OFFER_TTL_SECONDS, monthlyPayment } from "../../../src/modules/lending/offer";
import { acceptOffer, insertApplication } from "../../../src/modules/lending/storage";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { LOAN_APPLICANT, LOAN_ASK } from "../../support/applicants";
import { call, tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";

const applicant = LOAN_APPLICANT;
const ask = LOAN_ASK;
const withDocument = (document_number: string) => ({ ...ask, applicant: { ...applicant, document_number } });

async function setup() {
  const p = await provisionPartner({ dataAccess: ["name", "phone", "documents", "birth_date"] });
  let token = await tokenFor(p);
  const apply = (params: Record<string, unknown> = ask, key: string = crypto.randomUUID()) =>
    call("POST", "/v1/loans/applications", { token, json: { params }, headers: { "Idempotency-Key": key } });
  const get = (id: string) => call("GET", `/v1/loans/applications/${id}`, { token });
  const accept = (id: string, key: string = crypto.randomUUID()) =>
    call("POST", `/v1/loans/applications/${id}/accept`, { token, headers: { "Idempotency-Key": key } });
  const events = async () =>
    (
      await env.DB.prepare("SELECT type, data FROM events WHERE partner_id = ? ORDER BY id")
        .bind(p.id)
        .all<{ type: string; data: string }>()
    ).results.map((e) => ({ type: e.type, object: JSON.parse(e.data).object }));
  const available = async (currency = "UZS") => {
    const r = (await call("GET", "/v1/balance", { token })).body.result;
    return (
      (r.available as { currency: string; amount: number }[]).find((b) => b.currency === currency)?.amount ??
      0
    );
  };
  const entries = async (reference: string) =>
    (await call("GET", `/v1/ledger/entries?reference=${reference}`, { token })).body.result.data;
  const rows = async () =>
    (
      await env.DB.prepare("SELECT * FROM loan_applications WHERE partner_id = ? ORDER BY id")
        .bind(p.id)
        .all<Record<string, unknown>>()
    ).results;
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
    apply,
    get,
    accept,
    events,
    available,
    entries,
    rows,
  };
}

async function expectLedgerBalanced() {
  for (const row of await ledgerImbalance(db)) expect(Number(row.imbalance)).toBe(0);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("micro-credit: apply, accept, disburse", () => {
  it("an approved application carries its offer; accepting it disburses once, to the ledger, with events", async () => {
    const s = await setup();
    const applied = await s.apply();
    expect(applied.res.status).toBe(200);
    const app = applied.body.result;
    const payment = monthlyPayment(5_000_000, SANDBOX_ANNUAL_RATE_BPS, 12);
    expect(app).toMatchObject({
      object: "loan_application",
      status: "approved",
      applicant,
      amount: 5_000_000,
      currency: "UZS",
      term_months: 12,
      offer: {
        amount: 5_000_000,
        currency: "UZS",
        annual_rate_bps: 2_400,
        term_months: 12,
        monthly_payment: payment,
        total_repayable: payment * 12,
      },
      decline: null,
      failure: null,
      loan_id: null,
      livemode: false,
    });
    expect(Date.parse(app.offer.expires_at) - Date.parse(app.decided_at)).toBe(LOAN_OFFER_TTL_SECONDS * 1000);
    expect((await s.get(app.id)).body.result).toEqual(app);

    const accepted = await s.accept(app.id);
    expect(accepted.res.status).toBe(200);
    const loan = accepted.body.result;
    expect(loan).toMatchObject({
      object: "loan",
      application_id: app.id,
      status: "disbursed",
      amount: 5_000_000,
      currency: "UZS",
      annual_rate_bps: 2_400,
      term_months: 12,
      monthly_payment: payment,
      total_repayable: payment * 12,
      livemode: false,
    });
    expect(loan.disbursed_at).not.toBeNull();
    expect((await call("GET", `/v1/loans/${loan.id}`, { token: s.token })).body.result).toEqual(loan);
    expect((await s.get(app.id)).body.result).toMatchObject({ status: "accepted", loan_id: loan.id });

    // The principal is the partner's to pay out to its customer; the bank holds the receivable.
    expect(await s.available()).toBe(5_000_000);
    const posted = await s.entries(loan.id);
    expect(posted.map((e: { kind: string }) => e.kind)).toEqual(["loan_disbursement"]);
    expect(posted[0].postings).toEqual([
      { account: "partner_available", direction: "credit", amount: 5_000_000 },
    ]);
    const receivable = await env.DB.prepare(
      "SELECT p.direction, p.amount FROM postings p JOIN journal_entries e ON e.id = p.entry_id WHERE e.reference = ? AND p.account_id = 'platform:loans_receivable:UZS'",
    )
      .bind(loan.id)
      .all();
    expect(receivable.results).toEqual([{ direction: "debit", amount: 5_000_000 }]);

    const events = await s.events();
    expect(events.map((e) => e.type)).toEqual([
      "loan_application.approved",
      "loan.accepted",
      "loan.disbursed",
    ]);
    expect(events[0]?.object).toMatchObject({ id: app.id, status: "approved", offer: app.offer });
    expect(events[1]?.object).toMatchObject({ id: loan.id, status: "accepted", disbursed_at: null });
    expect(events[2]?.object).toEqual(loan);
    // Webhooks are not masked: events never carry the applicant.
    for (const e of events) {
      const text = JSON.stringify(e.object);
      for (const value of Object.values(applicant)) expect(text).not.toContain(value);
    }

    // Accepting again is an illegal transition and changes nothing.
    const again = await s.accept(app.id);
    expect(again.res.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 60, reason: "invalid_state_transition" });
    expect(again.body.error.message).toBe("Cannot accept a loan_application whose status is accepted");
    expect(await s.available()).toBe(5_000_000);
    expect(await s.entries(loan.id)).toHaveLength(1);
    await expectLedgerBalanced();
  });

  it("a replayed accept answers the same loan; concurrent accepts make exactly one loan", async () => {
    const s = await setup();
    const app = (await s.apply()).body.result;
    const key = crypto.randomUUID();
    const first = await s.accept(app.id, key);
    const replay = await s.accept(app.id, key);
    expect(replay.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.body.result).toEqual(first.body.result);

    const other = (await s.apply()).body.result;
    const results = await Promise.all(Array.from({ length: 10 }, () => s.accept(other.id)));
    const won = results.filter((r) => r.res.status === 200);
    expect(won).toHaveLength(1);
    for (const r of results.filter((x) => x.res.status !== 200)) {
      expect(r.res.status).toBe(409);
      expect(r.body.error.code).toBe(60);
    }
    expect(await s.available()).toBe(10_000_000);
    const loans = await env.DB.prepare("SELECT count(*) AS n FROM loans WHERE application_id = ?")
      .bind(other.id)
      .first<{ n: number }>();
    expect(loans?.n).toBe(1);
    await expectLedgerBalanced();
  });

  it("a counter-offer lends at most what scoring approved", async () => {
    const s = await setup();
    const app = (await s.apply(withDocument(docs.counterOffer))).body.result;
    expect(app.offer).toMatchObject({
      amount: 2_500_000,
      monthly_payment: monthlyPayment(2_500_000, 2_400, 12),
    });
    const loan = (await s.accept(app.id)).body.result;
    expect(loan.amount).toBe(2_500_000);
    expect(await s.available()).toBe(2_500_000);
  });

  it("an offer expires: its application reads `expired` and cannot be accepted (60)", async () => {
    const s = await setup();
    const app = (await s.apply()).body.result;
    await s.later(LOAN_OFFER_TTL_SECONDS * 1000 + 1_000);
    expect((await s.get(app.id)).body.result).toMatchObject({ status: "expired", offer: app.offer });
    const refused = await s.accept(app.id);
    expect(refused.res.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 60 });
    expect(refused.body.error.message).toBe("Cannot accept a loan_application whose status is expired");
    expect(await s.available()).toBe(0);
  });

  it("one application per Idempotency-Key: a replay answers the same one", async () => {
    const s = await setup();
    const key = crypto.randomUUID();
    const first = await s.apply(ask, key);
    const second = await s.apply(ask, key);
    expect(second.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(second.body.result).toEqual(first.body.result);
    expect(await s.rows()).toHaveLength(1);
  });
});

describe("scoring outcomes", () => {
  for (const [document, code, reason, message] of [
    [docs.overdueLoans, 1002, "scoring_overdue_loans", "Overdue payments on active loans"],
    [docs.elevatedRisk, 1003, "scoring_elevated_risk", "Elevated customer risk"],
  ] as const) {
    it(`declined by scoring: the bank's error ${code}; the application is kept as declined`, async () => {
      const s = await setup();
      const r = await s.apply(withDocument(document));
      expect(r.res.status).toBe(422);
      expect(r.body).toMatchObject({ result: null, error: { code, reason, message } });
      const events = await s.events();
      expect(events.map((e) => e.type)).toEqual(["loan_application.declined"]);
      const id = events[0]?.object.id;
      expect(events[0]?.object).toMatchObject({ status: "declined", offer: null, decline: { code, reason } });

      const got = await s.get(id);
      expect(got.res.status).toBe(200);
      expect(got.body.result).toMatchObject({ id, status: "declined", decline: { code, reason, message } });
      const accept = await s.accept(id);
      expect(accept.res.status).toBe(409);
      expect(accept.body.error.message).toBe("Cannot accept a loan_application whose status is declined");
      expect(await s.available()).toBe(0);
    });
  }

  for (const [document, code, status] of [
    [docs.upstreamEmpty, 1004, 502],
    [docs.upstreamFailed, 1005, 502],
  ] as const) {
    it(`the scoring system failing answers ${code}; a retry under the key scores the same application`, async () => {
      const s = await setup();
      const key = crypto.randomUUID();
      const r = await s.apply(withDocument(document), key);
      expect(r.res.status).toBe(status);
      expect(r.body.error.code).toBe(code);
      const again = await s.apply(withDocument(document), key);
      expect(again.res.headers.get("Idempotent-Replayed")).toBeNull();
      expect(again.body.error.code).toBe(code);
      const rows = await s.rows();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: "failed", failure_code: code, event_id: null });
      const got = await s.get(String(rows[0]?.id));
      expect(got.body.result).toMatchObject({ status: "failed", failure: { code }, offer: null });
      expect(await s.events()).toEqual([]);
    });
  }

  it("referred to review: in progress (1001) until the underwriter decides, then approved once", async () => {
    const s = await setup();
    const r = await s.apply(withDocument(docs.review));
    expect(r.res.status).toBe(200);
    const app = r.body.result;
    expect(app).toMatchObject({ status: "in_progress", offer: null, decided_at: null });
    for (const refused of [await s.get(app.id), await s.accept(app.id)]) {
      expect(refused.res.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 1001, message: "Application is in progress" });
    }
    expect(await s.events()).toEqual([]);

    await s.later(61_000);
    const decided = await s.get(app.id);
    expect(decided.body.result).toMatchObject({
      id: app.id,
      status: "approved",
      offer: { amount: 5_000_000 },
    });
    expect((await s.get(app.id)).body.result).toEqual(decided.body.result);
    expect((await s.events()).map((e) => e.type)).toEqual(["loan_application.approved"]);
    expect((await s.accept(app.id)).body.result.status).toBe("disbursed");
  });
});

describe("crash recovery", () => {
  it("an application a crash left unscored is scored by the retry under its key", async () => {
    const s = await setup();
    const key = crypto.randomUUID();
    const now = new Date().toISOString();
    const left = await insertApplication(db, {
      id: crypto.randomUUID(),
      partnerId: s.p.id,
      livemode: false,
      idempotencyKey: key,
      status: "in_progress",
      fullName: applicant.full_name,
      documentNumber: applicant.document_number,
      phoneNumber: applicant.phone_number,
      birthDate: applicant.birth_date,
      amount: ask.amount,
      currency: "UZS",
      termMonths: ask.term_months,
      createdAt: now,
      updatedAt: now,
    });
    // Meanwhile a read sees it in progress.
    expect((await s.get(left.id)).body.error.code).toBe(1001);
    const retried = await s.apply(ask, key);
    expect(retried.body.result).toMatchObject({ id: left.id, status: "approved" });
    expect(await s.rows()).toHaveLength(1);
  });

  it("a loan accepted but not yet disbursed is finished by the retry or by a read, once", async () => {
    const s = await setup();
    const app = (await s.apply()).body.result;
    const key = crypto.randomUUID();
    const now = new Date().toISOString();
    const loanId = uuidv7();
    // The accept's first step committed, then the Worker died before disbursing.
    const won = await acceptOffer(
      db,
      {
        id: loanId,
        partnerId: s.p.id,
        livemode: false,
        applicationId: app.id,
        acceptKey: key,
        status: "accepted",
        amount: app.offer.amount,
        currency: "UZS",
        annualRateBps: app.offer.annual_rate_bps,
        termMonths: app.offer.term_months,
        monthlyPayment: app.offer.monthly_payment,
        totalRepayable: app.offer.total_repayable,
        acceptedEventId: uuidv7(),
        disbursedEventId: uuidv7(Date.now() + 1),
        createdAt: now,
        updatedAt: now,
      },
      now,
    );
    expect(won).toBe(true);
    expect(await s.available()).toBe(0);

    // Another key may not accept it; the accepting key's retry finishes it.
    expect((await s.accept(app.id)).body.error.code).toBe(60);
    const retried = await s.accept(app.id, key);
    expect(retried.body.result).toMatchObject({ id: loanId, status: "disbursed" });
    const read = await call("GET", `/v1/loans/${loanId}`, { token: s.token });
    expect(read.body.result).toEqual(retried.body.result);
    expect(await s.available()).toBe(5_000_000);
    expect(await s.entries(loanId)).toHaveLength(1);
    expect((await s.events()).map((e) => e.type)).toEqual([
      "loan_application.approved",
      "loan.accepted",
      "loan.disbursed",
    ]);
    await expectLedgerBalanced();
  });
});
