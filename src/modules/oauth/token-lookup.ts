import { decodeJwt } from "jose";
import { sha256Hex } from "../../platform/lib/ids";
import { type AccessClaims, TokenRejected, verifyAccessToken } from "./access-tokens";
import { findGrant, findRefreshToken, type GrantRow, type RefreshRow } from "./grant-storage";
import type { OAuthDeps } from "./types";

export type TokenTypeHint = "access_token" | "refresh_token";

export type FoundToken =
  | { kind: "access_token"; claims: AccessClaims & { exp: number; iss: string; aud: string | string[] } }
  | { kind: "refresh_token"; row: RefreshRow; grant: GrantRow };

/** An access token this server signed and that has not expired, with its claims; else undefined. */
async function accessToken(deps: OAuthDeps, token: string): Promise<FoundToken | undefined> {
  try {
    const claims = await verifyAccessToken(deps.config, token);
    // Verified: the registered claims are there (verifyAccessToken requires exp; iss and aud are checked).
    const { exp, iss, aud } = decodeJwt(token);
    if (typeof exp !== "number" || typeof iss !== "string" || aud === undefined) return undefined;
    return { kind: "access_token", claims: { ...claims, exp, iss, aud } };
  } catch (err) {
    if (err instanceof TokenRejected) return undefined;
    throw err;
  }
}

async function refreshToken(deps: OAuthDeps, token: string): Promise<FoundToken | undefined> {
  const row = await findRefreshToken(deps.db, await sha256Hex(token));
  const grant = row && (await findGrant(deps.db, row.grantId));
  return row && grant ? { kind: "refresh_token", row, grant } : undefined;
}

/**
 * The token a revocation or introspection request names, if it is one of `partnerId`'s (another
 * partner's token is not found: RFC 7009 §2.1, RFC 7662 §2.2). The hint only orders the look-ups
 * (RFC 7009 §2.1: the server extends its search across all types).
 */
export async function findPartnerToken(
  deps: OAuthDeps,
  partnerId: string,
  token: string,
  hint: string | undefined,
): Promise<FoundToken | undefined> {
  const lookups = hint === "refresh_token" ? [refreshToken, accessToken] : [accessToken, refreshToken];
  for (const lookup of lookups) {
    const found = await lookup(deps, token);
    if (!found) continue;
    const owner = found.kind === "access_token" ? found.claims.sub : found.grant.partnerId;
    return owner === partnerId ? found : undefined;
  }
  return undefined;
}
