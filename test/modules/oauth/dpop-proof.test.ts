import { env } from "cloudflare:workers";
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { DpopRejected, htuOf, verifyDpopProof } from "../../../src/modules/oauth/dpop";
import { currentDpopNonce, isDpopNonce } from "../../../src/modules/oauth/dpop-nonce";
import { loadConfig } from "../../../src/platform/env";
import { athOf, dpopKey, proof } from "../../support/dpop";
import { BASE } from "../../support/http";

const config = loadConfig(env);
const deps = { config, env };
const URL_ = `${BASE}/v1/partner`;

const verify = (jwt: string | undefined, over: Partial<Parameters<typeof verifyDpopProof>[2]> = {}) =>
  verifyDpopProof(deps, jwt, { method: "GET", url: URL_, clientId: `ck_${crypto.randomUUID()}`, ...over });

async function rejection(promise: Promise<unknown>): Promise<DpopRejected> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DpopRejected)) throw new Error(`expected a DpopRejected, got ${String(err)}`);
  return err;
}

describe("DPoP proof verification (RFC 9449 §4.3)", () => {
  for (const alg of ["ES256", "PS256", "EdDSA"] as const) {
    it(`accepts a ${alg} proof and answers the key's RFC 7638 thumbprint`, async () => {
      const key = await dpopKey(alg);
      const { jkt } = await verify(await proof(key, "GET", "/v1/partner"));
      expect(jkt).toBe(await calculateJwkThumbprint(key.publicJwk, "sha256"));
    });
  }

  it("refuses a missing proof and several DPoP headers", async () => {
    expect((await rejection(verify(undefined))).description).toBe("the DPoP header is missing");
    const one = await proof(await dpopKey(), "GET", "/v1/partner");
    expect((await rejection(verify(`${one}, ${one}`))).description).toBe(
      "exactly one DPoP header is allowed",
    );
  });

  it("refuses a typ other than dpop+jwt", async () => {
    const key = await dpopKey();
    const err = await rejection(verify(await proof(key, "GET", "/v1/partner", { typ: "JWT" })));
    expect(err).toMatchObject({ failure: "invalid", description: 'typ must be "dpop+jwt"' });
  });

  it("refuses alg none, HS256 and RS256", async () => {
    const key = await dpopKey();
    const enc = (o: unknown) => base64url.encode(JSON.stringify(o));
    const now = Math.floor(Date.now() / 1000);
    const claims = { htm: "GET", htu: URL_, iat: now, jti: crypto.randomUUID() };
    const none = `${enc({ typ: "dpop+jwt", alg: "none", jwk: key.publicJwk })}.${enc(claims)}.`;
    expect((await rejection(verify(none))).description).toBe("alg must be one of ES256, PS256, EdDSA");

    const secret = crypto.getRandomValues(new Uint8Array(32));
    const octJwk = { kty: "oct", k: base64url.encode(secret) };
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ typ: "dpop+jwt", alg: "HS256", jwk: octJwk })
      .sign(secret);
    expect((await rejection(verify(hs))).description).toBe("alg must be one of ES256, PS256, EdDSA");

    const rsa = await generateKeyPair("RS256", { extractable: true });
    const rs = await new SignJWT(claims)
      .setProtectedHeader({ typ: "dpop+jwt", alg: "RS256", jwk: await exportJWK(rsa.publicKey) })
      .sign(rsa.privateKey);
    expect((await rejection(verify(rs))).description).toBe("alg must be one of ES256, PS256, EdDSA");
  });

  it("refuses a jwk that carries the private key", async () => {
    const key = await dpopKey();
    const privateJwk = await exportJWK(key.privateKey);
    expect(privateJwk.d).toBeDefined();
    const err = await rejection(verify(await proof(key, "GET", "/v1/partner", { jwk: privateJwk })));
    expect(err.description).toBe("the jwk header must hold a public key only");
  });

  it("refuses a proof signed by another key than its jwk", async () => {
    const [key, other] = [await dpopKey(), await dpopKey()];
    const err = await rejection(
      verify(await proof(key, "GET", "/v1/partner", { signWith: other.privateKey })),
    );
    expect(err.description).toBe("the signature does not verify");
  });

  it("refuses a proof for another method (htm)", async () => {
    const key = await dpopKey();
    const err = await rejection(verify(await proof(key, "POST", "/v1/partner")));
    expect(err.description).toBe("htm must be GET");
  });

  it("refuses a proof for another URL (htu), and compares htu normalised", async () => {
    const key = await dpopKey();
    const err = await rejection(verify(await proof(key, "GET", "/v1/payments")));
    expect(err.description).toBe(`htu must be ${URL_}`);
    const otherHost = await proof(key, "GET", "/v1/partner", { htu: "http://evil.test/v1/partner" });
    expect((await rejection(verify(otherHost))).failure).toBe("invalid");
    // Case of scheme and host, the default port, a query and a fragment do not matter.
    const variant = await proof(key, "GET", "/v1/partner", {
      htu: "HTTP://Portico.TEST:80/v1/partner?x=1#f",
    });
    await expect(verify(variant)).resolves.toHaveProperty("jkt");
    expect(htuOf("https://a.test:443/p?q#f")).toBe("https://a.test/p");
  });

  it("refuses an iat outside the acceptance window (injected clock)", async () => {
    const key = await dpopKey();
    const iat = 1_800_000_000;
    const at = (ms: number) => ({ now: ms });
    const jwt = () => proof(key, "GET", "/v1/partner", { iat });
    const window = `iat must be within ${config.DPOP_PROOF_MAX_AGE_SECONDS} s before and ${config.DPOP_PROOF_MAX_SKEW_SECONDS} s after the server's time`;
    // Too old: the window is DPOP_PROOF_MAX_AGE_SECONDS (60 s by default).
    expect((await rejection(verify(await jwt(), at((iat + 61) * 1000)))).description).toBe(window);
    // Too far ahead: a few seconds of skew only.
    expect((await rejection(verify(await jwt(), at((iat - 6) * 1000)))).description).toBe(window);
    await expect(verify(await jwt(), at((iat + 60) * 1000))).resolves.toHaveProperty("jkt");
    await expect(verify(await jwt(), at((iat - 5) * 1000))).resolves.toHaveProperty("jkt");
  });

  it("requires a jti", async () => {
    const key = await dpopKey();
    const noJti = await new SignJWT({ htm: "GET", htu: URL_ })
      .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: key.publicJwk })
      .setIssuedAt()
      .sign(key.privateKey);
    expect((await rejection(verify(noJti))).description).toBe("malformed proof");
  });

  it("refuses a replayed DPoP proof", async () => {
    const key = await dpopKey();
    const clientId = `ck_${crypto.randomUUID()}`;
    const jwt = await proof(key, "GET", "/v1/partner");
    await expect(verify(jwt, { clientId })).resolves.toHaveProperty("jkt");
    const err = await rejection(verify(jwt, { clientId }));
    expect(err).toMatchObject({ failure: "replayed" });
  });

  it("lets exactly one of two concurrent uses of a proof win (the replay cache holds across isolates)", async () => {
    const key = await dpopKey();
    const clientId = `ck_${crypto.randomUUID()}`;
    const jwt = await proof(key, "GET", "/v1/partner");
    const results = await Promise.allSettled([verify(jwt, { clientId }), verify(jwt, { clientId })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect(lost?.status === "rejected" && (lost.reason as DpopRejected).failure).toBe("replayed");
  });

  it("refuses an ath mismatch, and a proof without ath at a resource call", async () => {
    const key = await dpopKey();
    const accessToken = "token-a";
    const other = await proof(key, "GET", "/v1/partner", { accessToken: "token-b" });
    expect((await rejection(verify(other, { accessToken }))).description).toBe(
      "ath must be the base64url SHA-256 of the access token",
    );
    const none = await proof(key, "GET", "/v1/partner");
    expect((await rejection(verify(none, { accessToken }))).failure).toBe("invalid");
    const right = await proof(key, "GET", "/v1/partner", { accessToken });
    await expect(verify(right, { accessToken })).resolves.toHaveProperty("jkt");
    expect(await athOf(accessToken)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("asks for the server nonce where one is required", async () => {
    const key = await dpopKey();
    const nonce = (n: string) => isDpopNonce(config, n);
    const without = await proof(key, "POST", "/oauth2/token");
    const url = `${BASE}/oauth2/token`;
    expect(await rejection(verify(without, { method: "POST", url, nonce }))).toMatchObject({
      failure: "use_nonce",
    });
    const wrong = await proof(key, "POST", "/oauth2/token", { nonce: "0.forged" });
    expect(await rejection(verify(wrong, { method: "POST", url, nonce }))).toMatchObject({
      failure: "use_nonce",
    });
    const right = await proof(key, "POST", "/oauth2/token", { nonce: await currentDpopNonce(config) });
    await expect(verify(right, { method: "POST", url, nonce })).resolves.toHaveProperty("jkt");
  });
});

describe("DPoP server nonces", () => {
  const t = 1_800_000_000_000;
  it("are good in their window and the next one, never after", async () => {
    const nonce = await currentDpopNonce(config, t);
    expect(await isDpopNonce(config, nonce, t)).toBe(true);
    expect(await isDpopNonce(config, nonce, t + 300_000)).toBe(true);
    expect(await isDpopNonce(config, nonce, t + 600_000)).toBe(false);
    expect(await isDpopNonce(config, nonce, t - 300_000)).toBe(false);
  });

  it("cannot be forged: another window's label with this window's MAC is refused", async () => {
    const nonce = await currentDpopNonce(config, t);
    const [, mac] = nonce.split(".");
    const label = Math.floor((t + 300_000) / 300_000).toString(36);
    expect(await isDpopNonce(config, `${label}.${mac}`, t + 300_000)).toBe(false);
    expect(await isDpopNonce(config, "garbage", t)).toBe(false);
  });
});
