import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import type { KycDeps } from "../kyc";

/** What the KYC services need for this request. */
export const kycDeps = (c: Context<AppEnv>): KycDeps => ({
  db: c.var.services.db,
  queue: c.env.EVENTS_QUEUE,
  config: c.var.services.config,
  log: c.var.log,
});
