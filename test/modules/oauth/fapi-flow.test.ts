// The whole FAPI 2.0 consent flow as a standard client runs it (docs/fapi.md): oauth4webapi with
// private_key_jwt, DPoP (and the server's nonce), PAR, the customer's pages at the bank, the code
// exchange with PKCE and the `iss` check, a resource call, a refresh, introspection, revocation.
import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import * as oauth from "oauth4webapi";
import { describe, expect, it } from "vitest";
import { findConsent } from "../../../src/modules/accounts/storage";
import { clientKey, registerTestClient, setSecurityProfile } from "../../support/client-auth";
import { authorizeConsent, REDIRECT_URI } from "../../support/consent-flow";
import { db, provisionPartner } from "../../support/partners";

// The library's requests go to the Worker under test, whatever host the metadata names.
const options = { [oauth.customFetch]: (url: string, init: RequestInit) => SELF.fetch(url, init) };

async function discover(): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(env.ISSUER);
  const res = await oauth.discoveryRequest(issuer, { ...options, algorithm: "oauth2" });
  return oauth.processDiscoveryResponse(issuer, res);
}

/**
 * RFC 9449 §8: the first proof to an endpoint that wants the server's nonce is answered
 * use_dpop_nonce; the DPoP handle keeps the nonce the answer carried, and the retry succeeds.
 */
async function withNonce<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (err) {
    if (!oauth.isDPoPNonceError(err)) throw err;
    return attempt();
  }
}

/** A FAPI partner whose client registered one ES256 key and the redirect URI. */
async function fapiPartner() {
  const p = await provisionPartner();
  const key = await clientKey("ES256");
  await registerTestClient(p.id, { jwks: { keys: [key.publicJwk] }, redirect_uris: [REDIRECT_URI] });
  await setSecurityProfile(p.id, "fapi");
  const client: oauth.Client = { client_id: p.consumerKey };
  const auth = oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid });
  return { p, client, auth };
}

type Party = Awaited<ReturnType<typeof fapiPartner>> & {
  as: oauth.AuthorizationServer;
  dpop: oauth.DPoPHandle;
};

/** The partner's own token (client_credentials), DPoP-bound as its FAPI contract requires. */
async function ownToken({ as, client, auth, dpop }: Party) {
  return withNonce(async () =>
    oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, auth, {}, { ...options, DPoP: dpop }),
    ),
  );
}

