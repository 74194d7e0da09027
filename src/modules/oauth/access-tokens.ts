import { createLocalJWKSet, errors, importJWK, type JWK, jwtVerify, SignJWT } from "jose";
import type { Config, SigningJwk } from "../../platform/env";
import { uuidv7 } from "../../platform/lib/ids";

/** RFC 9449 §6 / RFC 8705 §3: what a sender-constrained token is bound to. */
export interface Confirmation {
  /** The SHA-256 JWK thumbprint (RFC 7638) of the client's DPoP key. */
  jkt?: string;
  /** The SHA-256 thumbprint of the client's mutual-TLS certificate (base64url of the DER's digest). */
  "x5t#S256"?: string;
}

export interface AccessClaims {
  sub: string;
  scope: string;
  env: "sandbox" | "production";
  jti: string;
  client_id: string;
  iat: number;
  /** Present on a sender-constrained token: only the key or certificate it names may use it. */
  cnf?: Confirmation;
  /** A token the customer's consent authorisation issued: the consent it reads with. */
  consent_id?: string;
  /** The authorization (code exchange and its refresh chain) this token belongs to. */
  grant_id?: string;
}

export type VerifyFailure = "expired" | "invalid" | "wrong_environment";

export class TokenRejected extends Error {
  override name = "TokenRejected";
  constructor(readonly failure: VerifyFailure) {
    super(failure);
  }
}

const publicPart = ({ d: _d, ...jwk }: SigningJwk): JWK => ({ ...jwk, alg: "ES256", use: "sig" });

interface KeyRing {
  signing: { kid: string; key: CryptoKey };
  jwks: { keys: JWK[] };
  verify: ReturnType<typeof createLocalJWKSet>;
  /** Tokens this ring already verified, by their exact text: ES256 runs once per token per isolate. */
  verified: Map<string, AccessClaims & { exp: number }>;
}

const MAX_VERIFIED = 10_000;

// Keys are imported once per isolate and configuration.
const rings = new Map<string, Promise<KeyRing>>();
// The configuration object is itself cached per binding set, so its ring is found without the id.
const ringOfConfig = new WeakMap<Config, Promise<KeyRing>>();

function keyRing(config: Config): Promise<KeyRing> {
  const known = ringOfConfig.get(config);
  if (known) return known;
  const ring = keyRingById(config);
  ringOfConfig.set(config, ring);
  ring.catch(() => ringOfConfig.delete(config));
  return ring;
}

function keyRingById(config: Config): Promise<KeyRing> {
  // Everything verification depends on, so a token verified under one configuration is never
  // taken as verified under another.
  const id = [
    config.ENVIRONMENT,
    config.ISSUER,
    config.AUDIENCE,
    JSON.stringify(config.JWT_SIGNING_KEYS),
    JSON.stringify(config.JWT_VERIFY_ONLY_KEYS ?? []),
  ].join("|");
  let ring = rings.get(id);
  if (!ring) {
    ring = (async () => {
      const [active] = config.JWT_SIGNING_KEYS;
      if (!active) throw new Error("no signing key");
      const key = await importJWK({ ...active, alg: "ES256" }, "ES256");
      if (!(key instanceof CryptoKey)) throw new Error("signing key did not import as a CryptoKey");
      // Every configured key verifies: the new one signs while the previous one's tokens live out.
      const jwks = {
        keys: [...config.JWT_SIGNING_KEYS, ...(config.JWT_VERIFY_ONLY_KEYS ?? [])].map(publicPart),
      };
      return {
        signing: { kid: active.kid, key },
        jwks,
        verify: createLocalJWKSet(jwks),
        verified: new Map(),
      };
    })();
    rings.set(id, ring);
    ring.catch(() => rings.delete(id));
  }
  return ring;
}

export async function publicJwks(config: Config) {
  return (await keyRing(config)).jwks;
}

export async function issueAccessToken(
  config: Config,
  claims: Omit<AccessClaims, "jti" | "env" | "iat">,
): Promise<{ token: string; expiresIn: number; jti: string }> {
  const ring = await keyRing(config);
  const jti = uuidv7();
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    scope: claims.scope,
    env: config.ENVIRONMENT,
    client_id: claims.client_id,
    ...(claims.cnf ? { cnf: claims.cnf } : {}),
    ...(claims.consent_id ? { consent_id: claims.consent_id } : {}),
    ...(claims.grant_id ? { grant_id: claims.grant_id } : {}),
  })
    .setProtectedHeader({ alg: "ES256", kid: ring.signing.kid, typ: "at+jwt" })
    .setIssuer(config.ISSUER)
    .setAudience(config.AUDIENCE)
    .setSubject(claims.sub)
    .setJti(jti)
    .setIssuedAt(now)
    .setExpirationTime(now + config.TOKEN_TTL_SECONDS)
    .sign(ring.signing.key);
  return { token, expiresIn: config.TOKEN_TTL_SECONDS, jti };
}

function isConfirmation(value: unknown): value is Confirmation {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const { jkt, "x5t#S256": x5t } = value as Record<string, unknown>;
  return (
    (jkt === undefined || typeof jkt === "string") &&
    (x5t === undefined || typeof x5t === "string") &&
    (jkt !== undefined || x5t !== undefined)
  );
}

/** Verifies signature, issuer, audience, expiry and environment. Throws TokenRejected. */
export async function verifyAccessToken(config: Config, token: string): Promise<AccessClaims> {
  const ring = await keyRing(config);
  const known = ring.verified.get(token);
  if (known) {
    // The same expiry rule as jose's: expired once `exp` <= now, in whole seconds.
    if (known.exp > Math.floor(Date.now() / 1000)) return known;
    ring.verified.delete(token);
    throw new TokenRejected("expired");
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, ring.verify, {
      issuer: config.ISSUER,
      audience: config.AUDIENCE,
      algorithms: ["ES256"],
      typ: "at+jwt",
      requiredClaims: ["sub", "exp", "iat", "jti"],
    }));
  } catch (err) {
    // jose checks the signature before the claims, so "expired" means a genuine token that aged out.
    throw new TokenRejected(err instanceof errors.JWTExpired ? "expired" : "invalid");
  }
  const { sub, scope, env, jti, client_id, iat, exp, cnf, consent_id, grant_id } = payload;
  if (
    typeof sub !== "string" ||
    typeof scope !== "string" ||
    typeof jti !== "string" ||
    typeof client_id !== "string" ||
    typeof iat !== "number" ||
    typeof exp !== "number" ||
    (cnf !== undefined && !isConfirmation(cnf)) ||
    (consent_id !== undefined && typeof consent_id !== "string") ||
    (grant_id !== undefined && typeof grant_id !== "string")
  ) {
    throw new TokenRejected("invalid");
  }
  if (env !== config.ENVIRONMENT) throw new TokenRejected("wrong_environment");
  const claims: AccessClaims = {
    sub,
    scope,
    env: config.ENVIRONMENT,
    jti,
    client_id,
    iat,
    ...(cnf ? { cnf } : {}),
    ...(consent_id ? { consent_id } : {}),
    ...(grant_id ? { grant_id } : {}),
  };
  if (ring.verified.size >= MAX_VERIFIED) ring.verified.delete(ring.verified.keys().next().value ?? "");
  ring.verified.set(token, { ...claims, exp });
  return claims;
}
