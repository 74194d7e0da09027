/** @jsxImportSource hono/jsx */
import { ActionForm, Layout, type PageFrame } from "../../../platform/web/layout";
import type { PortalUser } from "../session";

export function AccountPage(
  props: PageFrame & { csrf: string; user: PortalUser; enrolment?: { secret: string; qrSvg: string } },
) {
  const user = props.user;
  return (
    <Layout {...props} active="account">
      <section class="card" aria-labelledby="two-step">
        <h2 id="two-step">Two-step sign-in</h2>
        {user?.secondFactor ? (
          <p>
            <span class="badge badge-enabled">on</span> Each sign-in asks for a code from your authenticator
            app.
          </p>
        ) : props.enrolment ? (
          <>
            <p>Scan this code with your authenticator app, then enter the code it shows.</p>
            <img
              class="qr"
              width="220"
              height="220"
              alt="QR code of the otpauth link for your authenticator app"
              src={`data:image/svg+xml;base64,${btoa(props.enrolment.qrSvg)}`}
            />
            <p>
              Or enter this key by hand: <code id="totp-secret">{props.enrolment.secret}</code>
            </p>
            <ActionForm action="/portal/account/second-factor/confirm" csrf={props.csrf} label="Turn on">
              <label for="code">Six-digit code</label>
              <input
                id="code"
                name="code"
                inputmode="numeric"
                pattern="[0-9]{6}"
                maxlength={6}
                required
                autocomplete="one-time-code"
              />
            </ActionForm>
          </>
        ) : (
          <>
            <p>
              <span class="badge badge-disabled">off</span> Production requires it; in the sandbox it is your
              choice.
            </p>
            <ActionForm
              action="/portal/account/second-factor"
              csrf={props.csrf}
              label="Set up two-step sign-in"
            />
          </>
        )}
      </section>
      <section class="card" aria-labelledby="sessions">
        <h2 id="sessions">Sessions</h2>
        <p>A session ends after 30 minutes without activity, and 12 hours after sign-in.</p>
        <ActionForm
          action="/portal/account/sessions/revoke"
          csrf={props.csrf}
          label="Sign out everywhere"
          danger
        />
      </section>
    </Layout>
  );
}
