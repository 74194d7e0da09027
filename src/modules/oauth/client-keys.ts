import { importJWK, type JSONWebKeySet, type JWK } from "jose";

/** The signing algorithms a client assertion may use (FAPI 2.0 §5.4): never `none`, HMAC or RS256. */
export const ASSERTION_ALGS = ["ES256", "PS256", "EdDSA"] as const;
export type AssertionAlg = (typeof ASSERTION_ALGS)[number];

/** At most this many keys in a registration or a fetched `jwks_uri` document. */
export const MAX_CLIENT_KEYS = 10;

/** Members only a private or symmetric key has: a registration holding one is refused, not trimmed. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

/** Each key type the allow-list takes, with its curve and the one algorithm it may sign with. */
const KEY_TYPES: Record<string, { crv?: string; alg: AssertionAlg; members: readonly string[] }> = {
  EC: { crv: "P-256", alg: "ES256", members: ["crv", "x", "y"] },
  RSA: { alg: "PS256", members: ["n", "e"] },
  OKP: { crv: "Ed25519", alg: "EdDSA", members: ["crv", "x"] },
};

const MIN_RSA_BITS = 2048;

export type KeyCheck = { ok: true; jwks: JSONWebKeySet } | { ok: false; detail: string };

/**
 * Checks a JWKS a client registers (or its `jwks_uri` serves): public signature keys only, of an
 * allowed type and curve, each with a distinct `kid`, at most ten. The keys come back with only
 * their public members, so nothing else a document carried is ever stored or trusted.
 */
export async function checkPublicKeys(value: unknown): Promise<KeyCheck> {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return { ok: false, detail: "jwks must be an object with a keys array" };
  if (keys.length === 0) return { ok: false, detail: "jwks holds no key" };
  if (keys.length > MAX_CLIENT_KEYS)
    return { ok: false, detail: `jwks holds more than ${MAX_CLIENT_KEYS} keys` };
  const kids = new Set<string>();
  const out: JWK[] = [];
  for (const [i, raw] of keys.entries()) {
    const refuse = (why: string): KeyCheck => ({ ok: false, detail: `keys[${i}]: ${why}` });
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return refuse("not an object");
    const key = raw as Record<string, unknown>;
    const leaked = PRIVATE_MEMBERS.find((m) => m in key);
    if (leaked) return refuse(`holds the private or symmetric member "${leaked}": register public keys only`);
    const type = typeof key.kty === "string" ? KEY_TYPES[key.kty] : undefined;
    if (!type) return refuse(`kty must be one of ${Object.keys(KEY_TYPES).join(", ")}`);
    if (type.crv !== undefined && key.crv !== type.crv)
      return refuse(`a ${key.kty} key must be on ${type.crv}`);
    if (key.alg !== undefined && key.alg !== type.alg)
      return refuse(`a ${key.kty} key signs with ${type.alg} only`);
    if (key.use !== undefined && key.use !== "sig") return refuse('use must be "sig"');
    if (typeof key.kid !== "string" || key.kid.length === 0 || key.kid.length > 128)
      return refuse("kid is required (1–128 characters)");
    if (kids.has(key.kid)) return refuse(`kid ${key.kid} appears twice`);
    kids.add(key.kid);
    for (const m of type.members) if (typeof key[m] !== "string") return refuse(`${m} is required`);
    const jwk: JWK = { kty: key.kty as string, kid: key.kid, alg: type.alg, use: "sig" };
    for (const m of type.members) (jwk as Record<string, unknown>)[m] = key[m];
    if (key.kty === "RSA" && base64urlBits(String(key.n)) < MIN_RSA_BITS)
      return refuse(`an RSA key has at least ${MIN_RSA_BITS} bits`);
    try {
      await importJWK(jwk, type.alg);
    } catch {
      return refuse("is not a valid key");
    }
    out.push(jwk);
  }
  return { ok: true, jwks: { keys: out } };
}

/** The bit length of a base64url big-endian integer (an RSA modulus); 0 when it is not base64url. */
function base64urlBits(value: string): number {
  let bytes: Uint8Array;
  try {
    const b64 = value.replace(/-/g, "+").replace(/_/g, "/");
    bytes = Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  } catch {
    return 0;
  }
  const start = bytes.findIndex((b) => b !== 0);
  if (start < 0) return 0;
  return (bytes.length - start - 1) * 8 + Math.floor(Math.log2(bytes[start] ?? 1)) + 1;
}
