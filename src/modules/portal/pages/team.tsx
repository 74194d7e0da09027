/** @jsxImportSource hono/jsx */

import { ActionForm, Layout, type PageFrame, ShownOnce } from "../../../platform/web/layout";
import { Table } from "../../../platform/web/parts";
import { ROLE_LABELS, ROLES, type Role } from "../model";
import { PORTAL } from "./site";

export interface TeamView {
  users: { username: string; role: Role; status: string; secondFactor: boolean }[];
  invitations: { username: string; role: Role; expiresAt: string; invitedBy: string }[];
}

export function TeamPage(props: PageFrame & { csrf: string; team: TeamView; owner: boolean; link?: string }) {
  return (
    <Layout {...props} active="team">
      {props.link ? (
        <section class="card" aria-label="Invitation link">
          <ShownOnce
            id="invitation-link"
            label="Invitation link (good for 7 days, once)"
            value={props.link}
          />
        </section>
      ) : null}
      <Table caption="Your team" columns={["Username", "Role", "Two-step sign-in", "Status"]}>
        {props.team.users.map((u) => (
          <tr data-user={u.username}>
            <td>{u.username}</td>
            <td>{u.role}</td>
            <td>{u.secondFactor ? "on" : "off"}</td>
            <td>
              <span class={`badge badge-${u.status === "active" ? "active" : "disabled"}`}>{u.status}</span>
            </td>
          </tr>
        ))}
      </Table>
      {props.team.invitations.length > 0 ? (
        <Table caption="Open invitations" columns={["Username", "Role", "Invited by", "Good until"]}>
          {props.team.invitations.map((i) => (
            <tr>
              <td>{i.username}</td>
              <td>{i.role}</td>
              <td>{i.invitedBy}</td>
              <td>{i.expiresAt.slice(0, 16).replace("T", " ")} UTC</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {props.owner ? (
        <section class="card" aria-labelledby="invite">
          <h2 id="invite">Invite a team member</h2>
          <ActionForm action="/portal/team/invitations" csrf={props.csrf} label="Invite">
            <label for="username">Username</label>
            <input id="username" name="username" required minlength={3} maxlength={64} />
            <label for="role">Role</label>
            <select id="role" name="role">
              {ROLES.map((r) => (
                <option value={r} selected={r === "developer"}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </ActionForm>
        </section>
      ) : (
        <p class="hint">Only an owner invites team members.</p>
      )}
    </Layout>
  );
}

export function AcceptInvitationPage(props: {
  environment: string;
  username: string;
  token: string;
  error?: { code: number; message: string };
}) {
  return (
    <Layout site={PORTAL} title="Join your team" environment={props.environment}>
      {props.error ? (
        <p class="flash flash-error" role="alert">
          {props.error.message} (code {props.error.code})
        </p>
      ) : null}
      <form method="post" action="/portal/invitations" class="stack card narrow">
        <input type="hidden" name="token" value={props.token} />
        <p>
          You are invited as <strong>{props.username}</strong>. Choose a password of at least 12 characters.
        </p>
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          required
          minlength={12}
          autocomplete="new-password"
        />
        <button type="submit" class="primary">
          Join
        </button>
      </form>
    </Layout>
  );
}
