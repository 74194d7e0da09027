import type { Context } from "hono";
import { cardSystemFor } from "../../../connectors/cards";
import type { CardDeps } from "../../../services/cards-model";
import type { AppEnv } from "../../../types";

/** The card services' dependencies for this request, with the card system of this environment. */
export const cardDeps = (c: Context<AppEnv>): CardDeps => ({
  db: c.var.services.db,
  events: c.env.EVENTS_QUEUE,
  config: c.var.services.config,
  system: cardSystemFor(c.var.services.config),
});
