import { createMiddleware } from "hono/factory";
import type { AppEnv, Services } from "../types";

/** What a listed page may send: every request header the API reads. */
export const CORS_ALLOW_HEADERS =
  "Authorization, Content-Type, Idempotency-Key, X-Request-Id, Consent-Id, Portico-Version";
export const CORS_ALLOW_METHODS = "GET, HEAD, POST, PATCH, DELETE";
/** What a listed page may read besides the CORS-safelisted headers: every header the API answers with. */
export const CORS_EXPOSE_HEADERS =
  "X-Request-Id, Idempotent-Replayed, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, WWW-Authenticate, Allow, Portico-Version, Deprecation, Sunset, Link";
/** Seconds a browser may keep a preflight's answer. */
export const CORS_MAX_AGE = "600";

/** The API a browser page may call: /v1 and the token endpoint. Never the pages. */
const isCorsPath = (path: string) => path.startsWith("/v1/") || path === "/oauth2/token";

/** Whether some partner's contract lists the origin (for answers that belong to no known partner). */
export type ListedByAnyPartner = (services: Services, origin: string) => Promise<boolean>;

/**
 * CORS only where a partner's contract lists the origin, never `*`, never credentials.
 * An answer for a known partner (a verified token; the token endpoint once the client
 * authenticated) allows the `Origin` when that partner's contract lists it. A preflight carries
 * no token, so no partner: it is answered 204 with the allowed methods and headers when some
 * partner lists the origin, and otherwise passes on to the normal answer, with no CORS header.
 * Answers refused before the partner is known (401, the token endpoint's invalid_client)
 * follow the preflight's rule: they tell nothing about any partner.
 */
export const cors = (listedByAnyPartner: ListedByAnyPartner) =>
  createMiddleware<AppEnv>(async function cors(c, next) {
    const origin = c.req.header("Origin");
    if (!origin || !isCorsPath(c.req.path)) return next();
    const services = c.get("services");
    if (c.req.method === "OPTIONS" && c.req.header("Access-Control-Request-Method") !== undefined) {
      if (!(await listedByAnyPartner(services, origin))) return next();
      return c.body(null, 204, {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": CORS_ALLOW_METHODS,
        "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
        "Access-Control-Max-Age": CORS_MAX_AGE,
        Vary: "Origin",
      });
    }
    await next();
    const partner = c.get("partner");
    const allowed = partner
      ? partner.corsOrigins.includes(origin)
      : await listedByAnyPartner(services, origin);
    if (!allowed) return;
    c.res.headers.set("Access-Control-Allow-Origin", origin);
    c.res.headers.set("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
    c.res.headers.append("Vary", "Origin");
  });
