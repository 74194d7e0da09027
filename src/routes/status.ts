import type { OpenAPIHono } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../types";

/** A status page for partners and the platform team: is the gateway and its database up. */
export function registerStatusRoute(app: OpenAPIHono<AppEnv>) {
  app.get("/status", async (c) => {
    const { config, db, limiter } = c.var.services;
    let database: "ok" | "down" = "ok";
    try {
      await db.run(sql`select 1`);
    } catch {
      database = "down";
    }
    const status = database === "ok" ? "operational" : "degraded";
    return c.json(
      {
        status,
        environment: config.ENVIRONMENT,
        components: { gateway: "ok", database, rate_limiter: limiter.name },
        time: new Date().toISOString(),
      },
      database === "ok" ? 200 : 503,
    );
  });
}
