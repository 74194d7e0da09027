import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { TtlCache } from "../../platform/lib/ttl-cache";
import { listedCorsOrigins } from "./storage";

/** Per isolate and environment: every origin some active partner's contract lists. */
const listedCache = new TtlCache<ReadonlySet<string>>();

/**
 * Whether some active partner of this environment lists `origin`: what a CORS preflight (which
 * carries no token, so no partner) and an answer refused before authentication are allowed on.
 * One D1 read per isolate and cache TTL, whatever origins callers send.
 */
export async function originListedByAnyPartner(
  deps: { db: Db; config: Config },
  origin: string,
): Promise<boolean> {
  const { db, config } = deps;
  const listed = await listedCache.get(
    config.ENVIRONMENT,
    config.PROFILE_CACHE_TTL_SECONDS * 1000,
    async () => new Set(await listedCorsOrigins(db, config.ENVIRONMENT)),
  );
  return listed?.has(origin) ?? false;
}

/** Forgets the isolate's list (after provisioning in the same isolate, as tests do). */
export const forgetListedOrigins = () => listedCache.invalidate();
