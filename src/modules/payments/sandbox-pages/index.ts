import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../../../platform/errors";
import { isProductDisabled } from "../../../platform/kill-switches";
import type { AppEnv } from "../../../platform/types";
import { isRedirectSignature, REDIRECT_KINDS, type RedirectKind } from "../connector/sandbox";
import { applyCustomerChoice, customerPayment } from "../customer-pages";
import { paymentDeps } from "../routes/deps";
import { type Choice, FLOWS } from "./flows";
import { alreadyPage, challengePage, notFoundPage, pageCsp, resultPage, unavailablePage } from "./html";

/** A page with its own policy; nosniff, no referrer, no framing and HSTS come from safe-defaults.ts. */
async function html(c: Context<AppEnv>, body: string, status: ContentfulStatusCode) {
  c.header("Content-Type", "text/html; charset=utf-8");
  c.header("Content-Security-Policy", await pageCsp());
  c.header("X-Robots-Tag", "noindex");
  c.header("Cache-Control", "no-store");
  return c.body(body, status);
}

/**
 * The signed page's payment, or why there is none to show. Without the platform's data key
 * there are no signatures, so every page is 404; the signature is checked before the
 * payment is looked up, so a 404 never tells whether the payment exists.
 */
async function signedPayment(c: Context<AppEnv>, kind: RedirectKind) {
  const { config } = c.get("services");
  const id = c.req.param("id") ?? "";
  const sig = c.req.query("sig") ?? "";
  const key = config.WEBHOOK_SECRETS_KEY;
  if (!key || !sig || !(await isRedirectSignature(key, kind, id, sig))) return { refusal: notFound(c) };
  if (await isProductDisabled(c.get("services").db, config, "payments"))
    return { refusal: html(c, unavailablePage(), 503) };
  const found = await customerPayment(paymentDeps(c), id);
  return found ? { found, sig } : { refusal: notFound(c) };
}

const notFound = (c: Context<AppEnv>) => html(c, notFoundPage(), 404);

function registerFlow(app: OpenAPIHono<AppEnv>, kind: RedirectKind) {
  const flow = FLOWS[kind];
  app.get(`/sandbox/${kind}/:id`, async (c) => {
    const { refusal, found, sig } = await signedPayment(c, kind);
    if (!found) return refusal;
    const { payment, merchantName } = found;
    if (payment.status !== flow.awaiting)
      return html(c, alreadyPage(payment.status, payment, merchantName), 200);
    return html(c, challengePage(kind, flow, payment, merchantName, sig), 200);
  });

  const press = (choice: Choice) => async (c: Context<AppEnv>) => {
    const { refusal, found } = await signedPayment(c, kind);
    if (!found) return refusal;
    const { payment, partnerId, merchantName } = found;
    const outcome = await applyCustomerChoice(paymentDeps(c), partnerId, payment.id, choice.operation);
    if (!outcome.ok) return html(c, alreadyPage(outcome.status, payment, merchantName), 409);
    c.get("log").info("sandbox customer page answered", {
      payment_id: payment.id,
      page: kind,
      outcome: choice.outcome,
      status: outcome.payment.status,
    });
    return html(c, resultPage(outcome.payment, merchantName), 200);
  };
  for (const choice of flow.choices) app.post(`/sandbox/${kind}/:id/${choice.outcome}`, press(choice));
}

/**
 * The sandbox's customer-facing pages behind `next_action.url`: the 3-D Secure challenge
 * and the bank's approval, as an issuer's ACS or a bank would show them. Outside /v1 (HTML
 * for a browser, no partner token: a signature in the URL); absent in production.
 */
export function registerSandboxPages(app: OpenAPIHono<AppEnv>) {
  app.use("/sandbox/*", async function sandboxPagesOnly(c, next) {
    if (c.get("services").config.ENVIRONMENT === "production")
      throw new ApiError("route_not_found", { method: c.req.method, path: c.req.path });
    await next();
  });
  for (const kind of REDIRECT_KINDS) registerFlow(app, kind);
}
