import { calculateJwkThumbprint, decodeProtectedHeader, errors, importJWK, type JWK, jwtVerify } from "jose";
import type { Config, Env } from "../../platform/env";
import { b64url } from "../../platform/lib/secret-hash";
import { claimJti } from "./replay";

/** The proof algorithms accepted (RFC 9449 §5.1 `dpop_signing_alg_values_supported`): asymmetric only. */
export const DPOP_ALGS = ["ES256", "PS256", "EdDSA"] as const;

/** JWK members that belong to a private or symmetric key: a proof's `jwk` carries none of them. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

/** Why a proof was refused: `use_nonce` asks the client to retry with the server's nonce. */
export type DpopFailure = "invalid" | "replayed" | "use_nonce";

export class DpopRejected extends Error {
  override name = "DpopRejected";
  constructor(
    readonly failure: DpopFailure,
    readonly description: string,
  ) {
    super(description);
  }
}

export interface ProofExpectation {
  method: string;
  /** The request's URL; its query and fragment are ignored (RFC 9449 §4.3). */
  url: string;
  /** The client whose proofs' `jti`s are remembered together. */
  clientId: string;
  /** At a resource call: the access token the proof must hash (`ath`). */
  accessToken?: string;
  /** Where a server nonce is required: true when the proof's `nonce` is one the server issued. */
  nonce?: (nonce: string) => Promise<boolean>;
  /** The server's clock, in ms (tests). */
  now?: number;
}

export type DpopDeps = { config: Config; env: Pick<Env, "REPLAY_GUARD" | "ENVIRONMENT"> };

const refuse = (description: string): never => {
  throw new DpopRejected("invalid", description);
};

const MAX_KEYS = 1000;
// A client signs many proofs with one key: each key is imported, and its thumbprint computed, once per isolate.
const keys = new Map<string, Promise<{ key: CryptoKey | Uint8Array; jkt: string }>>();

function importedKey(jwk: JWK, alg: (typeof DPOP_ALGS)[number]) {
  const id = `${alg}:${JSON.stringify([jwk.kty, jwk.crv, jwk.x, jwk.y, jwk.n, jwk.e])}`;
  let known = keys.get(id);
  if (!known) {
    known = Promise.all([importJWK(jwk, alg), calculateJwkThumbprint(jwk, "sha256")]).then(([key, jkt]) => ({
      key,
      jkt,
    }));
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value ?? "");
    keys.set(id, known);
    known.catch(() => keys.delete(id));
  }
  return known;
}

/** The URL as RFC 9449 §4.3 compares it: scheme and host lower case, no default port, no query or fragment. */
export function htuOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

/** `ath`: base64url of the SHA-256 of the access token's ASCII text. */
export async function accessTokenHash(token: string): Promise<string> {
  return b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token))));
}

/**
 * Verifies a `DPoP` header (RFC 9449 §4.3) for this request and answers the thumbprint (RFC 7638)
 * of the key it proves. The `jti` is claimed last, across isolates, for as long as the proof
 * could be accepted: a proof is good for one request. Throws DpopRejected.
 */
export async function verifyDpopProof(
  deps: DpopDeps,
  proof: string | undefined,
  expect: ProofExpectation,
): Promise<{ jkt: string }> {
  if (!proof) return refuse("the DPoP header is missing");
  // Several DPoP headers arrive joined by commas, which a JWS never holds.
  if (proof.includes(",")) return refuse("exactly one DPoP header is allowed");
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    return refuse("not a JWS in compact serialization");
  }
  if (header.typ !== "dpop+jwt") return refuse('typ must be "dpop+jwt"');
  const alg = DPOP_ALGS.find((a) => a === header.alg);
  if (!alg) return refuse(`alg must be one of ${DPOP_ALGS.join(", ")}`);
  const jwk = header.jwk as JWK | undefined;
  if (!jwk || typeof jwk !== "object") return refuse("the jwk header is missing");
  if (PRIVATE_MEMBERS.some((m) => m in jwk)) return refuse("the jwk header must hold a public key only");

  let key: CryptoKey | Uint8Array;
  let jkt: string;
  try {
    ({ key, jkt } = await importedKey(jwk, alg));
  } catch {
    return refuse(`the jwk header is not a public key for ${alg}`);
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(proof, key, {
      algorithms: [alg],
      typ: "dpop+jwt",
      requiredClaims: ["jti", "htm", "htu", "iat"],
      ...(expect.now !== undefined ? { currentDate: new Date(expect.now) } : {}),
    }));
  } catch (err) {
    return refuse(
      err instanceof errors.JWSSignatureVerificationFailed
        ? "the signature does not verify"
        : "malformed proof",
    );
  }

  const { jti, htm, htu, iat, ath, nonce } = payload;
  if (typeof jti !== "string" || jti.length < 8 || jti.length > 256)
    return refuse("jti must be 8–256 characters");
  if (htm !== expect.method) return refuse(`htm must be ${expect.method}`);
  if (typeof htu !== "string" || htuOf(htu) === undefined || htuOf(htu) !== htuOf(expect.url)) {
    return refuse(`htu must be ${htuOf(expect.url)}`);
  }
  const { DPOP_PROOF_MAX_AGE_SECONDS: maxAge, DPOP_PROOF_MAX_SKEW_SECONDS: skew } = deps.config;
  const nowSec = (expect.now ?? Date.now()) / 1000;
  if (typeof iat !== "number" || iat < nowSec - maxAge || iat > nowSec + skew) {
    return refuse(`iat must be within ${maxAge} s before and ${skew} s after the server's time`);
  }
  if (expect.accessToken !== undefined) {
    if (ath !== (await accessTokenHash(expect.accessToken)))
      return refuse("ath must be the base64url SHA-256 of the access token");
  }
  if (expect.nonce) {
    if (typeof nonce !== "string" || !(await expect.nonce(nonce))) {
      throw new DpopRejected("use_nonce", "Send the server's DPoP-Nonce in the proof's nonce claim");
    }
  }

  // Remembered until the proof's iat leaves the window: after that the iat check refuses it anyway.
  const untilMs = (iat + maxAge + skew) * 1000;
  if (!(await claimJti(deps.env, expect.clientId, "dpop", jti, untilMs))) {
    throw new DpopRejected("replayed", "the proof was used already: make a fresh proof for every request");
  }
  return { jkt };
}
