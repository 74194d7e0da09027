import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import { reconciliationConfig } from "../../reconciliation/config";
import type { ReconciliationDeps } from "../../reconciliation/service";

/** What reconciliation needs from a request: D1, its settings and the clock. */
export const reconciliationDeps = (c: Context<AppEnv>): ReconciliationDeps => ({
  db: c.get("services").db,
  config: reconciliationConfig(c.env),
  now: () => Date.now(),
});
