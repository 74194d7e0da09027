/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import { ApiError } from "../../../platform/errors";
import { AccountPage } from "../pages/account";
import { checkCode, pendingEnrolment, startEnrolment } from "../second-factor";
import { signOutEverywhere } from "../session";
import {
  clearSessionCookie,
  formOf,
  frameOf,
  type PortalContext,
  type PortalEnv,
  requireSession,
} from "./context";

function render(
  c: PortalContext,
  extra: Partial<Omit<Parameters<typeof AccountPage>[0], "site">> = {},
  status: 200 | 401 = 200,
) {
  const session = c.get("session");
  return c.html(<AccountPage {...frameOf(c, "Account")} user={session.user} {...extra} />, status);
}

export function registerAccount(portal: Hono<PortalEnv>) {
  portal.get("/account", requireSession(), async (c) => {
    const session = c.get("session");
    const enrolment = session.user.secondFactor
      ? undefined
      : await pendingEnrolment(c.get("services").config, session.row);
    return render(c, { enrolment });
  });

  portal.post("/account/second-factor", requireSession(), async (c) => {
    const session = c.get("session");
    const { db, config } = c.get("services");
    if (session.user.secondFactor)
      return render(c, { flash: { kind: "ok", text: "Two-step sign-in is on already." } });
    const enrolment =
      (await pendingEnrolment(config, session.row)) ?? (await startEnrolment(db, config, session.row));
    return render(c, { enrolment });
  });

  portal.post("/account/second-factor/confirm", requireSession(), async (c) => {
    const session = c.get("session");
    const { db, config } = c.get("services");
    const form = await formOf(c);
    if (await checkCode(db, config, session.row, (form.code ?? "").trim(), true)) {
      const user = { ...session.user, secondFactor: true };
      return render(c, {
        user,
        flash: { kind: "ok", text: "Two-step sign-in is on: each sign-in now asks for a code." },
      });
    }
    const err = new ApiError("portal_second_factor_failed");
    const enrolment = await pendingEnrolment(config, session.row);
    return render(c, { enrolment, flash: { kind: "error", text: `${err.message} (code ${err.code})` } }, 401);
  });

  portal.post("/account/sessions/revoke", requireSession(), async (c) => {
    await signOutEverywhere(c.get("services").db, c.get("session"));
    clearSessionCookie(c);
    return c.redirect("/portal/sign-in", 303);
  });
}
