import { describe, expect, it } from "vitest";
import { setSecurityProfile } from "../../support/client-auth";
import { dpopKey, dpopToken, proof } from "../../support/dpop";
import { call, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";

const ALGS = 'DPoP algs="ES256 PS256 EdDSA"';

const read = (token: string, dpop?: string, scheme = "DPoP") =>
  call("GET", "/v1/partner", {
    headers: { Authorization: `${scheme} ${token}`, ...(dpop ? { DPoP: dpop } : {}) },
  });

async function bound() {
  const partner = await provisionPartner();
  const key = await dpopKey();
  const { token } = await dpopToken(partner, key);
  return { partner, key, token };
}

describe("GET /v1/partner with a DPoP-bound token (RFC 9449 §7)", () => {
  it("answers with Authorization: DPoP and a proof for this request (with ath)", async () => {
    const { partner, key, token } = await bound();
    const { res, body } = await read(token, await proof(key, "GET", "/v1/partner", { accessToken: token }));
    expect(res.status).toBe(200);
    expect(body.result.id).toBe(partner.id);
  });

  it("refuses the token sent as Bearer: 401 invalid_token in a DPoP challenge (code 242)", async () => {
    const { key, token } = await bound();
    const { res, body } = await read(
      token,
      await proof(key, "GET", "/v1/partner", { accessToken: token }),
      "Bearer",
    );
    expect(res.status).toBe(401);
    expect(body.error).toMatchObject({ code: 242, reason: "dpop_proof_required" });
    expect(res.headers.get("WWW-Authenticate")).toBe(
      `${ALGS}, error="invalid_token", error_description="The token is bound to a DPoP key: send it as Authorization: DPoP <token> with a DPoP proof"`,
    );
  });

  it("refuses the token without its proof: invalid_dpop_proof (code 240)", async () => {
    const { token } = await bound();
    const { res, body } = await read(token);
    expect(res.status).toBe(401);
    expect(body.error).toMatchObject({
      code: 240,
      message: "The DPoP proof is invalid: the DPoP header is missing",
    });
    expect(res.headers.get("WWW-Authenticate")).toBe(
      `${ALGS}, error="invalid_dpop_proof", error_description="the DPoP header is missing"`,
    );
  });

  it("refuses a stolen token without its key: a proof by another key (code 243)", async () => {
    const { token } = await bound();
    const thief = await dpopKey();
    const { res, body } = await read(token, await proof(thief, "GET", "/v1/partner", { accessToken: token }));
    expect(res.status).toBe(401);
    expect(body.error).toMatchObject({ code: 243, reason: "dpop_key_mismatch" });
    expect(res.headers.get("WWW-Authenticate")).toContain(`${ALGS}, error="invalid_token"`);
  });

  it("refuses an ath mismatch: the proof was made for another token", async () => {
    const { key, token } = await bound();
    const { token: other } = await dpopToken(await provisionPartner(), key);
    const { res, body } = await read(token, await proof(key, "GET", "/v1/partner", { accessToken: other }));
    expect(res.status).toBe(401);
    expect(body.error.code).toBe(240);
    expect(res.headers.get("WWW-Authenticate")).toBe(
      `${ALGS}, error="invalid_dpop_proof", error_description="ath must be the base64url SHA-256 of the access token"`,
    );
  });

  it("refuses a replayed DPoP proof (code 241)", async () => {
    const { key, token } = await bound();
    const jwt = await proof(key, "GET", "/v1/partner", { accessToken: token });
    expect((await read(token, jwt)).res.status).toBe(200);
    const { res, body } = await read(token, jwt);
    expect(res.status).toBe(401);
    expect(body.error).toMatchObject({ code: 241, reason: "dpop_proof_replayed" });
    expect(res.headers.get("WWW-Authenticate")).toContain('error="invalid_dpop_proof"');
  });

  it("refuses a proof for another method or URL", async () => {
    const { key, token } = await bound();
    const method = await read(token, await proof(key, "POST", "/v1/partner", { accessToken: token }));
    expect(method.res.status).toBe(401);
    expect(method.body.error.message).toBe("The DPoP proof is invalid: htm must be GET");
    const url = await read(token, await proof(key, "GET", "/v1/balances", { accessToken: token }));
    expect(url.res.status).toBe(401);
    expect(url.body.error.message).toContain("htu must be http://portico.test/v1/partner");
  });

  it("refuses an unbound token sent with the DPoP scheme", async () => {
    const partner = await provisionPartner();
    const token = await tokenFor(partner);
    const { res, body } = await read(
      token,
      await proof(await dpopKey(), "GET", "/v1/partner", { accessToken: token }),
    );
    expect(res.status).toBe(401);
    expect(body.error.code).toBe(243);
    expect(res.headers.get("WWW-Authenticate")).toBe(
      `${ALGS}, error="invalid_token", error_description="The token is not bound to a DPoP key"`,
    );
  });

  it("refuses a FAPI partner's unbound bearer token (code 246), naming both schemes", async () => {
    const partner = await provisionPartner();
    // Issued while the contract was standard; the FAPI switch makes it unusable.
    const token = await tokenFor(partner);
    await setSecurityProfile(partner.id, "fapi");
    const { res, body } = await call("GET", "/v1/partner", { token });
    expect(res.status).toBe(401);
    expect(body.error).toMatchObject({ code: 246, reason: "sender_constraint_required" });
    expect(res.headers.get("WWW-Authenticate")).toMatch(
      /^Bearer realm="oauth2-resource", error="invalid_token", error_description="The contract's FAPI profile takes only sender-constrained tokens[^"]*", DPoP algs="ES256 PS256 EdDSA"$/,
    );
  });

  it("a standard partner's bearer token still works unchanged", async () => {
    const partner = await provisionPartner();
    const { res, body } = await call("GET", "/v1/partner", { token: await tokenFor(partner) });
    expect(res.status).toBe(200);
    expect(body.result.id).toBe(partner.id);
  });
});
