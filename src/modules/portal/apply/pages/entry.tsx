/** @jsxImportSource hono/jsx */
import { PRODUCTS } from "../../../../platform/catalog";
import { ERRORS } from "../../../../platform/errors";
import type { Flash } from "../../../../platform/web/answer";
import { Layout, ShownOnce } from "../../../../platform/web/layout";
import { APPLY } from "../site";

const frame = (environment: string, title: string, flash?: Flash) => ({
  site: APPLY,
  title,
  environment,
  ...(flash ? { flash } : {}),
});

export interface RegisterForm {
  company_name?: string;
  country?: string;
  contact_email?: string;
  products?: string[];
  use_case?: string;
}

/** Registration: the company, its contact, what it wants in production, and Cloudflare Turnstile's check. */
export function RegisterPage(props: {
  environment: string;
  siteKey: string | undefined;
  form?: RegisterForm;
  flash?: Flash;
}) {
  const f = props.form ?? {};
  return (
    <Layout
      {...frame(props.environment, "Register your company", props.flash)}
      scripts={props.siteKey ? [TURNSTILE_SCRIPT] : []}
    >
      <p>
        Registering gives you a working sandbox partner at once, with its credentials. Production follows an
        application the platform team reviews.
      </p>
      <form method="post" action="/portal/register" class="stack card narrow">
        <label for="company_name">Company name</label>
        <input id="company_name" name="company_name" required maxlength={200} value={f.company_name ?? ""} />
        <label for="country">Country (ISO 3166-1 alpha-2, e.g. UZ)</label>
        <input
          id="country"
          name="country"
          required
          pattern="[A-Z]{2}"
          maxlength={2}
          value={f.country ?? ""}
        />
        <label for="contact_email">Contact email</label>
        <input
          id="contact_email"
          name="contact_email"
          type="email"
          required
          autocomplete="email"
          value={f.contact_email ?? ""}
        />
        <label for="password">Password (at least 12 characters, a letter and a digit)</label>
        <input
          id="password"
          name="password"
          type="password"
          required
          minlength={12}
          autocomplete="new-password"
        />
        <fieldset>
          <legend>Products you want in production</legend>
          {PRODUCTS.map((p) => (
            <label class="check">
              <input type="checkbox" name={`product_${p}`} value="on" checked={f.products?.includes(p)} /> {p}
            </label>
          ))}
        </fieldset>
        <label for="use_case">What you will build</label>
        <textarea id="use_case" name="use_case" required minlength={10} maxlength={2000} rows={4}>
          {f.use_case ?? ""}
        </textarea>
        {props.siteKey ? (
          <div class="cf-turnstile" data-sitekey={props.siteKey} data-action="register"></div>
        ) : (
          <p class="flash flash-error" role="alert">
            {ERRORS.service_unavailable.message}: the bot check is not configured (code{" "}
            {ERRORS.service_unavailable.code}).
          </p>
        )}
        <button type="submit" class="primary">
          Register
        </button>
      </form>
      <p class="hint">
        Registered already? <a href="/portal/apply/sign-in">Sign in to your onboarding</a>.
      </p>
    </Layout>
  );
}

/** Cloudflare Turnstile's widget: the one script these pages load from elsewhere (docs/portal.md). */
export const TURNSTILE_SCRIPT = "https://challenges.cloudflare.com/turnstile/v0/api.js";

export interface Registered {
  id: string;
  contact_email: string;
  sandbox: { partner_id: string; consumer_key: string; consumer_secret: string; username: string };
}

/** The sandbox partner, its secret shown once, and what comes next. */
export function RegisteredPage(props: { environment: string; registration: Registered }) {
  const { registration: r } = props;
  return (
    <Layout
      {...frame(props.environment, "Registered", {
        kind: "ok",
        text: `We sent a link to ${r.contact_email}: open it to verify the address.`,
      })}
    >
      <section class="card" aria-label="Your sandbox partner">
        <h2>Your sandbox partner</h2>
        <dl class="facts">
          <dt>Partner ID</dt>
          <dd>
            <code>{r.sandbox.partner_id}</code>
          </dd>
          <dt>Consumer key</dt>
          <dd>
            <code>{r.sandbox.consumer_key}</code>
          </dd>
          <dt>Username (password grant, sandbox portal)</dt>
          <dd>
            <code>{r.sandbox.username}</code>
          </dd>
        </dl>
        <ShownOnce id="sandbox-secret" label="Sandbox consumer secret" value={r.sandbox.consumer_secret} />
      </section>
      <p>
        Next: verify your email, then <a href="/portal/apply/sign-in">sign in to your onboarding</a> to accept
        the terms and apply for production.
      </p>
    </Layout>
  );
}

/** The emailed link's answer. */
export function VerifyPage(props: { environment: string; flash: Flash }) {
  return (
    <Layout {...frame(props.environment, "Email verification", props.flash)}>
      <p>
        <a href="/portal/apply/sign-in">Sign in to your onboarding</a>
      </p>
    </Layout>
  );
}

export function ApplicantSignInPage(props: {
  environment: string;
  email?: string;
  flash?: Flash;
  ended?: boolean;
}) {
  const flash =
    props.flash ??
    (props.ended
      ? {
          kind: "error" as const,
          text: `${ERRORS.portal_session_expired.message} (code ${ERRORS.portal_session_expired.code})`,
        }
      : undefined);
  return (
    <Layout {...frame(props.environment, "Sign in to your onboarding", flash)}>
      <form method="post" action="/portal/apply/sign-in" class="stack card narrow">
        <label for="email">Contact email</label>
        <input
          id="email"
          name="email"
          type="email"
          required
          autocomplete="username"
          value={props.email ?? ""}
        />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" required autocomplete="current-password" />
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
      <p class="hint">
        New here? <a href="/portal/register">Register your company</a>. Live partners’ users sign in at{" "}
        <a href="/portal/sign-in">the portal</a>.
      </p>
    </Layout>
  );
}
