/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import { flashOf, statusOf } from "../../../platform/web/answer";
import { type WebhookHealth, WebhooksPage } from "../pages/webhooks";
import { asAdmin, type ConsoleEnv, frameOf } from "./context";

export function registerWebhooks(app: Hono<ConsoleEnv>) {
  app.get("/webhooks", async (c) => {
    const state = c.req.query("state") ?? "";
    const query = new URLSearchParams({ limit: "50" });
    if (state) query.set("state", state);
    const after = c.req.query("starting_after");
    if (after) query.set("starting_after", after);
    const health = await asAdmin<WebhookHealth>(c, "GET", "/admin/v1/webhooks/health", { query });
    return c.html(
      <WebhooksPage
        {...frameOf(c, "Webhook health")}
        health={health.result}
        state={state}
        {...(health.error ? { flash: flashOf(health, "") } : {})}
      />,
      statusOf(health),
    );
  });
}
