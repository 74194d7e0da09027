import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import type { Actor } from "../audit";

/** Who is changing the partner's risk configuration, for its audit rows. */
export const actorOf = (c: Context<AppEnv>): Actor => ({
  partnerId: c.get("partner").id,
  clientId: c.get("caller").clientId,
  requestId: c.get("requestId"),
});
