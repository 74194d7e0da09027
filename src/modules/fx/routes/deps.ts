import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import { ratesFor } from "../connector";
import type { FxDeps } from "../fx";

/** What the FX services need, for this request's environment. */
export const fxDeps = (c: Context<AppEnv>): FxDeps => ({
  db: c.get("services").db,
  queue: c.env.EVENTS_QUEUE,
  rates: ratesFor(c.get("services").config),
});
