import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src";
import { closeDuePeriods } from "../../src/modules/billing/invoicing/close";
import { latestInvoice } from "../../src/modules/billing/invoicing/storage";
import { billingAccounts, ratePlans } from "../../src/modules/billing/storage";
import { SANDBOX_SMS_CODE } from "../../src/modules/cards/connector/sandbox";
import { createLogger } from "../../src/platform/lib/logger";
import { freshPan, LOAN_ASK } from "../support/applicants";
import { BASE, call } from "../support/http";
import { db, type TestPartner } from "../support/partners";
import { receiver } from "../support/webhooks";

/** Whose fixtures these are: a partner of its own per operation, and its token. */
export interface FixtureContext {
  partner: TestPartner;
  token: string;
}

type Result = Record<string, unknown> & { id: string };

/** A prerequisite made through the API; a failure here is the fixture's, not the contract's. */
export async function made(
  ctx: FixtureContext,
  method: string,
  path: string,
  params?: unknown,
): Promise<Result> {
  const r = await call(method, path, {
    token: ctx.token,
    ...(params !== undefined ? { json: { params } } : {}),
  });
  if (r.res.status >= 300)
    throw new Error(`prerequisite ${method} ${path}: ${r.res.status} ${JSON.stringify(r.body)}`);
  return r.body.result;
}

export const DAY_MS = 86_400_000;
export const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

export const VISA = { amount: 150_000, currency: "UZS", payment_method_token: "pm_card_visa" };
export const PAYOUT = { amount: 1_000, currency: "UZS", destination_token: "dest_tok_ok" };
export const BUY_USD = { sell_currency: "UZS", buy_currency: "USD", buy_amount: 1_000 };
export const CARD_APPLICANT = {
  full_name: "Dilnoza Yusupova",
  phone_number: "+998935550147",
  birth_date: "1988-11-02",
  document_number: "AC7654321",
};
export const VIRTUAL_CARD = { type: "virtual", currency: "UZS", applicant: CARD_APPLICANT };
export const PHYSICAL_CARD = {
  type: "physical",
  currency: "EUR",
  applicant: { ...CARD_APPLICANT, address: "Samarkand, Registan 5" },
};
export const ATTACH_PHONE = "+998901112233";
export { LOAN_ASK };
export const KYC_HOLDER = {
  account_number: "20208000900100000001",
  full_name: "Aziz Karimov",
  birth_date: "1990-05-17",
  document_number: "AA1234567",
};

export const payment = (ctx: FixtureContext, params: Record<string, unknown> = {}) =>
  made(ctx, "POST", "/v1/payments", { ...VISA, ...params });

export const payout = (ctx: FixtureContext) => made(ctx, "POST", "/v1/payouts", PAYOUT);

export const consent = (ctx: FixtureContext) =>
  made(ctx, "POST", "/v1/consents", {
    scopes: ["accounts", "balances", "transactions"],
    expires_at: inDays(30),
  });

export async function authorisedConsent(ctx: FixtureContext): Promise<string> {
  const { id } = await consent(ctx);
  await made(ctx, "POST", `/v1/sandbox/consents/${id}/authorise`);
  return id;
}

export const cardApplication = (ctx: FixtureContext, params: unknown = VIRTUAL_CARD) =>
  made(ctx, "POST", "/v1/cards/applications", params);

export async function card(ctx: FixtureContext): Promise<string> {
  const application = await cardApplication(ctx);
  return (application.card as { id: string }).id;
}

export const attachment = (ctx: FixtureContext) =>
  made(ctx, "POST", "/v1/cards/attach", { card_number: freshPan(), phone_number: ATTACH_PHONE });

export const attachConfirmation = async (ctx: FixtureContext) => ({
  attachment_id: (await attachment(ctx)).id,
  code: SANDBOX_SMS_CODE,
});

export const loanApplication = (ctx: FixtureContext) => made(ctx, "POST", "/v1/loans/applications", LOAN_ASK);

export async function loan(ctx: FixtureContext): Promise<string> {
  const { id } = await loanApplication(ctx);
  return (await made(ctx, "POST", `/v1/loans/applications/${id}/accept`)).id;
}

export const quote = (ctx: FixtureContext) => made(ctx, "POST", "/v1/fx/quotes", BUY_USD);

export async function conversion(ctx: FixtureContext): Promise<string> {
  const { id } = await quote(ctx);
  return (await made(ctx, "POST", "/v1/fx/conversions", { quote_id: id })).id;
}

/** An endpoint on the test set-up's receiver, subscribed to one rare event: deliveries stay few. */
export const endpoint = (ctx: FixtureContext) =>
  made(ctx, "POST", "/v1/webhook_endpoints", { url: receiver().url, events: ["endpoint.disabled"] });

/** One of the partner's events: ordering a virtual card publishes `card_application.created` at once. */
export async function event(ctx: FixtureContext): Promise<string> {
  await cardApplication(ctx);
  const r = await call("GET", "/v1/events?limit=1", { token: ctx.token });
  const first = r.body?.result?.data?.[0] as { id: string } | undefined;
  if (!first) throw new Error(`no event: ${JSON.stringify(r.body)}`);
  return first.id;
}

/**
 * An entry of the partner's request log: a call whose row is written after its answer (its
 * waitUntil awaited here), then found by its request id through the API.
 */
