import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/types";
import { formOf, sameOrigin } from "../../../platform/web/forms";
import { consentDeps } from "../../accounts/consent-gate";
import {
  type AuthorisationDeps,
  AuthorisationRefused,
  checkCsrf,
  consentView,
  decide,
  type LiveAuthorisation,
  liveAuthorisation,
  SESSION_TTL_SECONDS,
  type StepOutcome,
  startAuthorisation,
  submitCode,
  submitLogin,
} from "../authorisation";
import type { AuthorisationStage } from "../authorisation-storage";
import { customerIdentityFor } from "../customer-identity";
import { authorizeCsp, consentPage, errorPage, loginPage, scaPage } from "./html";
import { AUTHORIZE_CSS, AUTHORIZE_CSS_PATH } from "./style";

/** `__Host-authz`: Secure, Path=/, no Domain; HttpOnly; Lax, so the partner's top-level link brings the customer in. */
const COOKIE = "authz";

const STAGE_PATHS: Record<AuthorisationStage, string> = {
  login: "/authorize/login",
  sca: "/authorize/sca",
  consent: "/authorize/consent",
};

const deps = (c: Context<AppEnv>): AuthorisationDeps => ({
  ...consentDeps(c),
  identity: customerIdentityFor(c.get("services").config),
});

const environmentOf = (c: Context<AppEnv>) => c.get("services").config.ENVIRONMENT;

function html(c: Context<AppEnv>, body: string, status: ContentfulStatusCode, redirectUri?: string) {
  c.header("Content-Type", "text/html; charset=utf-8");
  c.header("Content-Security-Policy", authorizeCsp(redirectUri && new URL(redirectUri).origin));
  c.header("Cache-Control", "no-store");
  c.header("X-Robots-Tag", "noindex");
  return c.body(body, status);
}

const seeOther = (c: Context<AppEnv>, location: string) => {
  c.header("Cache-Control", "no-store");
  return c.redirect(location, 303);
};

const toPartner = (c: Context<AppEnv>, location: string) => {
  deleteCookie(c, COOKIE, { prefix: "host", secure: true, path: "/" });
  return seeOther(c, location);
};

/**
 * Every page's refusals: one the flow makes before a redirect URI is verified (no request, a
 * used link, a forged form) and any failure are an error page; a failure logs its name only (a
 * message may quote what the customer typed).
 */
function page(handler: (c: Context<AppEnv>) => Promise<Response>) {
  return async (c: Context<AppEnv>) => {
    try {
      return await handler(c);
    } catch (err) {
      if (err instanceof AuthorisationRefused)
        return html(c, errorPage(err.title, environmentOf(c)), err.status);
      if (err instanceof ApiError && err.status < 500)
        return html(c, errorPage(err.message, environmentOf(c)), err.status as ContentfulStatusCode);
      c.get("log").error("authorisation page failed", { error: err instanceof Error ? err.name : "unknown" });
      const status = err instanceof ApiError ? (err.status as ContentfulStatusCode) : 500;
      return html(c, errorPage("The bank could not answer; try again later", environmentOf(c)), status);
    }
  };
}

/** The session this browser is in, at `stage`; else where it is (its page), or back to the partner when expired. */
async function sessionAt(
  c: Context<AppEnv>,
  stage: AuthorisationStage,
): Promise<{ live: LiveAuthorisation } | { answer: Response }> {
  const found = await liveAuthorisation(deps(c), getCookie(c, COOKIE, "host"));
  if ("kind" in found) return { answer: toPartner(c, found.location) };
  if (found.session.stage !== stage) return { answer: seeOther(c, STAGE_PATHS[found.session.stage]) };
  return { live: found };
}

/** A POST of these pages: from this origin, with the session's CSRF token; the form's fields. */
async function postedForm(c: Context<AppEnv>, live: LiveAuthorisation) {
  const form = await formOf(c);
  if (!sameOrigin(c))
    throw new AuthorisationRefused("This form expired or did not come from this page; start again", 403);
  checkCsrf(live, form.csrf);
  return form;
}

async function stepPage(
  c: Context<AppEnv>,
  live: LiveAuthorisation,
  retry?: { error: string; attemptsLeft: number },
): Promise<Response> {
  const d = deps(c);
  const view = await consentView(d, live);
  const common = {
    environment: environmentOf(c),
    csrf: live.session.csrfToken,
    partnerName: view.partnerName,
    ...(retry ? { error: retry.error, attemptsLeft: retry.attemptsLeft } : {}),
  };
  const body =
    live.session.stage === "login"
      ? loginPage(common)
      : live.session.stage === "sca"
        ? scaPage(common)
        : consentPage({ ...common, consent: view.consent, scope: view.scope });
  return html(c, body, retry ? 400 : 200, live.request.redirectUri);
}

function answer(c: Context<AppEnv>, live: LiveAuthorisation, outcome: StepOutcome) {
  if (outcome.kind === "redirect") return toPartner(c, outcome.location);
  if (outcome.kind === "next") return seeOther(c, STAGE_PATHS[outcome.stage]);
  return stepPage(c, live, outcome);
}

/**
 * The customer's side of the consent authorisation (docs/consent-authorisation.md): `/authorize`
 * takes the pushed request once and starts the session, then the bank's login, its second factor
 * and the consent screen, each a server-rendered page whose form posts back here.
 */
export function registerAuthorizePages(app: OpenAPIHono<AppEnv>) {
  app.get(AUTHORIZE_CSS_PATH, (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Content-Security-Policy", authorizeCsp());
    c.header("Cache-Control", "public, max-age=300");
    return c.body(AUTHORIZE_CSS);
  });

  app.get(
    "/authorize",
    page(async (c) => {
      // A HEAD (a link checker, a prefetch) must not use up the customer's one-time request.
      if (c.req.method === "HEAD") return html(c, "", 200);
      const { sessionId } = await startAuthorisation(
        deps(c),
        c.req.query("client_id"),
        c.req.query("request_uri"),
      );
      setCookie(c, COOKIE, sessionId, {
        prefix: "host",
        httpOnly: true,
        secure: true,
        sameSite: "Lax",
        path: "/",
        maxAge: SESSION_TTL_SECONDS,
      });
      return seeOther(c, STAGE_PATHS.login);
    }),
  );

  for (const stage of ["login", "sca", "consent"] as const) {
    app.get(
      STAGE_PATHS[stage],
      page(async (c) => {
        const at = await sessionAt(c, stage);
        return "answer" in at ? at.answer : stepPage(c, at.live);
      }),
    );
  }

  app.post(
    STAGE_PATHS.login,
    page(async (c) => {
      const at = await sessionAt(c, "login");
      if ("answer" in at) return at.answer;
      const form = await postedForm(c, at.live);
      return answer(c, at.live, await submitLogin(deps(c), at.live, form.login, form.password));
    }),
  );

  app.post(
    STAGE_PATHS.sca,
    page(async (c) => {
      const at = await sessionAt(c, "sca");
      if ("answer" in at) return at.answer;
      const form = await postedForm(c, at.live);
      return answer(c, at.live, await submitCode(deps(c), at.live, form.code));
    }),
  );

  app.post(
    STAGE_PATHS.consent,
    page(async (c) => {
      const at = await sessionAt(c, "consent");
      if ("answer" in at) return at.answer;
      const form = await postedForm(c, at.live);
      return toPartner(c, await decide(deps(c), at.live, form.decision));
    }),
  );
}
