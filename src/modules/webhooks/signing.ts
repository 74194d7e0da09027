// Webhook signatures per Standard Webhooks (https://www.standardwebhooks.com/), so partners can
// verify deliveries with any of that specification's libraries.
//
// Signed content: `${msgId}.${timestamp}.${body}` (UTF-8; timestamp in unix seconds).
//
// Secret formats (what a partner is shown; stored sealed, see lib/secret-box.ts):
//   whsec_<base64 of 24–64 random bytes>  symmetric; signs `v1,<base64 HMAC-SHA256>`.
//                                         We issue 32 bytes. The HMAC key is the decoded bytes.
//   whsk_<base64 of the 32-byte Ed25519 seed>  asymmetric private key (the RFC 8032 private key,
//                                         not PKCS8); signs `v1a,<base64 64-byte Ed25519 signature>`.
//                                         A 64-byte seed‖public-key (libsodium/Go form) is also read.
//   whpk_<base64 of the 32-byte raw Ed25519 public key>  what the partner verifies `v1a` with.
//
// Headers: webhook-id, webhook-timestamp, webhook-signature (space-separated signatures, one per
// signing secret, e.g. the new and the old secret during a rotation overlap).

import { fromBase64, toBase64 } from "../../platform/lib/secret-box";

export type WebhookHeaders = Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string>;

const SYMMETRIC_PREFIX = "whsec_";
const PRIVATE_PREFIX = "whsk_";
const PUBLIC_PREFIX = "whpk_";
const SYMMETRIC_BYTES = 32;
const SYMMETRIC_MIN_BYTES = 24;
const SYMMETRIC_MAX_BYTES = 64;
const ED25519_SEED_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;
// DER header of a PKCS8 Ed25519 private key (RFC 8410): SEQUENCE { version 0, AlgorithmIdentifier
// { 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }, followed by the 32-byte seed.
const PKCS8_ED25519_PREFIX = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);

const enc = new TextEncoder();

/** A new symmetric signing secret: `whsec_` + base64 of 32 random bytes. */
export function newSymmetricSecret(): string {
  return SYMMETRIC_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(SYMMETRIC_BYTES)));
}

/**
 * A new Ed25519 key pair: `secret` is `whsk_` + base64 of the 32-byte seed (the RFC 8032 private
 * key), `publicKey` is `whpk_` + base64 of the 32-byte raw public key.
 */
export async function newAsymmetricKeyPair(): Promise<{ secret: string; publicKey: string }> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const prefix = pkcs8.subarray(0, PKCS8_ED25519_PREFIX.length);
  if (
    pkcs8.length !== PKCS8_ED25519_PREFIX.length + ED25519_SEED_BYTES ||
    !prefix.every((b, i) => b === PKCS8_ED25519_PREFIX[i]) ||
    raw.length !== 32
  ) {
    throw new Error("webhook-signing: unexpected Ed25519 key encoding from the runtime");
  }
  return {
    secret: PRIVATE_PREFIX + toBase64(pkcs8.subarray(PKCS8_ED25519_PREFIX.length)),
    publicKey: PUBLIC_PREFIX + toBase64(raw),
  };
}

// Imported signing keys by secret; signing happens per delivery. Least recently used goes first.
const keyCache = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_MAX = 256;

function cachedKey(secret: string, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
  const hit = keyCache.get(secret);
  if (hit) {
    keyCache.delete(secret);
    keyCache.set(secret, hit);
    return hit;
  }
  const loaded = load();
  keyCache.set(secret, loaded);
  loaded.catch(() => keyCache.delete(secret));
  if (keyCache.size > KEY_CACHE_MAX) {
    const oldest = keyCache.keys().next();
    if (!oldest.done) keyCache.delete(oldest.value);
  }
  return loaded;
}

function decodeKeyMaterial(text: string, what: string): Uint8Array {
  try {
    return fromBase64(text);
  } catch {
    throw new Error(`webhook-signing: ${what} is not valid base64`);
  }
}

function hmacKey(secret: string): Promise<CryptoKey> {
  return cachedKey(secret, async () => {
    const bytes = decodeKeyMaterial(secret.slice(SYMMETRIC_PREFIX.length), "the whsec_ secret");
    if (bytes.length < SYMMETRIC_MIN_BYTES || bytes.length > SYMMETRIC_MAX_BYTES) {
      throw new Error(
        `webhook-signing: a whsec_ secret must hold ${SYMMETRIC_MIN_BYTES}–${SYMMETRIC_MAX_BYTES} bytes`,
      );
    }
    return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  });
}

