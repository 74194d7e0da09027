import { createApp } from "./app";
import type { Env } from "./platform/env";
import { handleQueue } from "./queues";
import { scheduled } from "./scheduled";

export { IdempotencyKey } from "../durable-objects/idempotency";
export { PaymentObject } from "../durable-objects/payment";
export { PayoutObject } from "../durable-objects/payout";
export { ProviderHealth } from "../durable-objects/provider-health";
export { RateLimiter } from "../durable-objects/rate-limiter";
export { ReplayGuard } from "../durable-objects/replay-guard";
export { RiskVelocity } from "../durable-objects/risk-velocity";
export { SandboxProvisioning } from "./modules/onboarding/sandbox-entrypoint";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  // The cron's jobs (src/scheduled.ts): the event outbox, the queue re-drive, and what would otherwise wait for a read.
  scheduled: (controller, env) => scheduled(controller, env),
} satisfies ExportedHandler<Env>;