/** A consent awaiting the customer, created with the partner's own DPoP-bound token. */
async function createConsent(party: Party, token: string, scopes: string[]) {
  const created = await oauth.protectedResourceRequest(
    token,
    "POST",
    new URL(`${party.as.issuer}/v1/consents`),
    new Headers({ "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() }),
    JSON.stringify({
      params: { scopes, expires_at: new Date(Date.now() + 30 * 86_400_000).toISOString() },
    }),
    { ...options, DPoP: party.dpop },
  );
  expect(created.status).toBe(200);
  return ((await created.json()) as { result: { id: string } }).result.id;
}

/** PAR with PKCE S256, client-authenticated and DPoP-bound: the request_uri. */
async function push(
  { as, client, auth, dpop }: Party,
  consentId: string,
  state: string,
  verifier: string,
  scope?: string,
) {
  const pushed = await withNonce(async () =>
    oauth.processPushedAuthorizationResponse(
      as,
      client,
      await oauth.pushedAuthorizationRequest(
        as,
        client,
        auth,
        {
          response_type: "code",
          redirect_uri: REDIRECT_URI,
          code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
          code_challenge_method: "S256",
          state,
          consent_id: consentId,
          ...(scope ? { scope } : {}),
        },
        { ...options, DPoP: dpop },
      ),
    ),
  );
  return pushed.request_uri;
}

async function party(): Promise<Party> {
  const as = await discover();
  const partner = await fapiPartner();
  return { ...partner, as, dpop: oauth.DPoP(partner.client, await oauth.generateKeyPair("ES256")) };
}

describe("a standard client (oauth4webapi) through the FAPI consent flow", () => {
  it("discovers what the server supports, exactly", async () => {
    const as = await discover();
    expect(as).toMatchObject({
      issuer: env.ISSUER,
      pushed_authorization_request_endpoint: `${env.ISSUER}/oauth2/par`,
      require_pushed_authorization_requests: true,
      authorization_endpoint: `${env.ISSUER}/authorize`,
      code_challenge_methods_supported: ["S256"],
      dpop_signing_alg_values_supported: ["ES256", "PS256", "EdDSA"],
      token_endpoint_auth_methods_supported: expect.arrayContaining(["private_key_jwt", "tls_client_auth"]),
      tls_client_certificate_bound_access_tokens: true,
      authorization_response_iss_parameter_supported: true,
    });
  });

  it("private_key_jwt + DPoP + PAR + the customer's pages + PKCE, then accounts, refresh, introspection and revocation", async () => {
    const flow = await party();
    const { as, p, client, auth, dpop } = flow;
    const own = await ownToken(flow);
    expect(own.token_type).toBe("dpop");
    expect(decodeJwt(own.access_token).cnf).toMatchObject({ jkt: expect.any(String) });
    const consentId = await createConsent(flow, own.access_token, ["accounts", "balances", "transactions"]);
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const requestUri = await push(flow, consentId, state, verifier);
    expect(requestUri).toMatch(/^urn:ietf:params:oauth:request_uri:/);

    // The customer at the bank: login, TOTP, approve; back at the redirect URI with code, state, iss.
    const { location } = await authorizeConsent({ clientId: p.consumerKey, requestUri });
    expect(location.searchParams.get("iss")).toBe(as.issuer);
    const callback = oauth.validateAuthResponse(as, client, location, state);
    expect((await findConsent(db, p.id, consentId))?.status).toBe("Authorised");

    const tokens = await withNonce(async () =>
      oauth.processAuthorizationCodeResponse(
        as,
        client,
        await oauth.authorizationCodeGrantRequest(as, client, auth, callback, REDIRECT_URI, verifier, {
          ...options,
          DPoP: dpop,
        }),
      ),
    );
    expect(tokens.token_type).toBe("dpop");
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ consent_id: consentId, cnf: { jkt: expect.any(String) } });

    // The consent-bound token reads the customer's accounts: no Consent-Id header needed.
    const read = await oauth.protectedResourceRequest(
      tokens.access_token,
      "GET",
      new URL(`${as.issuer}/v1/accounts`),
      new Headers(),
      null,
      { ...options, DPoP: dpop },
    );
    expect(read.status).toBe(200);
    const listed = (await read.json()) as { result: { data: { id: string }[] } };
    expect(listed.result.data.length).toBeGreaterThan(0);

    // Without its key the token is useless: sent as a bearer token, it is refused.
    const stolen = await SELF.fetch(`${as.issuer}/v1/accounts`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(stolen.status).toBe(401);
    expect(stolen.headers.get("WWW-Authenticate")).toMatch(/^DPoP /);

    // The refresh token rotates.
    const refreshed = await withNonce(async () =>
      oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token ?? "", {
          ...options,
          DPoP: dpop,
        }),
      ),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    const active = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, refreshed.access_token, options),
    );
    expect(active).toMatchObject({ active: true, client_id: p.consumerKey, consent_id: consentId });

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, auth, refreshed.refresh_token ?? "", options),
    );
    const after = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, refreshed.access_token, options),
    );
    expect(after).toEqual({ active: false });
  });

  it("the customer's refusal comes back as access_denied with state and iss, and the consent is Rejected", async () => {
    const flow = await party();
    const { as, p, client } = flow;
    const own = await ownToken(flow);
    const consentId = await createConsent(flow, own.access_token, ["accounts"]);
    const state = oauth.generateRandomState();
    const requestUri = await push(flow, consentId, state, oauth.generateRandomCodeVerifier());
    const { location } = await authorizeConsent({
      clientId: p.consumerKey,
      requestUri,
      decision: "reject",
    });
    const err = (() => {
      try {
        oauth.validateAuthResponse(as, client, location, state);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(oauth.AuthorizationResponseError);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect((await findConsent(db, p.id, consentId))?.status).toBe("Rejected");
  });

  it("a request narrowed to some of the consent's scopes gives a token that reads only those", async () => {
    const flow = await party();
    const { as, p, client, auth, dpop } = flow;
    const own = await ownToken(flow);
    const consentId = await createConsent(flow, own.access_token, ["accounts", "balances", "transactions"]);
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const requestUri = await push(flow, consentId, state, verifier, "accounts balances");
    const { location } = await authorizeConsent({ clientId: p.consumerKey, requestUri });
    const callback = oauth.validateAuthResponse(as, client, location, state);
    const tokens = await withNonce(async () =>
      oauth.processAuthorizationCodeResponse(
        as,
        client,
        await oauth.authorizationCodeGrantRequest(as, client, auth, callback, REDIRECT_URI, verifier, {
          ...options,
          DPoP: dpop,
        }),
      ),
    );
    expect(tokens.scope).toBe("accounts:read accounts balances");
    const get = (path: string) =>
      oauth.protectedResourceRequest(
        tokens.access_token,
        "GET",
        new URL(`${as.issuer}${path}`),
        new Headers(),
        null,
        {
          ...options,
          DPoP: dpop,
        },
      );
    const listed = (await (await get("/v1/accounts")).json()) as { result: { data: { id: string }[] } };
    const account = listed.result.data[0]?.id ?? "";
    expect((await get(`/v1/accounts/${account}/balances`)).status).toBe(200);
    const refused = await get(`/v1/accounts/${account}/transactions`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: number } }).error.code).toBe(72);
  });
});
