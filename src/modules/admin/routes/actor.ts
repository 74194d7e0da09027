import type { Context } from "hono";
import { ApiError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/types";
import type { Actor } from "../model";

/** The caller as an actor of the rules: past the role check, so it holds a role. */
export function actorOf(c: Context<AppEnv>): Actor {
  const { identity, role } = c.get("admin");
  if (role === null) throw new ApiError("admin_no_role");
  return { identity, role };
}

export const json = <T>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});
