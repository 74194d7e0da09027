/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import { ApiError } from "../../../platform/errors";
import { isUuid } from "../../../platform/lib/ids";
import { SecondFactorPage, SignInPage } from "../pages/sign-in";
import { pendingEnrolment, startEnrolment } from "../second-factor";
import { completeSecondFactor, signIn, signOut } from "../session";
import {
  clearSessionCookie,
  formOf,
  type PortalContext,
  type PortalEnv,
  requireSession,
  sameOrigin,
  setSessionCookie,
} from "./context";

const env = (c: PortalContext) => c.get("services").config.ENVIRONMENT;

const refusal = (err: ApiError) => ({ code: err.code, message: err.message });

export function registerSignIn(portal: Hono<PortalEnv>) {
  portal.get("/sign-in", (c) =>
    c.html(
      <SignInPage
        environment={env(c)}
        ended={c.req.query("ended") === "1"}
        joined={c.req.query("joined") === "1"}
      />,
    ),
  );

  portal.post("/sign-in", async (c) => {
    if (!sameOrigin(c)) throw new ApiError("portal_csrf");
    const form = await formOf(c);
    const partnerId = (form.partner_id ?? "").trim();
    const username = (form.username ?? "").trim();
    const password = form.password ?? "";
    const again = (err: ApiError) =>
      c.html(
        <SignInPage environment={env(c)} error={refusal(err)} partnerId={partnerId} username={username} />,
        err.status,
      );
    if (!isUuid(partnerId) || !username || username.length > 200 || !password || password.length > 1024)
      return again(new ApiError("portal_sign_in_failed"));
    try {
      const { db, config } = c.get("services");
      const signedIn = await signIn(db, config, { partnerId, username, password });
      setSessionCookie(c, signedIn.cookie);
      c.get("log").info("portal sign-in", { partner_id: partnerId, stage: signedIn.stage });
      return c.redirect(signedIn.stage === "full" ? "/portal" : "/portal/sign-in/second-factor", 303);
    } catch (err) {
      if (err instanceof ApiError) return again(err);
      throw err;
    }
  });

  portal.get("/sign-in/second-factor", requireSession("password"), async (c) => {
    const session = c.get("session");
    const { db, config } = c.get("services");
    const enrolment = session.user.secondFactor
      ? undefined
      : ((await pendingEnrolment(config, session.row)) ?? (await startEnrolment(db, config, session.row)));
    return c.html(<SecondFactorPage environment={env(c)} csrf={session.csrfToken} enrolment={enrolment} />);
  });

  portal.post("/sign-in/second-factor", requireSession("password"), async (c) => {
    const session = c.get("session");
    const { db, config } = c.get("services");
    const form = await formOf(c);
    try {
      const done = await completeSecondFactor(db, config, session, form.code ?? "");
      setSessionCookie(c, done.cookie);
      return c.redirect("/portal", 303);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const enrolment = session.user.secondFactor ? undefined : await pendingEnrolment(config, session.row);
      return c.html(
        <SecondFactorPage
          environment={env(c)}
          csrf={session.csrfToken}
          enrolment={enrolment}
          error={refusal(err)}
        />,
        err.status,
      );
    }
  });

  portal.post("/sign-out", requireSession(), async (c) => {
    await signOut(c.get("services").db, c.get("session"));
    clearSessionCookie(c);
    return c.redirect("/portal/sign-in", 303);
  });
}
