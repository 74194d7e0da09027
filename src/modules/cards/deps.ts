import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import type { EventMessage } from "../../platform/events/events";
import type { CardSystem } from "./connector/types";

/** What the card services work with, built once per request. */
export interface CardDeps {
  db: Db;
  events: Queue<EventMessage>;
  config: Config;
  system: CardSystem;
}
