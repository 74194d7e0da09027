/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import type { PortalUser } from "../session";

export interface PageFrame {
  title: string;
  environment: string;
  /** The signed-in user and their session's CSRF token; absent on the sign-in pages. */
  user?: PortalUser;
  csrf?: string;
  /** The nav entry this page belongs to. */
  active?: string;
  /** A one-line notice above the content (after an action). */
  flash?: { kind: "ok" | "error"; text: string };
}

const NAV = [
  { href: "/portal", key: "overview", label: "Overview" },
  { href: "/portal/keys", key: "keys", label: "API keys" },
  { href: "/portal/webhooks", key: "webhooks", label: "Webhooks" },
  { href: "/portal/events", key: "events", label: "Events" },
  { href: "/portal/sandbox", key: "sandbox", label: "Sandbox", sandboxOnly: true },
  { href: "/portal/team", key: "team", label: "Team" },
  { href: "/portal/account", key: "account", label: "Account" },
  { href: "/docs", key: "docs", label: "API reference" },
] as const;

/** Every portal page: its own stylesheet and script only (same origin, no inline code), a skip link, landmarks. */
export function Layout(props: PageFrame & { children?: Child }) {
  const { user, environment } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${props.title} · Portico developer portal`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/portal/assets/portal.css" />
        <script src="/portal/assets/portal.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <a class="brand" href="/portal">
            <span class="logo" aria-hidden="true">
              P
            </span>
            <span>Portico</span>
          </a>
          <span class={`env env-${environment === "production" ? "production" : "sandbox"}`}>
            {environment}
          </span>
          <span class="spacer" />
          {user && props.csrf ? (
            <form method="post" action="/portal/sign-out" class="signout">
              <input type="hidden" name="csrf" value={props.csrf} />
              <span class="who">
                {user.username} <span class="role">({user.role})</span>
              </span>
              <button type="submit" class="link">
                Sign out
              </button>
            </form>
          ) : null}
        </header>
        <div class={user ? "layout" : "layout single"}>
          {user ? (
            <nav class="sidebar" aria-label="Portal">
              <ul>
                {NAV.filter((n) => !("sandboxOnly" in n) || environment !== "production").map((n) => (
                  <li>
                    <a href={n.href} aria-current={props.active === n.key ? "page" : undefined}>
                      {n.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          <main id="main" tabindex={-1}>
            <h1>{props.title}</h1>
            {props.flash ? (
              <p
                class={`flash flash-${props.flash.kind}`}
                role={props.flash.kind === "error" ? "alert" : "status"}
              >
                {props.flash.text}
              </p>
            ) : null}
            {props.children}
          </main>
        </div>
      </body>
    </html>
  );
}

/** A form that changes something: POST, its CSRF token, and its own Idempotency-Key (a double submit acts once). */
export function ActionForm(props: {
  action: string;
  csrf: string;
  label: string;
  children?: Child;
  danger?: boolean;
  inline?: boolean;
}) {
  return (
    <form method="post" action={props.action} class={props.inline ? "inline" : "stack"}>
      <input type="hidden" name="csrf" value={props.csrf} />
      <input type="hidden" name="idempotency_key" value={crypto.randomUUID()} />
      {props.children}
      <button type="submit" class={props.danger ? "danger" : "primary"}>
        {props.label}
      </button>
    </form>
  );
}

/** A secret shown once: selectable text and a copy button (portal.js). */
export function ShownOnce(props: { label: string; value: string; id: string }) {
  return (
    <div class="secret">
      <p id={`${props.id}-label`}>
        <strong>{props.label}</strong>: shown once. Copy it now; Portico keeps only a hash.
      </p>
      <code id={props.id} class="secret-value">
        {props.value}
      </code>
      <button type="button" class="copy" data-copy={props.id}>
        Copy
      </button>
    </div>
  );
}

/** An API refusal as the page shows it: the message and its documented code. */
export const refusalText = (error: { code: number; message: string }) =>
  `${error.message} (code ${error.code})`;
