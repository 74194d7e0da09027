/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import { ApiError } from "../../../../platform/errors";
import type { AppEnv } from "../../../../platform/types";
import { flashOf, statusOf } from "../../../../platform/web/answer";
import { formOf, PAGE_CSP, sameOrigin } from "../../../../platform/web/forms";
import { callOnboarding } from "../api";
import { productsOf } from "../checklist-form";
import {
  type ApplyEnv,
  clearApplicantCookie,
  productionOnly,
  requireApplicant,
  setApplicantCookie,
} from "../context";
import {
  ApplicantSignInPage,
  type Registered,
  RegisteredPage,
  RegisterPage,
  TURNSTILE_SCRIPT,
  VerifyPage,
} from "../pages/entry";
import { endApplicantSession, startApplicantSession } from "../session";

/** The register page alone loads Turnstile's widget: its script and its frame, from Cloudflare. */
const TURNSTILE_ORIGIN = new URL(TURNSTILE_SCRIPT).origin;
const REGISTER_CSP = PAGE_CSP.replace("script-src 'self'", `script-src 'self' ${TURNSTILE_ORIGIN}`).replace(
  "default-src 'none';",
  `default-src 'none'; frame-src ${TURNSTILE_ORIGIN};`,
);

type Ctx = Context<AppEnv>;
const env = (c: Ctx) => c.get("services").config.ENVIRONMENT;

/** Registration, the emailed link, the registrant's sign-in and sign-out (docs/portal.md, onboarding). */
export function registerEntry(portal: Hono<ApplyEnv>) {
  const app = portal as unknown as Hono<AppEnv>;
  for (const path of ["/register", "/verify", "/apply", "/apply/*"]) app.use(path, productionOnly);

  const registerPage = (c: Ctx, extra: Partial<Parameters<typeof RegisterPage>[0]> = {}, status = 200) => {
    c.header("Content-Security-Policy", REGISTER_CSP);
    return c.html(
      <RegisterPage environment={env(c)} siteKey={c.get("services").config.TURNSTILE_SITE_KEY} {...extra} />,
      status as 200,
    );
  };

  app.get("/register", (c) => registerPage(c));

  app.post("/register", async (c) => {
    if (!sameOrigin(c)) throw new ApiError("portal_csrf");
    const form = await formOf(c);
    const fields = {
      company_name: (form.company_name ?? "").trim(),
      country: (form.country ?? "").trim().toUpperCase(),
      contact_email: (form.contact_email ?? "").trim(),
      products: productsOf(form),
      use_case: (form.use_case ?? "").trim(),
    };
    const answer = await callOnboarding<Registered>(c, undefined, "POST", "/onboarding/register", {
      params: {
        ...fields,
        password: form.password ?? "",
        turnstile_token: form["cf-turnstile-response"] ?? "",
      },
    });
    if (!answer.result)
      return registerPage(c, { form: fields, flash: flashOf(answer, "") }, statusOf(answer));
    c.get("log").info("portal registration", { registration_id: answer.result.id });
    return c.html(<RegisteredPage environment={env(c)} registration={answer.result} />, 201);
  });

  app.get("/verify", async (c) => {
    const token = c.req.query("token") ?? "";
    const answer = await callOnboarding(c, undefined, "GET", "/onboarding/verify", {
      query: new URLSearchParams({ token }),
    });
    return c.html(
      <VerifyPage environment={env(c)} flash={flashOf(answer, "Your email is verified.")} />,
      statusOf(answer),
    );
  });

  app.get("/apply/sign-in", (c) =>
    c.html(<ApplicantSignInPage environment={env(c)} ended={c.req.query("ended") === "1"} />),
  );

  app.post("/apply/sign-in", async (c) => {
    if (!sameOrigin(c)) throw new ApiError("portal_csrf");
    const form = await formOf(c);
    const email = (form.email ?? "").trim();
    const answer = await callOnboarding<{ registration_id: string; token: string; expires_at: string }>(
      c,
      undefined,
      "POST",
      "/onboarding/session",
      { params: { email, password: form.password ?? "" } },
    );
    if (!answer.result)
      return c.html(
        <ApplicantSignInPage environment={env(c)} email={email} flash={flashOf(answer, "")} />,
        statusOf(answer),
      );
    const { db, config } = c.get("services");
    const cookie = await startApplicantSession(db, config, answer.result);
    setApplicantCookie(c, cookie, answer.result.expires_at);
    return c.redirect("/portal/apply", 303);
  });

  portal.post("/apply/sign-out", requireApplicant(), async (c) => {
    await endApplicantSession(c.get("services").db, c.get("applicant"));
    clearApplicantCookie(c);
    return c.redirect("/portal/apply/sign-in", 303);
  });
}
