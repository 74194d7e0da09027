import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type ConsentDeps, operateConsent } from "../../src/modules/accounts/consents";
import { ratesFor } from "../../src/modules/fx/connector";
import { convert } from "../../src/modules/fx/conversions";
import { SANDBOX_KYC_ACCOUNTS, SANDBOX_KYC_HOLDER } from "../../src/modules/kyc/connector/sandbox";
import { verifyHolder } from "../../src/modules/kyc/kyc";
import { scoringFor } from "../../src/modules/lending/connector";
import { applyForLoan } from "../../src/modules/lending/lending";
import { acceptApplication } from "../../src/modules/lending/loans";
import { loadProfile } from "../../src/modules/partners/profile";
import { loadConfig } from "../../src/platform/env";
import { publishEvent, storeEvent } from "../../src/platform/events/events";
import { uuidv7 } from "../../src/platform/lib/ids";
import { createLogger } from "../../src/platform/lib/logger";
import { LOAN_ASK } from "../support/applicants";
import { call } from "../support/http";
import {
  countingQueue,
  drain,
  drainsOnce,
  type EventsQueue,
  eventRow,
  eventRows,
  failingQueue,
  hangingQueue,
  partnerWithHook,
} from "../support/outbox";
import { db, fund, provisionPartner } from "../support/partners";
import { until } from "../support/webhooks";

// The D1 `events` table as the one outbox: a state change commits with its event row, a
// send that fails (or never happens) leaves the row pending, and the cron drainer delivers it.
// Cards and webhooks have theirs beside their module's tests (test/modules/*/outbox.test.ts).

const deps = (queue: EventsQueue): ConsentDeps => ({
  db,
  queue,
  config: loadConfig(env),
  log: createLogger("error"),
});

async function newConsent(token: string) {
  const expires = new Date(Date.now() + 86_400_000).toISOString();
  const r = await call("POST", "/v1/consents", {
    token,
    json: { params: { scopes: ["accounts"], expires_at: expires } },
  });
  return r.body.result.id as string;
}

const consentStatus = async (id: string) =>
  (await env.DB.prepare("SELECT status FROM consents WHERE id = ?").bind(id).first<{ status: string }>())
    ?.status;

describe("the event outbox: consents", () => {
  it("commits the transition when the send fails; the drainer delivers its event once", async () => {
    const s = await partnerWithHook();
    const id = await newConsent(s.token);
    const consent = await operateConsent(deps(failingQueue), s.p.id, id, "authorise", "cust_1");
    expect(consent.status).toBe("Authorised");
    expect(await consentStatus(id)).toBe("Authorised");
    await drainsOnce(s.p.id, "consent.authorised", s.arrived);
  });

  it("delivers once an event whose process died after the commit, before the send", async () => {
    const s = await partnerWithHook();
    const id = await newConsent(s.token);
    const hanging = hangingQueue();
    const answer = operateConsent(deps(hanging.queue), s.p.id, id, "revoke");
    await until(async () => (await eventRows(s.p.id, "consent.revoked")).length === 1);
    expect(await consentStatus(id)).toBe("Revoked");
    const { id: eventId, enqueuedAt } = await drainsOnce(s.p.id, "consent.revoked", s.arrived);
    // The late send's mark is conditional: the drainer's stays.
    hanging.release();
    expect((await answer).status).toBe("Revoked");
    expect((await eventRow(eventId))?.enqueued_at).toBe(enqueuedAt);
  });
});

const HOLDER = { account_number: SANDBOX_KYC_ACCOUNTS.holder, ...SANDBOX_KYC_HOLDER };

async function verify(partnerId: string, queue: EventsQueue) {
  const profile = await loadProfile(db, partnerId);
  if (!profile) throw new Error("no profile");
  return verifyHolder(deps(queue), profile, crypto.randomUUID(), HOLDER);
}

const verificationCount = async (partnerId: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM kyc_verifications WHERE partner_id = ?")
      .bind(partnerId)
      .first<{ n: number }>()
  )?.n;

describe("the event outbox: kyc", () => {
  it("stores the verification when the send fails; the drainer delivers its event once", async () => {
    const s = await partnerWithHook();
    const result = await verify(s.p.id, failingQueue);
    expect(result.outcome).toBe("match");
    expect(await verificationCount(s.p.id)).toBe(1);
    await drainsOnce(s.p.id, "kyc_verification.completed", s.arrived);
  });

  it("delivers once an event whose process died after the commit, before the send", async () => {
    const s = await partnerWithHook();
    const hanging = hangingQueue();
    const answer = verify(s.p.id, hanging.queue);
    await until(async () => (await eventRows(s.p.id, "kyc_verification.completed")).length === 1);
    expect(await verificationCount(s.p.id)).toBe(1);
    await drainsOnce(s.p.id, "kyc_verification.completed", s.arrived);
    hanging.release();
    expect((await answer).outcome).toBe("match");
  });
});

async function fxConversion(queue: EventsQueue) {
  const s = await partnerWithHook();
  await fund(s.p.id, 200_000_000);
  const params = { sell_currency: "UZS", buy_currency: "USD", buy_amount: 10_000 };
  const quote = await call("POST", "/v1/fx/quotes", { token: s.token, json: { params } });
  const profile = await loadProfile(db, s.p.id);
  if (!profile) throw new Error("no profile");
  const fxDeps = { db, queue, rates: ratesFor(loadConfig(env)) };
  const key = crypto.randomUUID();
  const answer = convert(fxDeps, profile, key, quote.body.result.id);
  return {
    s,
    answer,
    again: (q: EventsQueue) => convert({ ...fxDeps, queue: q }, profile, key, quote.body.result.id),
  };
}

