import type { Context } from "hono";
import { ratesFor } from "../../../connectors/fx";
import type { FxDeps } from "../../../services/fx";
import type { AppEnv } from "../../../types";

/** What the FX services need, for this request's environment. */
export const fxDeps = (c: Context<AppEnv>): FxDeps => ({
  db: c.var.services.db,
  queue: c.env.EVENTS_QUEUE,
  rates: ratesFor(c.var.services.config),
});