export async function requestLogEntry(ctx: FixtureContext): Promise<string> {
  const requestId = `contract-${crypto.randomUUID()}`;
  const run = createExecutionContext();
  const req = new Request(`${BASE}/v1/partner`, {
    headers: { Authorization: `Bearer ${ctx.token}`, "X-Request-Id": requestId },
  });
  await (await worker.fetch(req, env, run)).text();
  await waitOnExecutionContext(run);
  const r = await call("GET", `/v1/requests?request_id=${requestId}`, { token: ctx.token });
  const first = r.body?.result?.data?.[0] as { id: string } | undefined;
  if (!first) throw new Error(`no request log entry: ${JSON.stringify(r.body)}`);
  return first.id;
}

/**
 * An invoice of the partner: a billing account whose first month ended (rows as the plans part's
 * admin API writes them), closed as the cron closes it.
 */
export async function invoice(ctx: FixtureContext): Promise<string> {
  const startsOn = new Date(Date.now() - 40 * DAY_MS).toISOString().slice(0, 10);
  await db
    .insert(billingAccounts)
    .values({ partnerId: ctx.partner.id, startsOn, taxBps: 1200, settlement: "invoice" })
    .onConflictDoNothing();
  await db
    .insert(ratePlans)
    .values({
      partnerId: ctx.partner.id,
      version: 1,
      plan: {
        version: 1,
        currency: "USD",
        period: "month",
        recurring_fee_minor: 31_000,
        products: {},
        overage: "bill",
      },
      effectiveFrom: startsOn,
    })
    .onConflictDoNothing();
  const deps = { db, environment: "sandbox" as const, bucket: env.INVOICES, log: createLogger("error") };
  await closeDuePeriods(deps, ctx.partner.id, { realNow: Date.now(), graceMs: 0 });
  const latest = await latestInvoice(db, ctx.partner.id);
  if (!latest) throw new Error("no invoice");
  return latest.id;
}

/** A dispute on a fresh captured payment (the sandbox's button), `needs_response`. */
export async function dispute(ctx: FixtureContext) {
  const { id } = await payment(ctx);
  // The capture's posting and event leave the payment's object after the answer: wait for them, so
  // a check that nothing changed after a refusal does not see them arrive.
  for (let i = 0; i < 80; i++) {
    const posted = await env.DB.prepare(
      "SELECT 1 FROM journal_entries WHERE reference = ? AND kind = 'capture'",
    )
      .bind(id)
      .first();
    if (posted) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return made(ctx, "POST", `/v1/sandbox/payments/${id}/dispute`, {});
}

/** A dispute with its evidence submitted: `under_review`. */
export async function disputeUnderReview(ctx: FixtureContext): Promise<string> {
  const { id } = await dispute(ctx);
  await made(ctx, "POST", `/v1/disputes/${id}/evidence`, { product_description: "delivered", submit: true });
  return id;
}

/** A smallest PDF, in base64, for a dispute's evidence. */
export const EVIDENCE_PDF = btoa("%PDF-1.4\n%%EOF\n");

/** A dispute with one evidence document: its id and the document's. */
export async function disputeDocument(ctx: FixtureContext): Promise<{ id: string; document_id: string }> {
  const { id } = await dispute(ctx);
  const doc = await made(ctx, "POST", `/v1/disputes/${id}/evidence/documents`, {
    filename: "receipt.pdf",
    content_type: "application/pdf",
    content_base64: EVIDENCE_PDF,
  });
  return { id, document_id: doc.id };
}

/**
 * A fresh publishable key of the partner (`POST /v1/partner/publishable_keys`, through the API):
 * the credential of POST /v1/tokens, which takes nothing else. The earlier keys keep working
 * for the default overlap (a day).
 */
export async function publishableKey(ctx: FixtureContext): Promise<string> {
  const { key } = (await made(ctx, "POST", "/v1/partner/publishable_keys", {})) as unknown as { key: string };
  if (!key?.startsWith("pk_test_")) throw new Error(`no publishable key: ${key}`);
  return key;
}

/** The sandbox's approved test card, with an expiry ahead (docs/payment-methods.md#sandbox-test-cards). */
export const TEST_CARD = {
  number: "4242424242424242",
  exp_month: 12,
  exp_year: new Date().getUTCFullYear() + 3,
  cvc: "123",
};

/** A single-use card token (`pm_…`), made with a publishable key. */
export async function cardToken(ctx: FixtureContext): Promise<string> {
  const pk = await publishableKey(ctx);
  const r = await call("POST", "/v1/tokens", { token: pk, json: { params: { card: TEST_CARD } } });
  if (r.res.status >= 300)
    throw new Error(`prerequisite POST /v1/tokens: ${r.res.status} ${JSON.stringify(r.body)}`);
  return r.body.result.id;
}

export const customer = (ctx: FixtureContext) =>
  made(ctx, "POST", "/v1/customers", { name: "Contract Customer", metadata: { ref: "contract" } });

/** The consent a saved card needs (docs/payment-methods.md#saved-payment-methods). */
export const SAVE_CONSENT = { accepted_at: "2026-12-01T10:00:00Z", reference: "checkout-terms-v3" };

/** A customer with one saved card: its id and the saved card's. */
export async function savedMethod(ctx: FixtureContext): Promise<{ id: string; method_id: string }> {
  const { id } = await customer(ctx);
  const saved = await made(ctx, "POST", `/v1/customers/${id}/payment_methods`, {
    payment_method_token: await cardToken(ctx),
    consent: SAVE_CONSENT,
  });
  return { id, method_id: saved.id };
}
