// DPoP for the bench (RFC 9449): one ES256 key, a fresh proof per request, signed synchronously
// with node:crypto so autocannon can sign inside its per-request hook.
import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from "node:crypto";

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export interface DpopSigner {
  /** A proof for `method` on `htu` (no query), with `ath` of `accessToken` and the `nonce` when given. */
  proof(method: string, htu: string, opts?: { accessToken?: string; nonce?: string }): string;
}

export function dpopSigner(): DpopSigner {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const { kty, crv, x, y } = publicKey.export({ format: "jwk" });
  const header = b64url(JSON.stringify({ typ: "dpop+jwt", alg: "ES256", jwk: { kty, crv, x, y } }));
  const key: KeyObject = privateKey;
  const athOf = new Map<string, string>();
  return {
    proof(method, htu, opts = {}) {
      let ath: string | undefined;
      if (opts.accessToken !== undefined) {
        ath = athOf.get(opts.accessToken) ?? b64url(createHash("sha256").update(opts.accessToken).digest());
        athOf.set(opts.accessToken, ath);
      }
      const payload = b64url(
        JSON.stringify({
          jti: randomUUID(),
          htm: method,
          htu,
          iat: Math.floor(Date.now() / 1000),
          ...(ath ? { ath } : {}),
          ...(opts.nonce ? { nonce: opts.nonce } : {}),
        }),
      );
      const input = `${header}.${payload}`;
      const signature = sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });
      return `${input}.${b64url(signature)}`;
    },
  };
}

/**
 * A DPoP-bound client_credentials token from the gateway: learns the URL the Worker sees (the
 * proof's `htu` must be it; `wrangler dev` may rewrite the host) from a proof with a wrong one,
 * then does the nonce dance. Answers the token and the origin to put in `htu`.
 */
export async function fetchDpopToken(
  gatewayUrl: string,
  basicAuth: string,
  signer: DpopSigner,
): Promise<{ token: string; origin: string }> {
  const post = async (dpop: string) => {
    const res = await fetch(`${gatewayUrl}/oauth2/token`, {
      method: "POST",
      headers: { Authorization: basicAuth, "Content-Type": "application/x-www-form-urlencoded", DPoP: dpop },
      body: "grant_type=client_credentials",
      signal: AbortSignal.timeout(10_000),
    });
    return { res, body: (await res.json()) as Record<string, unknown> };
  };
  const probe = await post(signer.proof("POST", "http://htu.invalid/oauth2/token"));
  const expected = /htu must be (\S+)/.exec(String(probe.body.error_description))?.[1];
  if (!expected) throw new Error(`could not learn the token endpoint's URL: ${JSON.stringify(probe.body)}`);
  const origin = new URL(expected).origin;
  const first = await post(signer.proof("POST", expected));
  const nonce = first.res.headers.get("DPoP-Nonce") ?? undefined;
  const second = await post(signer.proof("POST", expected, { nonce }));
  const token = second.body.access_token;
  if (typeof token !== "string" || second.body.token_type !== "DPoP")
    throw new Error(`no DPoP token: HTTP ${second.res.status} ${JSON.stringify(second.body)}`);
  return { token, origin };
}
