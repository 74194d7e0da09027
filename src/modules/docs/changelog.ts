import type { OpenAPIHono } from "@hono/zod-openapi";
import { escapeHtml, htmlDocument } from "../../platform/lib/html";
import { CHANGELOG_PATH, routeAnchor } from "../../platform/middleware/deprecation";
import type { AppEnv } from "../../platform/types";
import { type ApiVersion, CURRENT_VERSION, VERSIONS } from "../../platform/versions/registry";

/** Nothing but the page itself: no script, no style, nothing off-origin. */
export const CHANGELOG_CSP =
  "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A deprecated operation as the changelog lists it (from the OpenAPI document). */
export interface DeprecatedOperation {
  method: string;
  path: string;
  summary: string;
}

/** Prose with `code` spans, as HTML. */
const prose = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");

function status(v: ApiVersion): string {
  if (v.date === CURRENT_VERSION) return "current";
  if (!v.deprecation) return "supported";
  const sunset = v.deprecation.sunset ? `, sunset on ${v.deprecation.sunset}` : "";
  return `deprecated since ${v.deprecation.since}${sunset}`;
}

function versionSection(v: ApiVersion): string {
  const changes =
    v.changes.length === 0
      ? "<p>No breaking changes: the baseline.</p>"
      : `<ul>\n${v.changes
          .map(
            (c) =>
              `<li id="${escapeHtml(c.name)}"><strong>${escapeHtml(c.name)}</strong>: ${prose(c.description)}</li>`,
          )
          .join("\n")}\n</ul>`;
  return `<section id="${escapeHtml(v.date)}">
<h2>${escapeHtml(v.date)} <small>(${escapeHtml(status(v))})</small></h2>
<p>${prose(v.summary)}</p>
${changes}
</section>`;
}

/** The public changelog: every version newest first with its changes, and the deprecated operations. */
export function changelogHtml(deprecatedOperations: readonly DeprecatedOperation[]): string {
  const routes =
    deprecatedOperations.length === 0
      ? "<p>No operation is deprecated.</p>"
      : `<ul>\n${deprecatedOperations
          .map(
            (op) =>
              `<li id="${escapeHtml(routeAnchor(op.method, op.path))}"><code>${escapeHtml(`${op.method.toUpperCase()} ${op.path}`)}</code>: ${escapeHtml(op.summary)}</li>`,
          )
          .join("\n")}\n</ul>`;
  return htmlDocument({
    title: "Portico API changelog",
    head: "",
    main: `<h1>Portico API changelog</h1>
<p>Versions are dates. Your account is pinned to the version that was current when it was created
(<code>GET /v1/partner</code> shows it as <code>api_version</code>); send <code>Portico-Version</code>
to use another one for a single request. Every answer says the version it speaks in its
<code>Portico-Version</code> header, and an answer at a deprecated version carries
<code>Deprecation</code>, <code>Sunset</code> and a <code>Link</code> to its entry here. Within a
version, changes are additive only. The current version is <strong>${escapeHtml(CURRENT_VERSION)}</strong>.</p>
<p>To upgrade: read the changes between your version and the current one below, test your
integration with <code>Portico-Version: ${escapeHtml(CURRENT_VERSION)}</code> on each request, move each
webhook endpoint with <code>PATCH /v1/webhook_endpoints/{id}</code> and <code>api_version</code>, then ask
the platform team to move your account's pin.</p>
${[...VERSIONS].reverse().map(versionSection).join("\n")}
<section id="deprecated-operations">
<h2>Deprecated operations</h2>
${routes}
</section>`,
  });
}

type Operation = { deprecated?: boolean; summary?: string };

/** The operations the app's OpenAPI document marks deprecated. */
function deprecatedOperationsOf(app: OpenAPIHono<AppEnv>): DeprecatedOperation[] {
  const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "changelog", version: "1" } });
  const out: DeprecatedOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      if (op && typeof op === "object" && op.deprecated)
        out.push({ method, path, summary: op.summary ?? "" });
    }
  }
  return out;
}

export function registerChangelogRoute(app: OpenAPIHono<AppEnv>) {
  let page: string | undefined;
  app.get(CHANGELOG_PATH, (c) => {
    // The routes are fixed once the app is built: the page is rendered once per isolate.
    page ??= changelogHtml(deprecatedOperationsOf(app));
    c.header("Content-Type", "text/html; charset=utf-8");
    c.header("Content-Security-Policy", CHANGELOG_CSP);
    c.header("Cache-Control", "public, max-age=300");
    return c.body(page);
  });
}
