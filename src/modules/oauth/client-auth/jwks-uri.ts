import type { JSONWebKeySet } from "jose";
import type { Config } from "../../../platform/env";
import { readBounded } from "../../../platform/lib/bounded";
import type { Logger } from "../../../platform/lib/logger";
import { TtlCache } from "../../../platform/lib/ttl-cache";
import { urlPolicy } from "../../webhooks/delivery";
import { checkWebhookUrl } from "../../webhooks/url";
import { checkPublicKeys } from "../client-keys";

/** How long a fetched key set is used before it is fetched again (an unknown `kid` refetches sooner). */
export const JWKS_URI_TTL_MS = 5 * 60_000;
/** A key set document is small: ten keys. Anything longer is refused without being read further. */
export const MAX_JWKS_BYTES = 64 * 1024;
export const JWKS_FETCH_TIMEOUT_MS = 3000;

/** One isolate's key sets by `jwks_uri`. A failed fetch is not kept: the next request tries again. */
const jwksCache = new TtlCache<JSONWebKeySet>({ maxEntries: 1000, cacheMisses: false });

export const forgetJwksUri = (uri: string) => jwksCache.invalidate(uri);

/**
 * Fetches the client's key set from its `jwks_uri`: the SSRF guard's rules for the environment
 * (judged again at every fetch), no redirect, a deadline and a size bound, and the same checks as a
 * registered JWKS (public keys of the allowed types only). Undefined: none could be had.
 */
async function fetchKeys(config: Config, log: Logger, uri: string): Promise<JSONWebKeySet | undefined> {
  const verdict = checkWebhookUrl(uri, urlPolicy(config, []));
  if (!verdict.ok) {
    log.warn("jwks_uri refused", { reason: verdict.reason });
    return undefined;
  }
  try {
    const res = await fetch(verdict.url.toString(), {
      headers: { Accept: "application/json, application/jwk-set+json" },
      redirect: "manual",
      signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS),
    });
    if (res.status !== 200) {
      await res.body?.cancel();
      log.warn("jwks_uri answered", { status: res.status });
      return undefined;
    }
    const text = await readBounded(res.body, MAX_JWKS_BYTES);
    if (text === undefined) {
      log.warn("jwks_uri document too large", { limit: MAX_JWKS_BYTES });
      return undefined;
    }
    const checked = await checkPublicKeys(JSON.parse(text));
    if (!checked.ok) {
      log.warn("jwks_uri document refused", { detail: checked.detail });
      return undefined;
    }
    return checked.jwks;
  } catch (err) {
    log.warn("jwks_uri fetch failed", { error: (err as Error).name });
    return undefined;
  }
}

/**
 * The key set at `uri`, cached per isolate. `refreshBefore` (ms): a set loaded before then is
 * fetched again, once (an assertion named a `kid` the cached set lacks: the client may have rotated);
 * concurrent requests share one fetch.
 */
export function remoteKeys(
  config: Config,
  log: Logger,
  uri: string,
  refreshBefore?: number,
): Promise<JSONWebKeySet | undefined> {
  const load = (u: string) => fetchKeys(config, log, u);
  return refreshBefore === undefined
    ? jwksCache.get(uri, JWKS_URI_TTL_MS, load)
    : jwksCache.refresh(uri, JWKS_URI_TTL_MS, load, refreshBefore);
}