const conversionStatus = async (partnerId: string) =>
  (
    await env.DB.prepare("SELECT status FROM fx_conversions WHERE partner_id = ?")
      .bind(partnerId)
      .all<{ status: string }>()
  ).results.map((r) => r.status);

describe("the event outbox: fx conversions", () => {
  it("completes the conversion when the send fails; the drainer delivers its event once", async () => {
    const { s, answer, again } = await fxConversion(failingQueue);
    expect((await answer).status).toBe("completed");
    expect(await conversionStatus(s.p.id)).toEqual(["completed"]);
    const { id } = await drainsOnce(s.p.id, "fx_conversion.completed", s.arrived);
    // A replay of the key answers the conversion and sends nothing already sent.
    const replayed = countingQueue();
    expect((await again(replayed.queue)).status).toBe("completed");
    expect(replayed.timesSent(id)).toBe(0);
    expect(await eventRows(s.p.id, "fx_conversion.completed")).toHaveLength(1);
  });

  it("delivers once an event whose process died after the commit, before the send", async () => {
    const hanging = hangingQueue();
    const { s, answer } = await fxConversion(hanging.queue);
    await until(async () => (await eventRows(s.p.id, "fx_conversion.completed")).length === 1);
    expect(await conversionStatus(s.p.id)).toEqual(["completed"]);
    await drainsOnce(s.p.id, "fx_conversion.completed", s.arrived);
    hanging.release();
    expect((await answer).status).toBe("completed");
  });
});

const ask = LOAN_ASK;

async function lender(partnerId: string) {
  const profile = await loadProfile(db, partnerId);
  if (!profile) throw new Error("no profile");
  const scoring = scoringFor(loadConfig(env));
  return {
    apply: (queue: EventsQueue) => applyForLoan({ db, queue, scoring }, profile, crypto.randomUUID(), ask),
    accept: (queue: EventsQueue, id: string) =>
      acceptApplication({ db, queue, scoring }, profile, crypto.randomUUID(), id),
  };
}

const loanStatus = async (partnerId: string) =>
  (
    await env.DB.prepare("SELECT status FROM loans WHERE partner_id = ?")
      .bind(partnerId)
      .all<{ status: string }>()
  ).results.map((r) => r.status);

describe("the event outbox: lending", () => {
  it("commits the decision and the disbursement when the sends fail; the drainer delivers each event once", async () => {
    const s = await partnerWithHook();
    const l = await lender(s.p.id);
    const application = await l.apply(failingQueue);
    expect(application.status).toBe("approved");
    await drainsOnce(s.p.id, "loan_application.approved", s.arrived);
    const loan = await l.accept(failingQueue, application.id);
    expect(loan.status).toBe("disbursed");
    expect(await loanStatus(s.p.id)).toEqual(["disbursed"]);
    await drainsOnce(s.p.id, ["loan.accepted", "loan.disbursed"], s.arrived);
  });

  it("delivers once the events of a disbursement whose process died after the commit", async () => {
    const s = await partnerWithHook();
    const l = await lender(s.p.id);
    const application = await l.apply(countingQueue().queue);
    const hanging = hangingQueue();
    const answer = l.accept(hanging.queue, application.id);
    await until(async () => (await eventRows(s.p.id, "loan.disbursed")).length === 1);
    expect(await loanStatus(s.p.id)).toEqual(["disbursed"]);
    await drainsOnce(s.p.id, ["loan.accepted", "loan.disbursed"], s.arrived);
    hanging.release();
    expect((await answer).status).toBe("disbursed");
  });
});

const anEvent = (partnerId: string) => ({
  id: uuidv7(),
  type: "payment.captured" as const,
  partnerId,
  livemode: false,
  createdAt: new Date().toISOString(),
  object: { id: `pay_${crypto.randomUUID()}`, object: "payment" },
});

describe("the event outbox: publishEvent (the Durable Object outbox's path)", () => {
  it("stores, sends and marks the event; a re-drain neither duplicates the row nor re-marks it", async () => {
    const p = await provisionPartner();
    const event = anEvent(p.id);
    const counting = countingQueue();
    expect(await publishEvent(db, counting.queue, event)).toEqual({ stored: true });
    const marked = await eventRow(event.id);
    expect(marked?.enqueued_at).toEqual(expect.any(String));
    expect(await publishEvent(db, counting.queue, event)).toEqual({ stored: false });
    expect(counting.timesSent(event.id)).toBe(2);
    expect(await eventRows(p.id, "payment.captured")).toEqual([marked]);
  });

  it("throws on a failed send and leaves the row for the drainer", async () => {
    const s = await partnerWithHook();
    await expect(publishEvent(db, failingQueue, anEvent(s.p.id))).rejects.toThrow("queue unavailable");
    await drainsOnce(s.p.id, "payment.captured", s.arrived);
  });

  it("leaves a recorded-only event (a ping) alone", async () => {
    const p = await provisionPartner();
    const event = { ...anEvent(p.id), type: "ping" as const };
    await storeEvent(db, event);
    expect((await eventRow(event.id))?.enqueued_at).toBe(event.createdAt);
    const counting = countingQueue();
    await drain(counting.queue);
    expect(counting.timesSent(event.id)).toBe(0);
  });
});
