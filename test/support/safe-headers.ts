import { expect } from "vitest";

/**
 * The headers every answer carries (src/platform/middleware/safe-defaults.ts); /v1 answers are never
 * cached; CORS, where a contract allows it (test/platform/cors.test.ts), is never `*` nor with credentials.
 */
export function expectSafeHeaders(res: Response, path: string) {
  const h = res.headers;
  expect(h.get("Strict-Transport-Security"), path).toBe("max-age=31536000; includeSubDomains");
  expect(h.get("X-Content-Type-Options"), path).toBe("nosniff");
  expect(h.get("Referrer-Policy"), path).toBe("no-referrer");
  expect(h.get("X-Frame-Options"), path).toBe("DENY");
  expect(h.get("Content-Security-Policy"), path).toMatch(/default-src 'none'|frame-ancestors 'none'/);
  expect(h.get("X-Powered-By"), path).toBeNull();
  expect(h.get("Server"), path).toBeNull();
  expect(h.get("Access-Control-Allow-Origin"), path).not.toBe("*");
  expect(h.get("Access-Control-Allow-Credentials"), path).toBeNull();
  if (path.startsWith("/v1/")) expect(h.get("Cache-Control"), path).toBe("no-store");
}
