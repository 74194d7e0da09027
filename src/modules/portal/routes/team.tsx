/** @jsxImportSource hono/jsx */

import type { Hono } from "hono";
import { ApiError } from "../../../platform/errors";
import type { Flash } from "../../../platform/web/answer";
import { Layout } from "../../../platform/web/layout";
import { may, ROLES, type Role } from "../model";
import { PORTAL } from "../pages/site";
import { AcceptInvitationPage, TeamPage } from "../pages/team";
import { acceptWithPassword, invite, openInvitation, team } from "../team";
import { formOf, frameOf, type PortalContext, type PortalEnv, requireSession, sameOrigin } from "./context";

async function render(c: PortalContext, extra: { link?: string; flash?: Flash } = {}) {
  const session = c.get("session");
  return c.html(
    <TeamPage
      {...frameOf(c, "Team")}
      team={await team(c.get("services").db, session.user.partnerId)}
      owner={may.manageTeam(session.user.role)}
      {...extra}
    />,
  );
}

const invalidInvitation = (c: PortalContext) => {
  const err = new ApiError("portal_invitation_invalid");
  return c.html(
    <Layout site={PORTAL} title="Invitation" environment={c.get("services").config.ENVIRONMENT}>
      <p class="flash flash-error" role="alert">
        {err.message} (code {err.code})
      </p>
    </Layout>,
    err.status,
  );
};

export function registerTeam(portal: Hono<PortalEnv>) {
  portal.get("/team", requireSession(), (c) => render(c));

  portal.post("/team/invitations", requireSession(), async (c) => {
    const session = c.get("session");
    if (!may.manageTeam(session.user.role))
      throw new ApiError("portal_role_forbidden", { role: session.user.role });
    const form = await formOf(c);
    const role = form.role as Role;
    if (!ROLES.includes(role))
      throw new ApiError("validation", { field: "role", msg: `one of ${ROLES.join(", ")}` });
    const username = (form.username ?? "").trim();
    const { token } = await invite(c.get("services").db, session.user, username, role);
    // In the query, not the path: access lines and the request log keep paths only.
    const link = new URL(`/portal/invitations?token=${token}`, c.req.url).toString();
    return render(c, {
      link,
      flash: { kind: "ok", text: `${username} is invited as ${role}: send them the link.` },
    });
  });

  portal.get("/invitations", async (c) => {
    const token = c.req.query("token") ?? "";
    const invitation = await openInvitation(c.get("services").db, token);
    if (!invitation) return invalidInvitation(c);
    return c.html(
      <AcceptInvitationPage
        environment={c.get("services").config.ENVIRONMENT}
        username={invitation.username}
        token={token}
      />,
    );
  });

  portal.post("/invitations", async (c) => {
    if (!sameOrigin(c)) throw new ApiError("portal_csrf");
    const db = c.get("services").db;
    const form = await formOf(c);
    const token = form.token ?? "";
    const invitation = await openInvitation(db, token);
    if (!invitation) return invalidInvitation(c);
    try {
      await acceptWithPassword(db, token, form.password ?? "");
    } catch (err) {
      if (!(err instanceof ApiError) || err.reason === "portal_invitation_invalid") throw err;
      return c.html(
        <AcceptInvitationPage
          environment={c.get("services").config.ENVIRONMENT}
          username={invitation.username}
          token={token}
          error={{ code: err.code, message: err.message }}
        />,
        err.status,
      );
    }
    return c.redirect("/portal/sign-in?joined=1", 303);
  });
}
