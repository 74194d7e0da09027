import { env } from "cloudflare:workers";
import { importJWK, type JWK, SignJWT } from "jose";

const keys = JSON.parse(env.JWT_SIGNING_KEYS ?? "[]") as (JWK & { kid: string })[];

export const activeKey = () => keys[0] as JWK & { kid: string };
export const previousKey = () => keys[1] as JWK & { kid: string };
export const retiredKey = () => JSON.parse(env.TEST_RETIRED_KEY) as JWK & { kid: string };

/**
 * Signs a token the way a forger or a clock would: any key, any claims. Defaults are a
 * valid sandbox token for `sub`; override to make it wrong in one way.
 */
export async function forgeToken(
  sub: string,
  clientId: string,
  opts: {
    key?: JWK & { kid: string };
    kid?: string;
    claims?: Record<string, unknown>;
    iat?: number;
    exp?: number;
    iss?: string;
    aud?: string;
    typ?: string;
  } = {},
): Promise<string> {
  const key = opts.key ?? activeKey();
  const now = Math.floor(Date.now() / 1000);
  const iat = opts.iat ?? now;
  return new SignJWT({
    scope: "partner:read partner:write",
    env: env.ENVIRONMENT,
    client_id: clientId,
    ...opts.claims,
  })
    .setProtectedHeader({ alg: "ES256", kid: opts.kid ?? key.kid, typ: opts.typ ?? "at+jwt" })
    .setIssuer(opts.iss ?? env.ISSUER)
    .setAudience(opts.aud ?? env.AUDIENCE)
    .setSubject(sub)
    .setJti(crypto.randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(opts.exp ?? iat + 3600)
    .sign(await importJWK(key, "ES256"));
}
