// Hashing of credentials at rest. Pure WebCrypto with no imports, so the provisioning
// scripts (plain Node) and the Worker share this one implementation.

const PBKDF2_ITERATIONS = 100_000; // the Workers runtime's maximum for PBKDF2
const enc = new TextEncoder();

/** Unpadded base64url. */
export const b64url = (bytes: Uint8Array) => {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};
const fromB64url = (s: string) => {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};

async function pbkdf2(secret: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

async function sha256(secret: string, salt: Uint8Array): Promise<Uint8Array> {
  const data = new Uint8Array(salt.length + secret.length * 3);
  data.set(salt);
  const written = enc.encodeInto(secret, data.subarray(salt.length)).written;
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data.subarray(0, salt.length + written)));
}

/**
 * `password`: user passwords (low entropy) get PBKDF2-SHA256.
 * `key`: consumer secrets we generate (≥ 256 random bits) get salted SHA-256; a slow hash
 * adds nothing to a secret that cannot be guessed, and the token endpoint stays fast.
 */
export async function hashSecret(secret: string, kind: "password" | "key"): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  if (kind === "password") {
    return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${b64url(salt)}$${b64url(await pbkdf2(secret, salt, PBKDF2_ITERATIONS))}`;
  }
  return `sha256$${b64url(salt)}$${b64url(await sha256(secret, salt))}`;
}

/** Compares in constant time with respect to the secret's content. */
/** Two strings (tokens, MACs as text) compared in constant time; an absent one never matches. */
export function constantTimeTextEqual(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const enc = new TextEncoder();
  return constantTimeEqual(enc.encode(given), enc.encode(expected));
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const subtle = crypto.subtle as typeof crypto.subtle & {
    timingSafeEqual?: (x: Uint8Array, y: Uint8Array) => boolean;
  };
  if (typeof subtle.timingSafeEqual === "function") return subtle.timingSafeEqual(a, b);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

// Verified against when the user or key is unknown, so both paths cost the same.
const DECOY = {
  password: `pbkdf2-sha256$${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
  key: "sha256$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
};

export async function verifySecret(
  secret: string,
  stored: string | undefined,
  kind: "password" | "key",
): Promise<boolean> {
  const parts = (stored ?? DECOY[kind]).split("$");
  let expected: Uint8Array;
  let actual: Uint8Array;
  if (parts[0] === "pbkdf2-sha256" && parts.length === 4) {
    const iterations = Number(parts[1]);
    if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) return false;
    expected = fromB64url(parts[3] ?? "");
    actual = await pbkdf2(secret, fromB64url(parts[2] ?? ""), iterations);
  } else if (parts[0] === "sha256" && parts.length === 3) {
    expected = fromB64url(parts[2] ?? "");
    actual = await sha256(secret, fromB64url(parts[1] ?? ""));
  } else {
    return false;
  }
  return constantTimeEqual(actual, expected) && stored !== undefined;
}
