import type { Context } from "hono";
import { scoringFor } from "../../../connectors/lending";
import type { LendingDeps } from "../../../services/lending";
import type { AppEnv } from "../../../types";

/** What the lending services need, for this request's environment. */
export const lendingDeps = (c: Context<AppEnv>): LendingDeps => ({
  db: c.var.services.db,
  queue: c.env.EVENTS_QUEUE,
  scoring: scoringFor(c.var.services.config),
});
