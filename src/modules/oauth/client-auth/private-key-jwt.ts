import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
} from "jose";
import { OAuthError } from "../../../platform/oauth-error";
import { ASSERTION_ALGS } from "../client-keys";
import { cachedRegistration } from "../client-registration";
import { claimJti } from "../replay";
import type { ClientRequest, OAuthDeps } from "../types";
import { remoteKeys } from "./jwks-uri";

export const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** An assertion lives at most this long (exp − now, and exp − iat when iat is given). */
export const MAX_ASSERTION_LIFETIME_S = 300;
/** Clock skew allowed between the client and us. */
export const ASSERTION_CLOCK_TOLERANCE_S = 30;
/** The token endpoint's path: an assertion may name it as its audience at any endpoint. */
const TOKEN_PATH = "/oauth2/token";

const refuse = (description: string) => new OAuthError("invalid_client", description);

/**
 * The client an assertion claims to be, before anything is verified: `iss` and `sub` equal and
 * a string (the consumer key), the `client_id` parameter (optional) the same. The algorithm is
 * refused here, before any key is looked up: `none`, HMAC and RS256 never reach a verifier.
 */
export function assertedClient(params: Record<string, string | undefined>): string {
  if (params.client_assertion_type !== ASSERTION_TYPE)
    throw refuse(`client_assertion_type must be ${ASSERTION_TYPE}`);
  const assertion = params.client_assertion;
  if (!assertion)
    throw new OAuthError("invalid_request", "client_assertion is required with client_assertion_type");
  let alg: unknown;
  let claims: JWTPayload;
  try {
    alg = decodeProtectedHeader(assertion).alg;
    claims = decodeJwt(assertion);
  } catch {
    throw refuse("client_assertion is not a signed JWT");
  }
  if (typeof alg !== "string" || !(ASSERTION_ALGS as readonly string[]).includes(alg))
    throw refuse(
      `The assertion's alg ${String(alg)} is not accepted: sign with ${ASSERTION_ALGS.join(", ")}`,
    );
  if (typeof claims.iss !== "string" || claims.iss === "") throw refuse("The assertion has no iss");
  if (claims.sub !== claims.iss) throw refuse("The assertion's iss and sub must both be the client_id");
  if (params.client_id !== undefined && params.client_id !== claims.iss)
    throw refuse("client_id does not match the assertion's iss");
  return claims.iss;
}

/** Why jose refused the assertion, as the client should hear it. */
function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "The assertion expired";
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "aud") return "The assertion's aud must be the issuer or the token endpoint's URL";
    if (err.claim === "nbf") return "The assertion is not valid yet (nbf)";
    return `The assertion's ${err.claim} claim is missing or invalid`;
  }
  if (err instanceof errors.JWKSNoMatchingKey) return "No registered key matches the assertion's kid";
  if (err instanceof errors.JWKSMultipleMatchingKeys) return "The assertion needs a kid: several keys match";
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return "The assertion's signature does not verify with the registered key";
  if (err instanceof errors.JOSEAlgNotAllowed)
    return `The assertion's alg is not accepted: ${ASSERTION_ALGS.join(", ")}`;
  return "The assertion is invalid";
}

/**
 * RFC 7523 §3 client authentication: the assertion `assertedClient` read, verified with a key the
 * partner registered (its JWKS, or its `jwks_uri`, refetched once when the `kid` is unknown), for
 * this server (`aud`: the issuer, this endpoint's URL or the token endpoint's), short-lived, and its
 * `jti` claimed once across isolates. `partnerId` is the consumer key's partner.
 */
export async function verifyAssertion(
  deps: OAuthDeps,
  request: ClientRequest,
  params: Record<string, string | undefined>,
  clientId: string,
  partnerId: string,
): Promise<void> {
  const assertion = params.client_assertion ?? "";
  const registration = await cachedRegistration(deps, partnerId);
  if (!registration || (registration.jwks === null && registration.jwksUri === null))
    throw refuse("No public keys are registered for private_key_jwt: PUT /v1/partner/oauth-client");

  const audience = [deps.config.ISSUER, request.url, new URL(TOKEN_PATH, deps.config.ISSUER).toString()];
  const verify = (jwks: JSONWebKeySet) =>
    jwtVerify(assertion, createLocalJWKSet(jwks), {
      algorithms: [...ASSERTION_ALGS],
      issuer: clientId,
      subject: clientId,
      audience,
      requiredClaims: ["exp", "jti"],
      clockTolerance: ASSERTION_CLOCK_TOLERANCE_S,
    });

  const started = Date.now();
  let payload: JWTPayload;
  try {
    if (registration.jwks !== null) {
      payload = (await verify(registration.jwks as JSONWebKeySet)).payload;
    } else {
      const uri = registration.jwksUri ?? "";
      const cached = await remoteKeys(deps.config, deps.log, uri);
      if (!cached) throw refuse("The client's jwks_uri could not be fetched");
      try {
        payload = (await verify(cached)).payload;
      } catch (err) {
        if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
        // The client may have rotated: fetch its set once more (unless another request just did).
        const fresh = await remoteKeys(deps.config, deps.log, uri, started);
        if (!fresh) throw refuse("The client's jwks_uri could not be fetched");
        payload = (await verify(fresh)).payload;
      }
    }
  } catch (err) {
    if (err instanceof OAuthError) throw err;
    throw refuse(describe(err));
  }

  const now = Math.floor(Date.now() / 1000);
  const exp = payload.exp ?? 0;
  if (exp - now > MAX_ASSERTION_LIFETIME_S + ASSERTION_CLOCK_TOLERANCE_S)
    throw refuse(`The assertion's exp is more than ${MAX_ASSERTION_LIFETIME_S} seconds ahead`);
  if (payload.iat !== undefined) {
    if (payload.iat > now + ASSERTION_CLOCK_TOLERANCE_S) throw refuse("The assertion's iat is in the future");
    if (exp - payload.iat > MAX_ASSERTION_LIFETIME_S)
      throw refuse(`The assertion lives longer than ${MAX_ASSERTION_LIFETIME_S} seconds (exp − iat)`);
  }
  if (typeof payload.jti !== "string" || payload.jti === "" || payload.jti.length > 256)
    throw refuse("The assertion's jti must be a string of 1–256 characters");
  // Remembered until the assertion could no longer be accepted anyway.
  const first = await claimJti(
    deps.env,
    clientId,
    "client_assertion",
    payload.jti,
    (exp + ASSERTION_CLOCK_TOLERANCE_S) * 1000,
  );
  if (!first) throw refuse("The assertion's jti was used already: sign a new assertion for each request");
}
