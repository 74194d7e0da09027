import { env } from "cloudflare:workers";
import { calculateJwkThumbprint, decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { currentDpopNonce } from "../../../src/modules/oauth/dpop-nonce";
import { loadConfig } from "../../../src/platform/env";
import {
  assertion,
  assertionParams,
  clientKey,
  registerTestClient,
  setSecurityProfile,
  tokenRequest,
} from "../../support/client-auth";
import { dpopKey, dpopToken, dpopTokenRequest, proof } from "../../support/dpop";
import { requestToken } from "../../support/http";
import { provisionPartner } from "../../support/partners";

const config = loadConfig(env);

describe("POST /oauth2/token with DPoP", () => {
  it("asks for a nonce first: 400 use_dpop_nonce with a DPoP-Nonce header", async () => {
    const partner = await provisionPartner();
    const { res, body } = await dpopTokenRequest(
      partner,
      await proof(await dpopKey(), "POST", "/oauth2/token"),
    );
    expect(res.status).toBe(400);
    expect(body).toMatchObject({ error: "use_dpop_nonce" });
    expect(res.headers.get("DPoP-Nonce")).toBe(await currentDpopNonce(config));
  });

  it("binds the token to the proof's key: cnf.jkt, token_type DPoP, and the next nonce on the answer", async () => {
    const partner = await provisionPartner();
    const key = await dpopKey("EdDSA");
    const { token, body, nonce } = await dpopToken(partner, key);
    expect(body.token_type).toBe("DPoP");
    const claims = decodeJwt(token);
    expect(claims.cnf).toEqual({ jkt: await calculateJwkThumbprint(key.publicJwk, "sha256") });
    // The answer carries a nonce too.
    const again = await dpopTokenRequest(partner, await proof(key, "POST", "/oauth2/token", { nonce }));
    expect(again.res.status).toBe(200);
    expect(again.res.headers.get("DPoP-Nonce")).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
  });

  it("refuses a replayed DPoP proof at the token endpoint", async () => {
    const partner = await provisionPartner();
    const key = await dpopKey();
    const { nonce } = await dpopToken(partner, key);
    const jwt = await proof(key, "POST", "/oauth2/token", { nonce });
    expect((await dpopTokenRequest(partner, jwt)).res.status).toBe(200);
    const replay = await dpopTokenRequest(partner, jwt);
    expect(replay.res.status).toBe(400);
    expect(replay.body).toMatchObject({ error: "invalid_dpop_proof" });
    expect(replay.body.error_description).toContain("used already");
  });

  it("refuses a proof for another method or URL with invalid_dpop_proof", async () => {
    const partner = await provisionPartner();
    const key = await dpopKey();
    const { nonce } = await dpopToken(partner, key);
    const method = await dpopTokenRequest(partner, await proof(key, "GET", "/oauth2/token", { nonce }));
    expect(method.res.status).toBe(400);
    expect(method.body).toEqual({
      error: "invalid_dpop_proof",
      error_description: "The DPoP proof is invalid: htm must be POST",
    });
    const url = await dpopTokenRequest(partner, await proof(key, "POST", "/oauth2/revoke", { nonce }));
    expect(url.res.status).toBe(400);
    expect(url.body.error).toBe("invalid_dpop_proof");
    expect(url.body.error_description).toContain("htu must be");
  });

  it("a plain request of a standard partner still gets a Bearer token without cnf", async () => {
    const partner = await provisionPartner();
    const { res, body } = await requestToken(partner);
    expect(res.status).toBe(200);
    expect(body.token_type).toBe("Bearer");
    expect(decodeJwt(body.access_token).cnf).toBeUndefined();
    expect(res.headers.get("DPoP-Nonce")).toBeNull();
  });

  it("a FAPI partner's request without a proof or certificate is refused", async () => {
    const partner = await provisionPartner();
    const client = await clientKey();
    await registerTestClient(partner.id, { jwks: { keys: [client.publicJwk] }, redirect_uris: [] });
    await setSecurityProfile(partner.id, "fapi");
    // The FAPI client authenticates with private_key_jwt (a fresh assertion each time: its jti is single-use).
    const signed = async () => assertionParams(await assertion(client, partner.consumerKey));
    const { res, body } = await tokenRequest(await signed());
    expect(res.status).toBe(400);
    expect(body.error).toBe("invalid_request");
    expect(body.error_description).toContain("sender-constrained tokens only");
    const key = await dpopKey();
    const nonce = await currentDpopNonce(config);
    const bound = await tokenRequest(await signed(), {
      headers: { DPoP: await proof(key, "POST", "/oauth2/token", { nonce }) },
    });
    expect(bound.res.status).toBe(200);
    expect(bound.body.token_type).toBe("DPoP");
  });
});
