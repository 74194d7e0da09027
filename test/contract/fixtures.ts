import { SANDBOX_ACCOUNT_IDS } from "../../src/modules/accounts/connector/sandbox-data";
import { freshPan } from "../support/applicants";
import { parParams, pkce, registerRedirects } from "../support/consent-flow";
import { basic, tokenFor } from "../support/http";
import { seedPlan } from "../support/plans";
import { receiver } from "../support/webhooks";
import { type Operation, takesPublishableKey } from "./openapi";
import {
  ATTACH_PHONE,
  attachConfirmation,
  authorisedConsent,
  BUY_USD,
  card,
  cardApplication,
  cardToken,
  consent,
  conversion,
  customer,
  DAY_MS,
  dispute,
  disputeDocument,
  disputeUnderReview,
  EVIDENCE_PDF,
  endpoint,
  event,
  type FixtureContext,
  inDays,
  invoice,
  KYC_HOLDER,
  LOAN_ASK,
  loan,
  loanApplication,
  made,
  PAYOUT,
  PHYSICAL_CARD,
  payment,
  payout,
  publishableKey,
  quote,
  requestLogEntry,
  SAVE_CONSENT,
  savedMethod,
  TEST_CARD,
  VIRTUAL_CARD,
  VISA,
} from "./prerequisites";
import type { ContractRequest } from "./request";

/** The parts of a valid request a fixture gives; the walk adds the method, the path and the bearer token. */
export interface ValidParts {
  pathParams?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  json?: unknown;
  encoding?: "json" | "form";
}

export interface Fixture {
  /** A valid request, its prerequisites made through the API. */
  prepare(ctx: FixtureContext): Promise<ValidParts>;
  /** An accepted request uses the prerequisites up: the battery prepares again after one. */
  consumes?: boolean;
}

const none = async (): Promise<ValidParts> => ({});
const params = (p: unknown): ValidParts => ({ json: { params: p } });
const id = (value: string): ValidParts => ({ pathParams: { id: value } });
const idWith = (value: string, p: unknown): ValidParts => ({
  pathParams: { id: value },
  json: { params: p },
});
/** A dry-run rule: it changes no other operation's payments. */
const RISK_RULE = {
  name: "contract",
  conditions: [{ field: "amount", op: "gt", value: 1 }],
  action: "block",
  mode: "dry_run",
};

/** A payment held for review (an active hold rule for this partner only), its review's id. */
async function heldReview(ctx: FixtureContext): Promise<string> {
  const rules = (await made(ctx, "GET", "/v1/risk/rules")) as unknown as { data: { name: string }[] };
  if (!rules.data.some((r) => r.name === "hold all"))
    await made(ctx, "POST", "/v1/risk/rules", {
      name: "hold all",
      conditions: [{ field: "amount", op: "gte", value: 0 }],
      action: "hold",
    });
  const held = (await payment(ctx)).risk as { review: { id: string } };
  return held.review.id;
}

const consentHeader = async (ctx: FixtureContext) => ({ "Consent-Id": await authorisedConsent(ctx) });

/**
 * A valid request for every documented operation, keyed `METHOD path` (operation ids come
 * and go; the path and method are the contract). Values are the documented sandbox ones
 * (/docs#sandbox, `x-sandbox-values`). The battery itself is derived from the document.
 */
