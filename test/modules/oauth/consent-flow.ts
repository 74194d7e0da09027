import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { SANDBOX_CUSTOMER_REF } from "../../../src/modules/accounts/connector/sandbox-data";
import { issueCode } from "../../../src/modules/oauth/codes";
import {
  oauthGrantAccessTokens,
  oauthGrants,
  oauthRefreshTokens,
  oauthRevokedTokens,
} from "../../../src/modules/oauth/grant-storage";
import type { AuthenticatedClient, OAuthDeps } from "../../../src/modules/oauth/types";
import { loadProfile } from "../../../src/modules/partners/profile";
import { loadConfig } from "../../../src/platform/env";
import { sha256Hex } from "../../../src/platform/lib/ids";
import { createLogger } from "../../../src/platform/lib/logger";
import { b64url } from "../../../src/platform/lib/secret-hash";
import { basic, type Call, call, requestToken, tokenFor } from "../../support/http";
import { db, type TestPartner } from "../../support/partners";

/** The consent flow's tokens, as a partner's client uses them (docs/oauth-tokens.md). */
export const REDIRECT_URI = "https://partner.example/callback";
const DAY = 86_400_000;

export const verifier = () => b64url(crypto.getRandomValues(new Uint8Array(32)));
export async function challengeOf(v: string) {
  return b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(v))));
}

/** A consent of `p` the sandbox customer authorised (through the sandbox's simulate route). */
export async function authorisedConsent(p: TestPartner, scopes = ["accounts", "balances", "transactions"]) {
  const token = await tokenFor(p);
  const params = { scopes, expires_at: new Date(Date.now() + 30 * DAY).toISOString() };
  const created = await call("POST", "/v1/consents", { token, json: { params } });
  const id: string = created.body.result.id;
  const authorised = await call("POST", `/v1/sandbox/consents/${id}/authorise`, { token });
  if (authorised.body.result?.status !== "Authorised") throw new Error("consent not authorised");
  return { id, token, expiresAt: created.body.result.expires_at as string };
}

/** A code for an authorised consent, as /authorize would issue it, with its PKCE verifier. */
export async function consentCode(
  p: TestPartner,
  opts: { consentId?: string; dpopJkt?: string; clientId?: string; now?: Date } = {},
) {
  const consentId = opts.consentId ?? (await authorisedConsent(p)).id;
  const codeVerifier = verifier();
  const code = await issueCode(
    db,
    {
      partnerId: p.id,
      clientId: opts.clientId ?? p.consumerKey,
      consentId,
      customerRef: SANDBOX_CUSTOMER_REF,
      redirectUri: REDIRECT_URI,
      scope: "accounts:read",
      codeChallenge: await challengeOf(codeVerifier),
      dpopJkt: opts.dpopJkt ?? null,
      nonce: null,
    },
    opts.now,
  );
  return { code, codeVerifier, consentId };
}

export const exchange = (
  p: Pick<TestPartner, "consumerKey" | "consumerSecret">,
  c: { code: string; codeVerifier: string },
  overrides: Record<string, string> = {},
) =>
  requestToken(p, {
    grant_type: "authorization_code",
    code: c.code,
    redirect_uri: REDIRECT_URI,
    code_verifier: c.codeVerifier,
    ...overrides,
  });

export const refresh = (p: Pick<TestPartner, "consumerKey" | "consumerSecret">, refreshToken: string) =>
  requestToken(p, { grant_type: "refresh_token", refresh_token: refreshToken });

/** An exchanged code: the token response of a fresh consent of `p`. */
export async function consentTokens(p: TestPartner) {
  const c = await consentCode(p);
  const r = await exchange(p, c);
  if (r.res.status !== 200) throw new Error(`exchange failed: ${JSON.stringify(r.body)}`);
  return { ...c, body: r.body as { access_token: string; refresh_token: string; scope: string } };
}

/** POST to a client-authenticated endpoint (revoke, introspect) with a form body. */
export const clientPost = (
  path: string,
  p: Pick<TestPartner, "consumerKey" | "consumerSecret">,
  params: Record<string, string>,
): Promise<Call> =>
  call("POST", path, {
    headers: {
      Authorization: basic(p.consumerKey, p.consumerSecret),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(params).toString(),
  });

export const accounts = (token: string, headers: Record<string, string> = {}) =>
  call("GET", "/v1/accounts", { token, headers });

// ------------------------------------------------------------------ stored state
export const grantsOf = (consentId: string) =>
  db.select().from(oauthGrants).where(eq(oauthGrants.consentId, consentId));
export const refreshTokensOf = (grantId: string) =>
  db.select().from(oauthRefreshTokens).where(eq(oauthRefreshTokens.grantId, grantId));
export async function refreshRow(token: string) {
  const [row] = await db
    .select()
    .from(oauthRefreshTokens)
    .where(eq(oauthRefreshTokens.tokenHash, await sha256Hex(token)));
  return row;
}
export const accessTokensOf = (grantId: string) =>
  db.select().from(oauthGrantAccessTokens).where(eq(oauthGrantAccessTokens.grantId, grantId));
export const revokedJtisOf = async (partnerId: string) =>
  (await db.select().from(oauthRevokedTokens).where(eq(oauthRevokedTokens.partnerId, partnerId))).map(
    (r) => r.jti,
  );

/** The authorization server's services and an authenticated client, to call a grant directly (a bound request). */
export async function grantContext(
  p: TestPartner,
): Promise<{ deps: OAuthDeps; client: AuthenticatedClient }> {
  const profile = await loadProfile(db, p.id);
  if (!profile) throw new Error("no profile");
  return {
    deps: { db, config: loadConfig(env), env, log: createLogger("error") },
    client: { clientId: p.consumerKey, method: "client_secret_basic", profile, credentialId: "test" },
  };
}
