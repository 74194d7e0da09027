import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import * as oauth from "oauth4webapi";
import { describe, expect, it } from "vitest";
import { provisionPartner } from "../../support/partners";
import { accounts, consentCode, REDIRECT_URI } from "./consent-flow";

// The library's requests go to the Worker under test, whatever host the metadata names.
const options = { [oauth.customFetch]: (url: string, init: RequestInit) => SELF.fetch(url, init) };

async function discover(): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(env.ISSUER);
  const res = await oauth.discoveryRequest(issuer, { ...options, algorithm: "oauth2" });
  return oauth.processDiscoveryResponse(issuer, res);
}

describe("oauth4webapi through the consent flow's tokens", () => {
  it("exchanges a code, refreshes, introspects and revokes as a standard client does", async () => {
    const as = await discover();
    const p = await provisionPartner();
    const client: oauth.Client = { client_id: p.consumerKey };
    const auth = oauth.ClientSecretBasic(p.consumerSecret);
    const c = await consentCode(p);
    const callback = new URL(
      `${REDIRECT_URI}?code=${encodeURIComponent(c.code)}&iss=${encodeURIComponent(as.issuer)}`,
    );
    const params = oauth.validateAuthResponse(as, client, callback, oauth.expectNoState);

    const exchanged = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(
        as,
        client,
        auth,
        params,
        REDIRECT_URI,
        c.codeVerifier,
        options,
      ),
    );
    expect(exchanged).toMatchObject({ token_type: "bearer", scope: "accounts:read" });
    expect((await accounts(exchanged.access_token)).res.status).toBe(200);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, exchanged.refresh_token ?? "", options),
    );
    expect(refreshed.refresh_token).not.toBe(exchanged.refresh_token);

    const introspection = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, refreshed.access_token, options),
    );
    expect(introspection).toMatchObject({ active: true, client_id: p.consumerKey, sub: p.id });

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, auth, refreshed.refresh_token ?? "", options),
    );
    const after = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, refreshed.access_token, options),
    );
    expect(after).toEqual({ active: false });
    expect((await accounts(refreshed.access_token)).res.status).toBe(401);
  });
});