export const FIXTURES: Record<string, Fixture> = {
  "POST /oauth2/token": {
    prepare: async ({ partner }) => ({
      headers: { Authorization: basic(partner.consumerKey, partner.consumerSecret) },
      json: { grant_type: "client_credentials" },
      encoding: "form",
    }),
  },
  "POST /oauth2/par": {
    prepare: async (ctx) => {
      await registerRedirects(ctx.partner.id);
      const { challenge } = await pkce();
      return {
        headers: { Authorization: basic(ctx.partner.consumerKey, ctx.partner.consumerSecret) },
        json: parParams(ctx.partner, (await consent(ctx)).id, challenge),
        encoding: "form",
      };
    },
  },
  // A token of the partner's own, issued for the call (revoking the context's token would end the battery).
  "POST /oauth2/revoke": {
    prepare: async (ctx) => ({
      headers: { Authorization: basic(ctx.partner.consumerKey, ctx.partner.consumerSecret) },
      json: { token: await tokenFor(ctx.partner), token_type_hint: "access_token" },
      encoding: "form",
    }),
    consumes: true,
  },
  "POST /oauth2/introspect": {
    prepare: async (ctx) => ({
      headers: { Authorization: basic(ctx.partner.consumerKey, ctx.partner.consumerSecret) },
      json: { token: ctx.token },
      encoding: "form",
    }),
  },
  "GET /status": { prepare: none },
  "GET /v1/partner": { prepare: none },
  "GET /v1/partner/credentials": { prepare: none },
  "GET /v1/partner/oauth-client": {
    prepare: async (ctx) => {
      await registerRedirects(ctx.partner.id);
      return {};
    },
  },
  "PUT /v1/partner/oauth-client": {
    prepare: async () => params({ redirect_uris: ["https://partner.example/callback"] }),
  },
  "POST /v1/partner/credentials": { prepare: async () => params({ description: "contract test" }) },
  "DELETE /v1/partner/credentials/{id}": {
    prepare: async (ctx) => id((await made(ctx, "POST", "/v1/partner/credentials", {})).id),
    consumes: true,
  },
  "POST /v1/partner/credentials/{id}/rotate": {
    prepare: async (ctx) =>
      idWith((await made(ctx, "POST", "/v1/partner/credentials", {})).id, { overlap_seconds: 60 }),
    consumes: true,
  },
  "GET /v1/balance": { prepare: none },
  "GET /v1/ledger/entries": { prepare: none },

  "POST /v1/payments": { prepare: async () => params(VISA) },
  "GET /v1/payments": { prepare: none },
  "GET /v1/payments/{id}": { prepare: async (ctx) => id((await payment(ctx)).id) },
  "POST /v1/payments/{id}/confirm": {
    prepare: async (ctx) =>
      idWith((await payment(ctx, { payment_method_token: "pm_card_3ds" })).id, {
        authentication_result: "success",
      }),
    consumes: true,
  },
  "POST /v1/payments/{id}/capture": {
    prepare: async (ctx) => idWith((await payment(ctx, { capture: false })).id, { amount: 100_000 }),
    consumes: true,
  },
  "POST /v1/payments/{id}/cancel": {
    prepare: async (ctx) => idWith((await payment(ctx, { capture: false })).id, {}),
    consumes: true,
  },
  "POST /v1/payments/{id}/refunds": {
    prepare: async (ctx) =>
      idWith((await payment(ctx)).id, { amount: 1_000, reason: "requested_by_customer" }),
    consumes: true,
  },
  "GET /v1/refunds/{id}": {
    prepare: async (ctx) =>
      id((await made(ctx, "POST", `/v1/payments/${(await payment(ctx)).id}/refunds`, {})).id),
  },

  "POST /v1/payouts": { prepare: async () => params(PAYOUT) },
  "GET /v1/payouts": { prepare: none },
  "GET /v1/payouts/{id}": { prepare: async (ctx) => id((await payout(ctx)).id) },

  "POST /v1/cards/applications": { prepare: async () => params(VIRTUAL_CARD) },
  "GET /v1/cards/applications/{id}": { prepare: async (ctx) => id((await cardApplication(ctx)).id) },
  "POST /v1/cards/attach": {
    prepare: async () => params({ card_number: freshPan(), phone_number: ATTACH_PHONE }),
    consumes: true,
  },
  "POST /v1/cards/attach/confirm": {
    prepare: async (ctx) => params(await attachConfirmation(ctx)),
    consumes: true,
  },
  "GET /v1/cards": { prepare: none },
  "GET /v1/cards/{id}": { prepare: async (ctx) => id(await card(ctx)) },
  "POST /v1/cards/{id}/block": {
    prepare: async (ctx) => idWith(await card(ctx), { reason: "lost" }),
    consumes: true,
  },

  "POST /v1/sandbox/cards/applications/{id}/simulate": {
    prepare: async (ctx) => id((await cardApplication(ctx, PHYSICAL_CARD)).id),
    consumes: true,
  },
  "POST /v1/sandbox/payments/{id}/simulate": {
    prepare: async (ctx) =>
      idWith((await payment(ctx, { payment_method_token: "pm_bank_redirect" })).id, { outcome: "succeeded" }),
    consumes: true,
  },
  "POST /v1/sandbox/payments/{id}/dispute": {
    prepare: async (ctx) => idWith((await payment(ctx)).id, { reason: "fraudulent", amount: 1_000 }),
    consumes: true,
  },
  "POST /v1/sandbox/disputes/{id}/simulate": {
    prepare: async (ctx) => idWith(await disputeUnderReview(ctx), { outcome: "won" }),
    consumes: true,
  },
  "GET /v1/disputes": { prepare: none },
  "GET /v1/disputes/{id}": { prepare: async (ctx) => id((await dispute(ctx)).id) },
  "POST /v1/disputes/{id}/evidence": {
    prepare: async (ctx) => idWith((await dispute(ctx)).id, { product_description: "Two opera tickets" }),
  },
  "POST /v1/disputes/{id}/accept": {
    prepare: async (ctx) => id((await dispute(ctx)).id),
    consumes: true,
  },
  "POST /v1/disputes/{id}/evidence/documents": {
    prepare: async (ctx) =>
      idWith((await dispute(ctx)).id, {
        filename: "receipt.pdf",
        content_type: "application/pdf",
        content_base64: EVIDENCE_PDF,
      }),
    consumes: true,
  },
  "GET /v1/disputes/{id}/evidence/documents/{document_id}": {
    prepare: async (ctx) => ({ pathParams: await disputeDocument(ctx) }),
  },
  "POST /v1/sandbox/payouts/{id}/simulate": {
    prepare: async (ctx) => idWith((await payout(ctx)).id, { outcome: "paid" }),
    consumes: true,
  },

  "POST /v1/webhook_endpoints": {
    prepare: async () =>
      params({ url: receiver().url, events: ["endpoint.disabled"], description: "contract" }),
  },
  "GET /v1/webhook_endpoints": { prepare: none },
  "GET /v1/webhook_endpoints/{id}": { prepare: async (ctx) => id((await endpoint(ctx)).id) },
  "PATCH /v1/webhook_endpoints/{id}": {
    prepare: async (ctx) => idWith((await endpoint(ctx)).id, { description: "renamed" }),
  },
  "DELETE /v1/webhook_endpoints/{id}": {
    prepare: async (ctx) => id((await endpoint(ctx)).id),
    consumes: true,
  },
  "POST /v1/webhook_endpoints/{id}/rotate_secret": { prepare: async (ctx) => id((await endpoint(ctx)).id) },
  "POST /v1/webhook_endpoints/{id}/test": { prepare: async (ctx) => id((await endpoint(ctx)).id) },
  "POST /v1/webhook_endpoints/{id}/recover": {
    prepare: async (ctx) =>
      idWith((await endpoint(ctx)).id, { since: new Date(Date.now() - DAY_MS).toISOString() }),
  },

  "GET /v1/events": { prepare: none },
  "GET /v1/events/{id}": { prepare: async (ctx) => id(await event(ctx)) },
  "GET /v1/events/{id}/attempts": { prepare: async (ctx) => id(await event(ctx)) },
  "POST /v1/events/{id}/resend": { prepare: async (ctx) => idWith(await event(ctx), {}) },

  "POST /v1/kyc/verifications": { prepare: async () => params(KYC_HOLDER) },
  "GET /v1/kyc/verifications": { prepare: none },
  "GET /v1/kyc/verifications/{id}": {
    prepare: async (ctx) => id((await made(ctx, "POST", "/v1/kyc/verifications", KYC_HOLDER)).id),
  },

  "POST /v1/consents": {
    prepare: async () => params({ scopes: ["accounts", "balances"], expires_at: inDays(30) }),
  },
  "GET /v1/consents": { prepare: none },
  "GET /v1/consents/{id}": { prepare: async (ctx) => id((await consent(ctx)).id) },
  "POST /v1/consents/{id}/revoke": {
    prepare: async (ctx) => idWith(await authorisedConsent(ctx), {}),
    consumes: true,
  },
  "POST /v1/sandbox/consents/{id}/authorise": {
    prepare: async (ctx) => idWith((await consent(ctx)).id, {}),
    consumes: true,
  },
  "POST /v1/sandbox/consents/{id}/reject": {
    prepare: async (ctx) => idWith((await consent(ctx)).id, {}),
    consumes: true,
  },
  "GET /v1/accounts": { prepare: async (ctx) => ({ headers: await consentHeader(ctx) }) },
  "GET /v1/accounts/{id}/balances": {
    prepare: async (ctx) => ({ ...id(SANDBOX_ACCOUNT_IDS.current), headers: await consentHeader(ctx) }),
  },
  "GET /v1/accounts/{id}/transactions": {
    prepare: async (ctx) => ({ ...id(SANDBOX_ACCOUNT_IDS.current), headers: await consentHeader(ctx) }),
  },

  "POST /v1/loans/applications": { prepare: async () => params(LOAN_ASK) },
  "GET /v1/loans/applications": { prepare: none },
  "GET /v1/loans/applications/{id}": { prepare: async (ctx) => id((await loanApplication(ctx)).id) },
  "GET /v1/loans": { prepare: none },
  "POST /v1/loans/applications/{id}/accept": {
    prepare: async (ctx) => idWith((await loanApplication(ctx)).id, {}),
    consumes: true,
  },
  "GET /v1/loans/{id}": { prepare: async (ctx) => id(await loan(ctx)) },

  "GET /v1/fx/rates": { prepare: async () => ({ query: { sell_currency: "UZS", buy_currency: "USD" } }) },
  "POST /v1/fx/quotes": { prepare: async () => params(BUY_USD) },
  "POST /v1/fx/conversions": {
    prepare: async (ctx) => params({ quote_id: (await quote(ctx)).id }),
    consumes: true,
  },
  "GET /v1/fx/conversions": { prepare: none },
  "GET /v1/fx/conversions/{id}": { prepare: async (ctx) => id(await conversion(ctx)) },

  // Risk (docs/risk.md)
  "GET /v1/risk/rules": { prepare: none },
  "POST /v1/risk/rules": { prepare: async () => params(RISK_RULE) },
  "GET /v1/risk/rules/{id}": {
    prepare: async (ctx) => id((await made(ctx, "POST", "/v1/risk/rules", RISK_RULE)).id),
  },
  "PATCH /v1/risk/rules/{id}": {
    prepare: async (ctx) =>
      idWith((await made(ctx, "POST", "/v1/risk/rules", RISK_RULE)).id, { mode: "active" }),
  },
  "DELETE /v1/risk/rules/{id}": {
    prepare: async (ctx) => id((await made(ctx, "POST", "/v1/risk/rules", RISK_RULE)).id),
    consumes: true,
  },
  "GET /v1/risk/lists": { prepare: none },
  "POST /v1/risk/lists": {
    prepare: async () => params({ list: "block", type: "ip", value: "198.51.100.0/24" }),
  },
  "DELETE /v1/risk/lists/{id}": {
    prepare: async (ctx) =>
      id((await made(ctx, "POST", "/v1/risk/lists", { list: "watch", type: "asn", value: "64500" })).id),
    consumes: true,
  },
  "GET /v1/risk/settings": { prepare: none },
  "POST /v1/risk/settings": { prepare: async () => params({ scoring_fallback: "pass" }) },
  "GET /v1/risk/audit": { prepare: none },
  "GET /v1/reviews": { prepare: none },
  "GET /v1/reviews/{id}": { prepare: async (ctx) => id(await heldReview(ctx)) },
  "POST /v1/reviews/{id}/approve": { prepare: async (ctx) => id(await heldReview(ctx)), consumes: true },
  "POST /v1/reviews/{id}/reject": { prepare: async (ctx) => id(await heldReview(ctx)), consumes: true },

  // Payment methods and customers (docs/payment-methods.md). POST /v1/tokens is sent with a
  // publishable key (`credentialFor`), the only credential it takes.
  "GET /v1/partner/publishable_keys": { prepare: none },
  "POST /v1/partner/publishable_keys": { prepare: async () => params({ overlap_seconds: 3600 }) },
  "POST /v1/tokens": { prepare: async () => params({ card: TEST_CARD }) },
  "POST /v1/customers": {
    prepare: async () =>
      params({ name: "Contract Customer", email: "contract@example.com", metadata: { ref: "c1" } }),
  },
  "GET /v1/customers": { prepare: none },
  "GET /v1/customers/{id}": { prepare: async (ctx) => id((await customer(ctx)).id) },
  "PATCH /v1/customers/{id}": {
    prepare: async (ctx) => idWith((await customer(ctx)).id, { name: "Renamed Customer" }),
  },
  "DELETE /v1/customers/{id}": { prepare: async (ctx) => id((await customer(ctx)).id), consumes: true },
  "POST /v1/customers/{id}/payment_methods": {
    prepare: async (ctx) =>
      idWith((await customer(ctx)).id, { payment_method_token: await cardToken(ctx), consent: SAVE_CONSENT }),
    consumes: true,
  },
  "GET /v1/customers/{id}/payment_methods": { prepare: async (ctx) => id((await savedMethod(ctx)).id) },
  "DELETE /v1/customers/{id}/payment_methods/{method_id}": {
    prepare: async (ctx) => ({ pathParams: await savedMethod(ctx) }),
    consumes: true,
  },

  "GET /v1/requests": { prepare: none },
  "GET /v1/requests/{id}": { prepare: async (ctx) => id(await requestLogEntry(ctx)) },
  "GET /v1/usage": { prepare: none },
  "GET /v1/usage/alerts": { prepare: none },
  "POST /v1/usage/alerts": { prepare: async () => params({ product: "payments", threshold_percent: 80 }) },
  "DELETE /v1/usage/alerts/{id}": {
    prepare: async (ctx) =>
      id((await made(ctx, "POST", "/v1/usage/alerts", { product: "payments", threshold_percent: 90 })).id),
    consumes: true,
  },
  "GET /v1/plan": {
    prepare: async ({ partner }) => {
      await seedPlan(partner.id, { products: { payments: { included_calls: 1000 } } });
      return {};
    },
  },
  "GET /v1/invoices": { prepare: none },
  "GET /v1/invoices/{id}": { prepare: async (ctx) => id(await invoice(ctx)) },
  "GET /v1/invoices/{id}/pdf": { prepare: async (ctx) => id(await invoice(ctx)) },
  "GET /v1/sandbox/clock": { prepare: none },
  "POST /v1/sandbox/clock/advance": { prepare: async () => params({ days: 1 }) },
  "GET /v1/usage.csv": {
    prepare: async () => ({ query: { from: new Date(Date.now() - 6 * DAY_MS).toISOString().slice(0, 10) } }),
  },
  "GET /v1/sla": { prepare: async () => ({ query: { month: new Date().toISOString().slice(0, 7) } }) },
};

/**
 * The bearer credential an operation takes from `ctx`: a publishable key, issued through the
 * API, for an operation whose only security scheme is `publishableKey` (POST /v1/tokens, which
 * refuses an access token with 401 code 181); the access token otherwise.
 */
export const credentialFor = async (op: Operation, ctx: FixtureContext): Promise<string> =>
  takesPublishableKey(op) ? publishableKey(ctx) : ctx.token;

/** The operation's valid request from a fixture's parts, with the bearer token. */
export function requestOf(op: Operation, parts: ValidParts, token: string): ContractRequest {
  const contentType = parts.encoding === "form" ? "application/x-www-form-urlencoded" : "application/json";
  return {
    method: op.method,
    path: op.path,
    pathParams: parts.pathParams ?? {},
    query: parts.query ?? {},
    headers: {
      Authorization: `Bearer ${token}`,
      ...(parts.json !== undefined ? { "Content-Type": contentType } : {}),
      ...parts.headers,
    },
    ...(parts.json !== undefined ? { json: parts.json } : {}),
    encoding: parts.encoding ?? "json",
  };
}
