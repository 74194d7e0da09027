import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import type { WebhookDeps } from "../delivery";

/** What the webhook services (endpoints, and the events' resend) need for this request. */
export const webhookDeps = (c: Context<AppEnv>): WebhookDeps => ({
  db: c.get("services").db,
  config: c.get("services").config,
  deliveries: c.env.WEBHOOKS_QUEUE,
});
