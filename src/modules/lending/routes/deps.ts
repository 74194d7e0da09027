import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import { scoringFor } from "../connector";
import type { LendingDeps } from "../lending";

/** What the lending services need, for this request's environment. */
export const lendingDeps = (c: Context<AppEnv>): LendingDeps => ({
  db: c.get("services").db,
  queue: c.env.EVENTS_QUEUE,
  scoring: scoringFor(c.get("services").config),
});