function ed25519PrivateKey(secret: string): Promise<CryptoKey> {
  return cachedKey(secret, async () => {
    const bytes = decodeKeyMaterial(secret.slice(PRIVATE_PREFIX.length), "the whsk_ secret");
    if (bytes.length !== ED25519_SEED_BYTES && bytes.length !== 2 * ED25519_SEED_BYTES) {
      throw new Error("webhook-signing: a whsk_ secret must hold a 32-byte Ed25519 seed");
    }
    const pkcs8 = new Uint8Array(PKCS8_ED25519_PREFIX.length + ED25519_SEED_BYTES);
    pkcs8.set(PKCS8_ED25519_PREFIX);
    pkcs8.set(bytes.subarray(0, ED25519_SEED_BYTES), PKCS8_ED25519_PREFIX.length);
    return crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
  });
}

function signedContent(msgId: string, timestamp: number, body: string): Uint8Array {
  if (msgId === "" || msgId.includes(".")) {
    // The spec: ids must not contain "." or the signed content would be ambiguous.
    throw new Error("webhook-signing: the message id must be non-empty and contain no '.'");
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > 1e11) {
    throw new RangeError("webhook-signing: the timestamp must be whole unix seconds (not milliseconds)");
  }
  return enc.encode(`${msgId}.${timestamp}.${body}`);
}

/**
 * One versioned signature: `v1,<base64 HMAC-SHA256>` for a `whsec_` secret, `v1a,<base64
 * Ed25519>` for a `whsk_` secret. `timestamp` is unix seconds.
 */
export async function signatureFor(
  secret: string,
  msgId: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const content = signedContent(msgId, timestamp, body);
  if (secret.startsWith(SYMMETRIC_PREFIX)) {
    const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), content);
    return `v1,${toBase64(new Uint8Array(mac))}`;
  }
  if (secret.startsWith(PRIVATE_PREFIX)) {
    const sig = await crypto.subtle.sign({ name: "Ed25519" }, await ed25519PrivateKey(secret), content);
    return `v1a,${toBase64(new Uint8Array(sig))}`;
  }
  throw new Error("webhook-signing: a signing secret must start with whsec_ or whsk_");
}

/**
 * The three Standard Webhooks headers, with one signature per secret (space-separated, in the
 * given order): during a rotation overlap pass both the new and the old secret.
 */
export async function signHeaders(
  secrets: string[],
  msgId: string,
  timestamp: number,
  body: string,
): Promise<WebhookHeaders> {
  if (secrets.length === 0) throw new Error("webhook-signing: at least one signing secret is needed");
  const signatures = await Promise.all(secrets.map((s) => signatureFor(s, msgId, timestamp, body)));
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(" "),
  };
}

/**
 * True when some `v1a` signature in `signatureHeader` is a valid Ed25519 signature by `publicKey`
 * (`whpk_…`) of this message. Checks the signature only: a receiver must also check that the
 * timestamp is recent (Standard Webhooks libraries allow ±5 minutes) and dedupe on the id.
 */
export async function verifyEd25519(
  publicKey: string,
  msgId: string,
  timestamp: number,
  body: string,
  signatureHeader: string,
): Promise<boolean> {
  if (!publicKey.startsWith(PUBLIC_PREFIX))
    throw new Error("webhook-signing: a public key must start with whpk_");
  const raw = decodeKeyMaterial(publicKey.slice(PUBLIC_PREFIX.length), "the whpk_ public key");
  if (raw.length !== 32) throw new Error("webhook-signing: a whpk_ public key must hold 32 bytes");
  const key = await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
  let content: Uint8Array;
  try {
    content = signedContent(msgId, timestamp, body);
  } catch {
    return false;
  }
  for (const entry of signatureHeader.split(" ")) {
    if (!entry.startsWith("v1a,")) continue;
    let sig: Uint8Array;
    try {
      sig = fromBase64(entry.slice("v1a,".length));
    } catch {
      continue;
    }
    if (sig.length !== ED25519_SIGNATURE_BYTES) continue;
    if (await crypto.subtle.verify({ name: "Ed25519" }, key, sig, content)) return true;
  }
  return false;
}
