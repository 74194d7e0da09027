import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../types";

/**
 * Hono's secure headers, on every answer, keeping what a route set itself (the developer pages
 * carry their own Content-Security-Policy): HSTS for a year with subdomains, `nosniff`, no
 * referrer, no framing, a CSP that allows nothing (a JSON answer loads nothing), no
 * `X-Powered-By`. CORS is not this middleware's: cors.ts adds it only for origins a contract lists.
 */
const headers = secureHeaders({
  strictTransportSecurity: "max-age=31536000; includeSubDomains",
  xFrameOptions: "DENY",
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  overwrite: false,
});

/** First on every request: the safe headers, and `Cache-Control: no-store` on every /v1 answer. */
export const safeDefaults = () =>
  createMiddleware<AppEnv>(async function safeDefaults(c, next) {
    await headers(c, next);
    if (c.req.path.startsWith("/v1/") && !c.res.headers.has("Cache-Control"))
      c.res.headers.set("Cache-Control", "no-store");
  });
