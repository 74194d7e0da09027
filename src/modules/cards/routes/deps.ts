import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import { cardSystemFor } from "../connector";
import type { CardDeps } from "../deps";

/** The card services' dependencies for this request, with the card system of this environment. */
export const cardDeps = (c: Context<AppEnv>): CardDeps => ({
  db: c.get("services").db,
  events: c.env.EVENTS_QUEUE,
  config: c.get("services").config,
  system: cardSystemFor(c.get("services").config),
});
