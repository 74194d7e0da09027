import { createApp } from "./app";
import type { Env } from "./env";

export { IdempotencyKey } from "../durable-objects/idempotency";
export { PaymentObject } from "../durable-objects/payment";
export { RateLimiter } from "../durable-objects/rate-limiter";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
