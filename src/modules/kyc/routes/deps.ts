import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import type { KycDeps } from "../kyc";

/** What the KYC services need for this request. */
export const kycDeps = (c: Context<AppEnv>): KycDeps => ({
  db: c.get("services").db,
  queue: c.env.EVENTS_QUEUE,
  config: c.get("services").config,
  log: c.get("log"),
});
