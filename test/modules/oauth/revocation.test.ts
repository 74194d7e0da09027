import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { basic, call, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import {
  accounts,
  clientPost,
  consentTokens,
  grantsOf,
  refresh,
  refreshRow,
  refreshTokensOf,
  revokedJtisOf,
} from "./consent-flow";

const revoke = clientPost.bind(null, "/oauth2/revoke");

const expectEmpty200 = async (r: Awaited<ReturnType<typeof revoke>>) => {
  expect(r.res.status).toBe(200);
  expect(r.body).toBeNull();
  expect(r.res.headers.get("Cache-Control")).toBe("no-store");
};

describe("POST /oauth2/revoke (RFC 7009)", () => {
  it("a refresh token revokes its grant: the refresh chain and its access tokens stop working", async () => {
    const p = await provisionPartner();
    const first = await consentTokens(p);
    const rotated = await refresh(p, first.body.refresh_token);
    await expectEmpty200(
      await revoke(p, { token: rotated.body.refresh_token, token_type_hint: "refresh_token" }),
    );

    const [grant] = await grantsOf(first.consentId);
    expect(grant?.revokedReason).toBe("revoked_by_client");
    expect((await refreshTokensOf(grant?.id ?? "")).map((t) => t.status).sort()).toEqual([
      "revoked",
      "rotated",
    ]);
    expect((await revokedJtisOf(p.id)).sort()).toEqual(
      [decodeJwt(first.body.access_token).jti, decodeJwt(rotated.body.access_token).jti].sort(),
    );
    expect((await refresh(p, rotated.body.refresh_token)).body.error).toBe("invalid_grant");
    const read = await accounts(rotated.body.access_token);
    expect(read.res.status).toBe(401);
    expect(read.body.error.code).toBe(11);
  });

  it("an access token of the partner's own (client_credentials) is refused from then on; other tokens still work", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const other = await tokenFor(p);
    expect((await call("GET", "/v1/partner", { token })).res.status).toBe(200);
    await expectEmpty200(await revoke(p, { token }));

    const { jti, exp } = decodeJwt(token);
    expect(await revokedJtisOf(p.id)).toEqual([jti]);
    const refused = await call("GET", "/v1/partner", { token });
    expect(refused.res.status).toBe(401);
    expect(refused.body.error.code).toBe(11);
    expect(refused.res.headers.get("WWW-Authenticate")).toContain("invalid_token");
    expect((await call("GET", "/v1/partner", { token: other })).res.status).toBe(200);
    // Revoking again is harmless; the row lives until the token would have expired.
    await expectEmpty200(await revoke(p, { token }));
    expect(exp).toBeGreaterThan(Math.floor(Date.now() / 1000));
  });

  it("the hint only orders the look-ups: an access token sent as refresh_token is still revoked", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    await expectEmpty200(await revoke(p, { token, token_type_hint: "refresh_token" }));
    expect((await call("GET", "/v1/partner", { token })).res.status).toBe(401);
  });

  it("revokes one access token of the consent flow, not its grant", async () => {
    const p = await provisionPartner();
    const first = await consentTokens(p);
    await expectEmpty200(
      await revoke(p, { token: first.body.access_token, token_type_hint: "access_token" }),
    );
    expect((await accounts(first.body.access_token)).res.status).toBe(401);
    expect((await grantsOf(first.consentId))[0]?.revokedAt).toBeNull();
    const next = await refresh(p, first.body.refresh_token);
    expect(next.res.status).toBe(200);
    expect((await accounts(next.body.access_token)).res.status).toBe(200);
  });

  it("attack: revoking another partner's tokens answers 200 and has no effect", async () => {
    const victim = await provisionPartner();
    const attacker = await provisionPartner();
    const own = await tokenFor(victim);
    const flow = await consentTokens(victim);
    for (const token of [own, flow.body.access_token, flow.body.refresh_token]) {
      await expectEmpty200(await revoke(attacker, { token }));
    }
    expect(await revokedJtisOf(victim.id)).toEqual([]);
    expect((await grantsOf(flow.consentId))[0]?.revokedAt).toBeNull();
    expect(await refreshRow(flow.body.refresh_token)).toMatchObject({ status: "active" });
    expect((await call("GET", "/v1/partner", { token: own })).res.status).toBe(200);
    expect((await accounts(flow.body.access_token)).res.status).toBe(200);
  });

  it("an unknown, malformed or expired token answers 200 and changes nothing", async () => {
    const p = await provisionPartner();
    for (const token of ["unknown", "a.b.c", "x".repeat(2000)])
      await expectEmpty200(await revoke(p, { token }));
    expect(await revokedJtisOf(p.id)).toEqual([]);
  });

  it("requires the token, client authentication, and a form or JSON body", async () => {
    const p = await provisionPartner();
    const missing = await revoke(p, {});
    expect(missing.res.status).toBe(400);
    expect(missing.body).toEqual({ error: "invalid_request", error_description: "token is required" });

    const token = await tokenFor(p);
    const unauthenticated = await call("POST", "/oauth2/revoke", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(unauthenticated.res.status).toBe(401);
    expect(unauthenticated.body.error).toBe("invalid_client");
    expect(unauthenticated.res.headers.get("WWW-Authenticate")).toBe('Basic realm="portico"');
    const wrongSecret = await revoke({ consumerKey: p.consumerKey, consumerSecret: "wrong" }, { token });
    expect(wrongSecret.res.status).toBe(401);
    expect((await call("GET", "/v1/partner", { token })).res.status).toBe(200);

    const text = await call("POST", "/oauth2/revoke", {
      headers: { Authorization: basic(p.consumerKey, p.consumerSecret), "Content-Type": "text/plain" },
      body: "token=x",
    });
    expect(text.res.status).toBe(415);
    expect(text.body.error).toBe("invalid_request");
    const json = await call("POST", "/oauth2/revoke", {
      headers: { Authorization: basic(p.consumerKey, p.consumerSecret) },
      json: { token },
    });
    expect(json.res.status).toBe(200);
    expect((await call("GET", "/v1/partner", { token })).res.status).toBe(401);
  });
});

describe("the revocation and introspection endpoints take POST only", () => {
  it("a wrong method is 405, code 5, with Allow: POST", async () => {
    for (const path of ["/oauth2/revoke", "/oauth2/introspect"]) {
      for (const method of ["GET", "PUT", "DELETE"]) {
        const r = await call(method, path);
        expect(r.res.status).toBe(405);
        expect(r.res.headers.get("Allow")).toBe("POST");
        expect(r.body.error.code).toBe(5);
      }
    }
  });
});
