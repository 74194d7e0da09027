import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import type { PaymentDeps } from "../../payments/payments";
import type { DisputeDeps } from "../service";

/** What the dispute services need for this request. */
export const disputeDeps = (c: Context<AppEnv>): DisputeDeps => ({
  db: c.get("services").db,
  events: c.env.EVENTS_QUEUE,
  log: c.get("log"),
});

/** With the payments' objects, to read the disputed payment. */
export const withPayments = (c: Context<AppEnv>): DisputeDeps & { payments: PaymentDeps } => ({
  ...disputeDeps(c),
  payments: { db: c.get("services").db, config: c.get("services").config, payments: c.env.PAYMENTS },
});

/** With the evidence bucket. */
export const withBucket = (c: Context<AppEnv>): DisputeDeps & { bucket: R2Bucket } => ({
  ...disputeDeps(c),
  bucket: c.env.DISPUTE_EVIDENCE,
});
