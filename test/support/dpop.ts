import { base64url, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { BASE, basic, type Call, call } from "./http";
import type { TestPartner } from "./partners";

export type DpopAlg = "ES256" | "PS256" | "EdDSA";

export interface DpopKey {
  alg: DpopAlg;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function dpopKey(alg: DpopAlg = "ES256"): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, privateKey, publicJwk: await exportJWK(publicKey) };
}

export async function athOf(token: string): Promise<string> {
  return base64url.encode(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token))),
  );
}

/** A DPoP proof; defaults make a valid one for `method` on `path`; override to make it wrong in one way. */
export async function proof(
  key: DpopKey,
  method: string,
  path: string,
  opts: {
    accessToken?: string;
    nonce?: string;
    iat?: number;
    jti?: string;
    htu?: string;
    typ?: string;
    alg?: string;
    jwk?: JWK;
    claims?: Record<string, unknown>;
    signWith?: CryptoKey;
  } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    htm: method,
    htu: opts.htu ?? `${BASE}${path}`,
    ...(opts.accessToken !== undefined ? { ath: await athOf(opts.accessToken) } : {}),
    ...(opts.nonce !== undefined ? { nonce: opts.nonce } : {}),
    ...opts.claims,
  })
    .setProtectedHeader({
      typ: opts.typ ?? "dpop+jwt",
      alg: opts.alg ?? key.alg,
      jwk: opts.jwk ?? key.publicJwk,
    })
    .setJti(opts.jti ?? crypto.randomUUID())
    .setIssuedAt(opts.iat ?? now)
    .sign(opts.signWith ?? key.privateKey);
}

/** POST /oauth2/token (client_credentials) with a DPoP proof and the extra headers given. */
export function dpopTokenRequest(
  partner: TestPartner,
  dpop: string | undefined,
  init: { cf?: unknown } = {},
) {
  return tokenCall(partner, dpop ? { DPoP: dpop } : {}, init.cf);
}

async function tokenCall(partner: TestPartner, headers: Record<string, string>, cf?: unknown): Promise<Call> {
  if (cf === undefined) {
    return call("POST", "/oauth2/token", {
      headers: {
        Authorization: basic(partner.consumerKey, partner.consumerSecret),
        "Content-Type": "application/x-www-form-urlencoded",
        ...headers,
      },
      body: "grant_type=client_credentials",
    });
  }
  return callWithCf(
    "POST",
    "/oauth2/token",
    cf,
    {
      Authorization: basic(partner.consumerKey, partner.consumerSecret),
      "Content-Type": "application/x-www-form-urlencoded",
      ...headers,
    },
    "grant_type=client_credentials",
  );
}

/** A call with `request.cf` set (the edge's mTLS verdict). */
export const callWithCf = (
  method: string,
  path: string,
  cf: unknown,
  headers: Record<string, string>,
  body?: string,
): Promise<Call> => call(method, path, { cf, headers, ...(body !== undefined ? { body } : {}) });

/** The nonce dance: a proof without a nonce, the server's `use_dpop_nonce`, then the proof with it. */
export async function dpopToken(
  partner: TestPartner,
  key: DpopKey,
): Promise<{ token: string; nonce: string; body: Call["body"] }> {
  const first = await dpopTokenRequest(partner, await proof(key, "POST", "/oauth2/token"));
  const nonce = first.res.headers.get("DPoP-Nonce");
  if (first.res.status !== 400 || !nonce)
    throw new Error(`no nonce: ${first.res.status} ${JSON.stringify(first.body)}`);
  const second = await dpopTokenRequest(partner, await proof(key, "POST", "/oauth2/token", { nonce }));
  if (second.res.status !== 200)
    throw new Error(`no token: ${second.res.status} ${JSON.stringify(second.body)}`);
  return { token: second.body.access_token, nonce, body: second.body };
}

/** A certificate the edge verified: `request.cf.tlsClientAuth` as Cloudflare sets it. */
export function verifiedCertificate(fingerprintHex: string = randomHex()) {
  return {
    tlsClientAuth: {
      certPresented: "1",
      certVerified: "SUCCESS",
      certRevoked: "0",
      certSubjectDN: "CN=partner.example",
      certIssuerDN: "CN=Portico Test CA",
      certFingerprintSHA256: fingerprintHex,
      certFingerprintSHA1: "",
      certSerial: "01",
      certNotBefore: "",
      certNotAfter: "",
      certIssuerDNLegacy: "",
      certSubjectDNLegacy: "",
      certIssuerDNRFC2253: "",
      certSubjectDNRFC2253: "",
      certIssuerSKI: "",
      certSKI: "",
    },
  };
}

export const randomHex = () =>
  [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, "0")).join("");
