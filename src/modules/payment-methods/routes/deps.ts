import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import { cardVaultFor } from "../connector";
import type { CustomerDeps, Owner } from "../customers";
import type { TokenDeps } from "../tokens";

export const tokenDeps = (c: Context<AppEnv>): TokenDeps => ({
  db: c.get("services").db,
  config: c.get("services").config,
  vault: cardVaultFor(c.get("services").config),
});

export const customerDeps = (c: Context<AppEnv>): CustomerDeps => ({
  db: c.get("services").db,
  config: c.get("services").config,
  events: c.env.EVENTS_QUEUE,
});

export const ownerOf = (c: Context<AppEnv>): Owner => ({
  partnerId: c.get("partner").id,
  livemode: c.get("partner").environment === "production",
});
