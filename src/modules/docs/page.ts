import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { escapeHtml } from "../../platform/lib/html";
import type { AppEnv } from "../../platform/types";
import { DOCS_CSS } from "./assets/docs-css";
import { DOCS_JS } from "./assets/docs-js";

/**
 * /docs: the interactive API reference, served by the Worker itself. The page loads only its
 * two same-origin assets and /openapi.json, so a strict CSP holds: no inline script or style,
 * nothing off-origin.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page shell; docs.js fills it from /openapi.json. */
function docsHtml(environment: string): string {
  return `<!doctype html>
<html lang="en" data-environment="${escapeHtml(environment)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Portico API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/docs.css">
<script src="/docs/assets/docs.js" defer></script>
</head>
<body>
<header class="topbar">
<a class="brand" href="#intro"><span class="logo" aria-hidden="true">P</span><span id="api-title">Portico API</span></a>
<span id="api-version" class="pill"></span>
<span id="api-env" class="env env-${environment === "production" ? "production" : "sandbox"}">${escapeHtml(environment)}</span>
<span id="api-server" class="server"></span>
<span class="spacer"></span>
<a class="raw" href="/openapi.json">openapi.json</a>
<button id="nav-toggle" type="button" aria-controls="nav">Menu</button>
</header>
<div class="layout">
<nav id="nav" class="sidebar" aria-label="API reference"></nav>
<main id="main">
<p class="loading">Loading the API reference…</p>
<noscript><p class="fatal">This reference needs JavaScript. The machine-readable description is at <a href="/openapi.json">/openapi.json</a>.</p></noscript>
</main>
</div>
</body>
</html>
`;
}

/** The page's own policy and caching; nosniff, no referrer and the rest come from safe-defaults.ts. */
function secureHeaders(c: Context<AppEnv>, contentType: string) {
  c.header("Content-Type", contentType);
  c.header("Content-Security-Policy", DOCS_CSP);
  c.header("Cache-Control", "public, max-age=300");
}

export function registerDocsRoute(app: OpenAPIHono<AppEnv>) {
  app.get("/docs", (c) => {
    secureHeaders(c, "text/html; charset=utf-8");
    return c.body(docsHtml(c.get("services").config.ENVIRONMENT));
  });
  app.get("/docs/assets/docs.css", (c) => {
    secureHeaders(c, "text/css; charset=utf-8");
    return c.body(DOCS_CSS);
  });
  app.get("/docs/assets/docs.js", (c) => {
    secureHeaders(c, "text/javascript; charset=utf-8");
    return c.body(DOCS_JS);
  });
}
