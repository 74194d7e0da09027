import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import type { CloseDeps } from "./close";

/** What closing and issuing need, from a request's context: D1, the events queue, the PDF bucket. */
export const depsOf = (c: Context<AppEnv>): CloseDeps => ({
  db: c.get("services").db,
  environment: c.get("services").config.ENVIRONMENT,
  events: c.env.EVENTS_QUEUE,
  bucket: c.env.INVOICES,
  log: c.get("log"),
});
