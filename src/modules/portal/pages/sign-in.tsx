/** @jsxImportSource hono/jsx */

import { ERRORS } from "../../../platform/errors";
import { Layout } from "../../../platform/web/layout";
import { PORTAL } from "./site";

export interface Refusal {
  code: number;
  message: string;
}

function ErrorLine(props: { error?: Refusal | undefined }) {
  if (!props.error) return null;
  return (
    <p class="flash flash-error" role="alert" id="form-error">
      {props.error.message} (code {props.error.code})
    </p>
  );
}

export function SignInPage(props: {
  environment: string;
  error?: Refusal;
  ended?: boolean;
  joined?: boolean;
  partnerId?: string;
  username?: string;
}) {
  return (
    <Layout site={PORTAL} title="Sign in" environment={props.environment}>
      {props.joined ? (
        <p class="flash flash-ok" role="status">
          You joined your team: sign in with your username and the password you chose.
        </p>
      ) : null}
      {props.ended ? (
        <p class="flash flash-error" role="alert">
          {ERRORS.portal_session_expired.message} (code {ERRORS.portal_session_expired.code})
        </p>
      ) : null}
      <ErrorLine error={props.error} />
      <form
        method="post"
        action="/portal/sign-in"
        class="stack card narrow"
        aria-describedby={props.error ? "form-error" : undefined}
      >
        <label for="partner_id">Partner ID</label>
        <input
          id="partner_id"
          name="partner_id"
          required
          autocomplete="organization"
          value={props.partnerId ?? ""}
        />
        <label for="username">Username</label>
        <input id="username" name="username" required autocomplete="username" value={props.username ?? ""} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" required autocomplete="current-password" />
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
      <p class="hint">
        The users of the password grant sign in here. New to Portico? The onboarding starts with a
        registration in production; in the sandbox, the demo partner of the README is ready.
      </p>
    </Layout>
  );
}

/** The second step: a code from the authenticator app, or the enrolment (QR code drawn by the Worker) and its first code. */
export function SecondFactorPage(props: {
  environment: string;
  csrf: string;
  enrolment?: { secret: string; qrSvg: string };
  error?: Refusal;
}) {
  const { enrolment } = props;
  return (
    <Layout
      site={PORTAL}
      title={enrolment ? "Set up two-step sign-in" : "Two-step sign-in"}
      environment={props.environment}
    >
      <ErrorLine error={props.error} />
      {enrolment ? (
        <section class="card narrow" aria-labelledby="enrol-title">
          <h2 id="enrol-title">Scan this code with your authenticator app</h2>
          <img
            class="qr"
            width="220"
            height="220"
            alt="QR code of the otpauth link for your authenticator app"
            src={`data:image/svg+xml;base64,${btoa(enrolment.qrSvg)}`}
          />
          <p>
            Or enter this key by hand: <code id="totp-secret">{enrolment.secret}</code>
          </p>
        </section>
      ) : null}
      <form method="post" action="/portal/sign-in/second-factor" class="stack card narrow">
        <input type="hidden" name="csrf" value={props.csrf} />
        <label for="code">Six-digit code from your authenticator app</label>
        <input
          id="code"
          name="code"
          inputmode="numeric"
          pattern="[0-9]{6}"
          maxlength={6}
          required
          autocomplete="one-time-code"
        />
        <button type="submit" class="primary">
          {enrolment ? "Turn on and continue" : "Verify"}
        </button>
      </form>
    </Layout>
  );
}
