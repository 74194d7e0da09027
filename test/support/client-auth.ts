import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";
import { registerClient } from "../../src/modules/oauth/client-registration";
import { currentDpopNonce } from "../../src/modules/oauth/dpop-nonce";
import type { TlsClientCertificate } from "../../src/modules/oauth/types";
import { profileCache } from "../../src/modules/partners/profile";
import { partnerContracts } from "../../src/modules/partners/storage";
import { loadConfig } from "../../src/platform/env";
import { dpopKey, proof } from "./dpop";
import { BASE, type Call } from "./http";
import { db } from "./partners";

export const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
export const TOKEN_URL = `${BASE}/oauth2/token`;

export interface ClientKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A fresh key pair of a client, its public half as it registers it. */
export async function clientKey(
  alg: "ES256" | "PS256" | "EdDSA" | "RS256" = "ES256",
  kid = crypto.randomUUID(),
) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid } } as ClientKey;
}

/** A client assertion (RFC 7523 §3) for `clientId`, good unless `claims` or `header` say otherwise. */
export async function assertion(
  key: ClientKey,
  clientId: string,
  claims: JWTPayload = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: clientId,
    sub: clientId,
    aud: env.ISSUER,
    jti: crypto.randomUUID(),
    iat: now,
    exp: now + 60,
    ...claims,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.privateKey);
}

/** A JWT of any alg without a usable signature: `none`, or HS256 with a guessed secret. */
export function unsignedAssertion(clientId: string, alg: "none" | "HS256"): string {
  const enc = (v: unknown) =>
    btoa(JSON.stringify(v)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const now = Math.floor(Date.now() / 1000);
  const body = enc({
    iss: clientId,
    sub: clientId,
    aud: env.ISSUER,
    jti: crypto.randomUUID(),
    exp: now + 60,
  });
  return `${enc({ alg, typ: "JWT" })}.${body}.${alg === "none" ? "" : "c2lnbmF0dXJl"}`;
}

/** POST /oauth2/token with form parameters, optionally a header set and the edge's `cf` (mTLS). */
export async function tokenRequest(
  params: Record<string, string>,
  opts: { headers?: Record<string, string>; cf?: { tlsClientAuth: Partial<TlsClientCertificate> } } = {},
): Promise<Call> {
  const res = await SELF.fetch(TOKEN_URL, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...opts.headers },
    body: new URLSearchParams(params).toString(),
    ...(opts.cf ? { cf: opts.cf } : {}),
  } as RequestInit);
  const text = await res.text();
  return { res, body: text ? JSON.parse(text) : null };
}

export const assertionParams = (jwt: string, extra: Record<string, string> = {}) => ({
  grant_type: "client_credentials",
  client_assertion_type: ASSERTION_TYPE,
  client_assertion: jwt,
  ...extra,
});

/** A certificate the edge verified, as `request.cf.tlsClientAuth` carries it. */
export function edgeCertificate(overrides: Partial<TlsClientCertificate> = {}): TlsClientCertificate {
  return {
    certPresented: "1",
    certVerified: "SUCCESS",
    certRevoked: "0",
    certSubjectDN: "CN=client.partner.example,O=Partner Ltd,C=GB",
    certIssuerDN: "CN=Portico Partner CA,O=Bank,C=UZ",
    certFingerprintSHA256: "ab".repeat(32),
    ...overrides,
  };
}

/** Registers the partner's client as the service does (the routes' own tests go through HTTP). */
export async function registerTestClient(
  partnerId: string,
  input: Parameters<typeof registerClient>[2] = { redirect_uris: [] },
) {
  return (await registerClient({ db, config: loadConfig(env) }, partnerId, input)).after;
}

/** Writes the contract's profile directly and forgets the cached profile (what the admin switch does). */
export async function setSecurityProfile(
  partnerId: string,
  profile: "standard" | "fapi",
  passwordGrant = profile === "standard",
) {
  await db
    .update(partnerContracts)
    .set({ securityProfile: profile, passwordGrant })
    .where(eq(partnerContracts.partnerId, partnerId));
  profileCache.invalidate(partnerId);
}

/**
 * A FAPI client's client_credentials token: a fresh assertion and a DPoP proof with the server's
 * current nonce, so the token is DPoP-bound as the FAPI profile requires. The DPoP key comes back
 * for the resource calls' proofs.
 */
export async function fapiToken(key: ClientKey, clientId: string, extra: Record<string, string> = {}) {
  const dpop = await dpopKey();
  const nonce = await currentDpopNonce(loadConfig(env));
  const answer = await tokenRequest(assertionParams(await assertion(key, clientId), extra), {
    headers: { DPoP: await proof(dpop, "POST", "/oauth2/token", { nonce }) },
  });
  return { ...answer, dpop };
}
