import { escapeHtml, htmlDocument } from "../../../platform/lib/html";
import type { Consent } from "../../accounts/model";
import { AUTHORIZE_CSS_PATH } from "./style";

/**
 * The pages' policy, as the docs' (src/modules/docs/page.ts): nothing inline, nothing from another
 * origin but the stylesheet of this one, no script at all, never framed. Forms post to this
 * origin; `redirectOrigin`, the partner's verified redirect URI, is allowed too because a form's
 * answer redirects there and Chromium checks form-action on the redirect.
 */
export function authorizeCsp(redirectOrigin?: string): string {
  const formAction = redirectOrigin ? `'self' ${redirectOrigin}` : "'none'";
  return (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; " +
    `base-uri 'none'; form-action ${formAction}; frame-ancestors 'none'`
  );
}

function page(title: string, body: string, environment: string): string {
  const badge =
    environment === "production" ? "" : '<p class="badge">Portico sandbox · test customers only</p>\n';
  return htmlDocument({
    title: `${title} · Portico`,
    head: `<link rel="icon" href="data:,">\n<link rel="stylesheet" href="${AUTHORIZE_CSS_PATH}">`,
    main: `${badge}${body}`,
  });
}

const errorLine = (error: string | undefined, attemptsLeft?: number) =>
  error
    ? `<p class="error" role="alert">${escapeHtml(error)}${
        attemptsLeft === undefined ? "" : ` (${attemptsLeft} ${attemptsLeft === 1 ? "try" : "tries"} left)`
      }</p>\n`
    : "";

const csrfField = (csrf: string) => `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;

export interface StepPage {
  environment: string;
  csrf: string;
  partnerName: string;
  error?: string;
  attemptsLeft?: number;
}

export function loginPage(p: StepPage): string {
  return page(
    "Sign in to your bank",
    `<h1>Sign in to your bank</h1>
<p><strong>${escapeHtml(p.partnerName)}</strong> asks to see your account information. Sign in to review the request.</p>
${errorLine(p.error, p.attemptsLeft)}<form method="post" action="/authorize/login">
${csrfField(p.csrf)}
<label for="login">Customer id</label>
<input id="login" name="login" autocomplete="username" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" class="primary">Sign in</button>
</form>`,
    p.environment,
  );
}

export function scaPage(p: StepPage): string {
  return page(
    "Confirm it is you",
    `<h1>Confirm it is you</h1>
<p>Enter the 6-digit code your authenticator app shows for your bank.</p>
${errorLine(p.error, p.attemptsLeft)}<form method="post" action="/authorize/sca">
${csrfField(p.csrf)}
<label for="code">One-time code</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" required>
<button type="submit" class="primary">Confirm</button>
</form>`,
    p.environment,
  );
}

const SCOPE_WORDS: Record<string, string> = {
  accounts: "Your accounts: their type, currency, nickname and holder",
  balances: "The balances of your accounts",
  transactions: "The transactions of your accounts",
};

export function consentPage(p: StepPage & { consent: Consent; scope: string[] }): string {
  const items = p.scope.map((s) => `<li>${escapeHtml(SCOPE_WORDS[s] ?? s)}</li>`).join("");
  return page(
    "Review the request",
    `<h1>Allow ${escapeHtml(p.partnerName)} to see your account information?</h1>
<dl>
<dt>Partner</dt><dd>${escapeHtml(p.partnerName)}</dd>
<dt>Until</dt><dd><time datetime="${escapeHtml(p.consent.expires_at)}">${escapeHtml(
      `${p.consent.expires_at.slice(0, 10)} ${p.consent.expires_at.slice(11, 16)} UTC`,
    )}</time></dd>
<dt>Consent</dt><dd>${escapeHtml(p.consent.id)}</dd>
</dl>
<p>It will be able to read:</p>
<ul class="scopes">${items}</ul>
<p class="note">You can withdraw this consent at any time through ${escapeHtml(p.partnerName)} or your bank.</p>
<form method="post" action="/authorize/consent" class="actions">
${csrfField(p.csrf)}
<button type="submit" name="decision" value="reject">Reject</button>
<button type="submit" name="decision" value="approve" class="primary">Approve</button>
</form>`,
    p.environment,
  );
}

/** A refusal before the partner's redirect URI is known to be theirs: the customer stays here. */
export function errorPage(title: string, environment: string): string {
  return page(
    "This did not work",
    `<h1>This did not work</h1>
<p class="error" role="alert">${escapeHtml(title)}</p>
<p>Go back to the app that sent you here and start again.</p>`,
    environment,
  );
}
