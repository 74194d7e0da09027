import type { Config } from "../../platform/env";
import { derivedHmacKey } from "../../platform/lib/derived-key";
import { b64url, constantTimeTextEqual } from "../../platform/lib/secret-hash";
import { OAuthError } from "../../platform/oauth-error";
import { type DpopDeps, DpopRejected, verifyDpopProof } from "./dpop";
import type { ClientRequest } from "./types";

/** A nonce lives for the window it was made in and the next one: 5 to 10 minutes. */
const WINDOW_MS = 300_000;

/**
 * The nonces are stateless: an HMAC of the time window under a key derived from the active
 * signing key, so every isolate makes and checks the same nonce without storage. Rotating the
 * signing key changes the nonces, and a client simply gets a new one (use_dpop_nonce).
 */
function nonceKey(config: Config): Promise<CryptoKey> {
  const [active] = config.JWT_SIGNING_KEYS;
  if (!active?.d) throw new Error("no signing key");
  // derivedHmacKey takes standard, padded base64; a JWK's `d` is unpadded base64url.
  const b64 = active.d.replace(/-/g, "+").replace(/_/g, "/");
  return derivedHmacKey(b64.padEnd(Math.ceil(b64.length / 4) * 4, "="), `dpop-nonce:${config.ENVIRONMENT}`);
}

async function nonceOfWindow(config: Config, window: number): Promise<string> {
  const label = window.toString(36);
  const mac = await crypto.subtle.sign("HMAC", await nonceKey(config), new TextEncoder().encode(label));
  return `${label}.${b64url(new Uint8Array(mac)).slice(0, 22)}`;
}

/** The nonce to hand out now (`DPoP-Nonce`, RFC 9449 §8). */
export function currentDpopNonce(config: Config, now = Date.now()): Promise<string> {
  return nonceOfWindow(config, Math.floor(now / WINDOW_MS));
}

/** True for a nonce of the current or the previous window. */
export async function isDpopNonce(config: Config, nonce: string, now = Date.now()): Promise<boolean> {
  const window = Math.floor(now / WINDOW_MS);
  const label = Number.parseInt(nonce.split(".")[0] ?? "", 36);
  if (label !== window && label !== window - 1) return false;
  return constantTimeTextEqual(nonce, await nonceOfWindow(config, label));
}

/**
 * The DPoP proof of a request to an authorization-server endpoint (token, PAR): verified, with the
 * server's nonce required. Answers the key's thumbprint; refuses with `use_dpop_nonce` (a fresh
 * `DPoP-Nonce` on the answer) or `invalid_dpop_proof`, both 400 (RFC 9449 §5, §8).
 */
export async function requireDpopNonce(
  deps: DpopDeps,
  request: Pick<ClientRequest, "method" | "url" | "dpop">,
  clientId: string,
): Promise<{ jkt: string }> {
  try {
    return await verifyDpopProof(deps, request.dpop, {
      method: request.method,
      url: request.url,
      clientId,
      nonce: (nonce) => isDpopNonce(deps.config, nonce),
    });
  } catch (err) {
    if (!(err instanceof DpopRejected)) throw err;
    const headers = { "DPoP-Nonce": await currentDpopNonce(deps.config) };
    if (err.failure === "use_nonce")
      throw new OAuthError("use_dpop_nonce", err.description, 400, undefined, headers);
    throw new OAuthError(
      "invalid_dpop_proof",
      `The DPoP proof is invalid: ${err.description}`,
      400,
      undefined,
      headers,
    );
  }
}
