import { sha256Hex } from "../../platform/lib/ids";
import { randomToken } from "../../platform/lib/random";
import { OAuthError } from "../../platform/oauth-error";
import type { PartnerProfile } from "../../platform/types";
import type { ConsentDeps } from "../accounts/consents";
import { getConsent } from "../accounts/consents";
import { type ConsentScope, isConsentScope } from "../accounts/model";
import { insertParRequest } from "./authorisation-storage";
import { bindingOf } from "./binding";
import { authenticateClient } from "./client-auth";
import { findClientRegistration } from "./storage";
import type { ClientRequest, OAuthDeps } from "./types";

/** RFC 9126 §2.2: the `request_uri` of a pushed request; only the SHA-256 of its random part is stored. */
export const REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

/** How long a pushed request waits for the customer's browser (RFC 9126 §2.2: short-lived). */
export const PAR_TTL_SECONDS = 60;

/** The longest `state` and `nonce` kept and echoed. */
const MAX_ECHOED = 512;

// RFC 7636 §4.2: BASE64URL(SHA-256(verifier)) is 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

// A JWK SHA-256 thumbprint (RFC 7638), base64url.
const JKT = /^[A-Za-z0-9_-]{43}$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PushedRequest {
  request_uri: string;
  expires_in: number;
}

function required(params: Record<string, string | undefined>, name: string): string {
  const value = params[name];
  if (value === undefined || value === "") throw new OAuthError("invalid_request", `${name} is required`);
  return value;
}

function echoed(params: Record<string, string | undefined>, name: "state" | "nonce"): string | null {
  const value = params[name];
  if (value === undefined || value === "") return null;
  if (value.length > MAX_ECHOED)
    throw new OAuthError("invalid_request", `${name} is longer than ${MAX_ECHOED} characters`);
  return value;
}

/** The scopes asked for, each one the consent covers; none asked: all the consent covers. */
function scopeOf(requested: string | undefined, consented: readonly ConsentScope[]): string {
  if (requested === undefined || requested.trim() === "") return [...consented].join(" ");
  const wanted = [...new Set(requested.trim().split(/\s+/))];
  const outside = wanted.filter((s) => !(consented as readonly string[]).includes(s));
  if (outside.length > 0) {
    const known = outside.every(isConsentScope);
    throw new OAuthError(
      "invalid_scope",
      known ? `The consent does not cover: ${outside.join(" ")}` : `Unknown scope: ${outside.join(" ")}`,
    );
  }
  return wanted.join(" ");
}

/** The consent the request names: one of the partner's, awaiting authorisation; any other is refused alike. */
async function awaitingConsent(deps: OAuthDeps & ConsentDeps, partnerId: string, id: string) {
  const unknown = new OAuthError(
    "invalid_request",
    "consent_id does not name a consent awaiting authorisation",
  );
  if (!UUID.test(id)) throw unknown;
  const consent = await getConsent(deps, partnerId, id.toLowerCase()).catch(() => undefined);
  if (!consent) throw unknown;
  if (consent.status !== "AwaitingAuthorisation")
    throw new OAuthError("invalid_request", `The consent is ${consent.status}, not AwaitingAuthorisation`);
  return consent;
}

/**
 * `POST /oauth2/par` (RFC 9126, FAPI 2.0 §5.3.2.2): the authenticated client pushes the
 * authorization request of one of its consents and gets a `request_uri` to send the customer to
 * `/authorize` with. Only `response_type=code`, a registered `redirect_uri` (exactly), PKCE S256;
 * a request object (`request`, `request_uri`) is refused. The DPoP key the request proves, or
 * `dpop_jkt` (RFC 9449 §10), binds the code to come.
 */
export async function pushAuthorizationRequest(
  deps: OAuthDeps & ConsentDeps,
  request: ClientRequest,
  params: Record<string, string | undefined>,
  identified: (profile: PartnerProfile) => void = () => {},
  now = new Date(),
): Promise<PushedRequest> {
  const client = await authenticateClient(deps, request, params, identified);
  const partnerId = client.profile.id;
  if (params.request !== undefined || params.request_uri !== undefined)
    throw new OAuthError("invalid_request", "request and request_uri are not accepted at the PAR endpoint");
  const clientId = required(params, "client_id");
  if (clientId !== client.clientId)
    throw new OAuthError("invalid_request", "client_id is not the authenticated client");
  const responseType = required(params, "response_type");
  if (responseType !== "code") throw new OAuthError("invalid_request", "response_type must be code");

  const redirectUri = required(params, "redirect_uri");
  const registration = await findClientRegistration(deps.db, partnerId);
  if (!registration?.redirectUris.includes(redirectUri))
    throw new OAuthError(
      "invalid_request",
      "redirect_uri is not one of the client's registered redirect URIs",
    );

  const codeChallenge = required(params, "code_challenge");
  const method = required(params, "code_challenge_method");
  if (method !== "S256") throw new OAuthError("invalid_request", "code_challenge_method must be S256");
  if (!S256_CHALLENGE.test(codeChallenge))
    throw new OAuthError("invalid_request", "code_challenge must be the base64url SHA-256 of the verifier");

  const state = echoed(params, "state");
  const nonce = echoed(params, "nonce");
  const consent = await awaitingConsent(deps, partnerId, required(params, "consent_id"));
  const scope = scopeOf(params.scope, consent.scopes);

  const asked = params.dpop_jkt;
  if (asked !== undefined && !JKT.test(asked))
    throw new OAuthError("invalid_request", "dpop_jkt must be a JWK SHA-256 thumbprint");
  const proven = (await bindingOf(deps, request, client.clientId)).jkt;
  if (asked !== undefined && proven !== undefined && asked !== proven)
    throw new OAuthError("invalid_dpop_proof", "dpop_jkt is not the key of the DPoP proof");

  const value = randomToken(32);
  await insertParRequest(deps.db, {
    requestHash: await sha256Hex(value),
    partnerId,
    clientId,
    consentId: consent.id,
    redirectUri,
    scope,
    state,
    nonce,
    codeChallenge,
    dpopJkt: proven ?? asked ?? null,
    expiresAt: new Date(now.getTime() + PAR_TTL_SECONDS * 1000).toISOString(),
    usedAt: null,
    createdAt: now.toISOString(),
  });
  return { request_uri: `${REQUEST_URI_PREFIX}${value}`, expires_in: PAR_TTL_SECONDS };
}
