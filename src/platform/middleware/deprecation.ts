import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../types";
import type { Deprecation } from "../versions/registry";

/** Where deprecations are explained: the public changelog. */
export const CHANGELOG_PATH = "/changelog";

/** The changelog's anchor of a deprecated route, as its `Link` header names it. */
export const routeAnchor = (method: string, path: string) =>
  `route-${`${method.toUpperCase()} ${path}`.replace(/[^A-Za-z0-9]+/g, "-")}`;

/** `yyyy-mm-dd` (midnight UTC) as Unix seconds. */
const seconds = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000);

/**
 * The deprecation headers: `Deprecation: @<unix seconds>` (RFC 9745, a structured-field date),
 * `Sunset: <HTTP-date>` (RFC 8594) when a sunset is set, and a `Link` to the changelog's entry
 * with `rel="deprecation"`. A version and a route deprecated in the same answer announce the
 * earlier dates and link to both entries.
 */
export function announceDeprecation(c: Context<AppEnv>, deprecation: Deprecation, anchor: string) {
  const prior = c.get("deprecation");
  const since = prior && prior.since < deprecation.since ? prior.since : deprecation.since;
  const sunsets = [prior?.sunset, deprecation.sunset].filter((s): s is string => s !== undefined).sort();
  const merged: Deprecation = sunsets[0] === undefined ? { since } : { since, sunset: sunsets[0] };
  c.set("deprecation", merged);
  c.header("Deprecation", `@${seconds(merged.since)}`);
  if (merged.sunset) c.header("Sunset", new Date(seconds(merged.sunset) * 1000).toUTCString());
  const origin = new URL(c.req.url).origin;
  c.header("Link", `<${origin}${CHANGELOG_PATH}#${anchor}>; rel="deprecation"`, { append: true });
}

/**
 * A single deprecated route: its answers carry the deprecation headers whatever the version
 * (v1Route adds it for a route declared with `deprecated`; the OpenAPI operation says
 * `deprecated: true`).
 */
export const deprecatedRoute = (deprecation: Deprecation, anchor: string) =>
  createMiddleware<AppEnv>(async function deprecatedRoute(c, next) {
    announceDeprecation(c, deprecation, anchor);
    await next();
  });
