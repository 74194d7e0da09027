import { createApp } from "./app";
import type { Env } from "./env";
import { handleQueue } from "./queues";

export { IdempotencyKey } from "../durable-objects/idempotency";
export { PaymentObject } from "../durable-objects/payment";
export { PayoutObject } from "../durable-objects/payout";
export { RateLimiter } from "../durable-objects/rate-limiter";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
} satisfies ExportedHandler<Env>;
