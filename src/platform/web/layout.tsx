/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

/** Who is signed in, as the header shows them. */
export interface SignedIn {
  username: string;
  role: string;
}

export interface NavItem {
  href: string;
  key: string;
  label: string;
  /** Shown in this environment only (the portal's sandbox buttons, the console's application queue). */
  only?: "sandbox" | "production";
}

/** The web interface a page belongs to: its name, home, stylesheet and script, its navigation, its sign-out. */
export interface Site {
  name: string;
  home: string;
  assets: string;
  nav: readonly NavItem[];
  signOut?: string;
}

export interface PageFrame {
  title: string;
  environment: string;
  site: Site;
  /** The signed-in user and their session's CSRF token; absent on the sign-in pages. */
  user?: SignedIn;
  csrf?: string;
  /** The nav entry this page belongs to. */
  active?: string;
  /** More same-origin scripts and stylesheets (a page's chart library). */
  scripts?: readonly string[];
  styles?: readonly string[];
  /** A one-line notice above the content (after an action). */
  flash?: { kind: "ok" | "error"; text: string };
}

/** Every page of the web interfaces: its own stylesheet and script only (same origin, no inline code), a skip link, landmarks. */
export function Layout(props: PageFrame & { children?: Child }) {
  const { user, environment } = props;
  const { site } = props;
  const here = environment === "production" ? "production" : "sandbox";
  const nav = site.nav.filter((n) => n.only === undefined || n.only === here);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${props.title} · ${site.name}`}</title>
        <link rel="icon" href="data:," />
        {(props.styles ?? []).map((href) => (
          <link rel="stylesheet" href={href} />
        ))}
        <link rel="stylesheet" href={`${site.assets}.css`} />
        {(props.scripts ?? []).map((src) => (
          <script src={src} defer></script>
        ))}
        <script src={`${site.assets}.js`} defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <a class="brand" href={site.home}>
            <span class="logo" aria-hidden="true">
              P
            </span>
            <span>{site.name}</span>
          </a>
          <span class={`env env-${environment === "production" ? "production" : "sandbox"}`}>
            {environment}
          </span>
          <span class="spacer" />
          {user && props.csrf && site.signOut ? (
            <form method="post" action={site.signOut} class="signout">
              <input type="hidden" name="csrf" value={props.csrf} />
              <span class="who">
                {user.username} <span class="role">({user.role})</span>
              </span>
              <button type="submit" class="link">
                Sign out
              </button>
            </form>
          ) : user ? (
            <span class="who">
              {user.username} <span class="role">({user.role})</span>
            </span>
          ) : null}
        </header>
        <div class={user ? "layout" : "layout single"}>
          {user ? (
            <nav class="sidebar" aria-label={site.name}>
              <ul>
                {nav.map((n) => (
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
