import type { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors";
import type { AppEnv } from "../types";

interface Compiled {
  pattern: RegExp;
  methods: Set<string>;
}

function compile(routes: readonly { method: string; path: string }[]): Compiled[] {
  const byPath = new Map<string, Set<string>>();
  for (const { method, path } of routes) {
    if (method === "ALL" || path.includes("*")) continue; // middleware, not endpoints
    const methods = byPath.get(path) ?? new Set<string>();
    methods.add(method);
    if (method === "GET") methods.add("HEAD");
    byPath.set(path, methods);
  }
  return [...byPath].map(([path, methods]) => ({
    pattern: new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\/:[^/]+/g, "/[^/]+")}$`),
    methods,
  }));
}

/**
 * Unknown paths answer 404 and known paths with the wrong method 405 (code 5, `Allow`
 * listing what is supported), before any body is read. Paths match exactly, as the router
 * does: `/v1/partner/` is not `/v1/partner`. Reads the app's route table once.
 */
export const routeGuard = (app: Hono<AppEnv>) => {
  let table: Compiled[] | undefined;
  // Allowed methods by concrete path, bounded: hot paths are matched once, not per request.
  const memo = new Map<string, Set<string>>();
  const allowedFor = (path: string) => {
    let allowed = memo.get(path);
    if (!allowed) {
      table ??= compile(app.routes);
      allowed = new Set(table.filter((r) => r.pattern.test(path)).flatMap((r) => [...r.methods]));
      if (memo.size >= 5000) memo.clear();
      memo.set(path, allowed);
    }
    return allowed;
  };
  return createMiddleware<AppEnv>(async function routeGuard(c, next) {
    const allowed = allowedFor(c.req.path);
    if (allowed.size === 0) throw new ApiError("route_not_found", { method: c.req.method, path: c.req.path });
    if (!allowed.has(c.req.method)) {
      const list = [...allowed].sort().join(", ");
      throw new ApiError(
        "method_not_allowed",
        { method: c.req.method, allowed: list },
        { headers: { Allow: list } },
      );
    }
    await next();
  });
};
