import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { randomToken } from "../../../platform/lib/random";
import type { AppEnv } from "../../../platform/types";
import { loadProfile } from "../../partners/profile";
import { publishableKeyOwner } from "../publishable-keys";
import { cardFormCsp, cardFormPage, refusedPage } from "./page";
import { CARD_FORM_SCRIPT } from "./script";

async function page(
  c: Context<AppEnv>,
  body: string,
  status: ContentfulStatusCode,
  nonce: string,
  parent: string,
) {
  c.header("Content-Type", "text/html; charset=utf-8");
  c.header("Content-Security-Policy", await cardFormCsp(nonce, parent));
  // The CSP's frame-ancestors decides who may frame it; X-Frame-Options cannot name an origin.
  c.header("X-Frame-Options", "");
  c.header("Cache-Control", "no-store");
  c.header("X-Robots-Tag", "noindex");
  return c.body(body, status);
}

/**
 * The hosted card form: `GET /elements/card?key=pk_…&origin=https://shop.example`, for an iframe
 * on `origin`, which must be one of the origins the partner's contract lists (else 403, and no
 * page may frame the refusal). Its script, `/elements/card.js`, is served by the Worker too.
 */
export function registerCardForm(app: OpenAPIHono<AppEnv>) {
  app.get("/elements/card", async (c) => {
    const { db, config } = c.get("services");
    const key = c.req.query("key") ?? "";
    const origin = c.req.query("origin") ?? "";
    const nonce = randomToken(16);
    const owner = key ? await publishableKeyOwner(db, key, new Date()) : undefined;
    const profile = owner ? await loadProfile(db, owner.partnerId) : undefined;
    if (!profile || profile.environment !== config.ENVIRONMENT || profile.status !== "active")
      return page(c, refusedPage("This card form's key is not valid."), 404, nonce, "'none'");
    if (!profile.corsOrigins.includes(origin))
      return page(c, refusedPage("This page may not show the card form."), 403, nonce, "'none'");
    return page(c, cardFormPage(nonce, key, origin), 200, nonce, origin);
  });
  app.get("/elements/card.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(CARD_FORM_SCRIPT);
  });
}
