// Encryption at rest for secrets we must be able to use again (webhook signing secrets), which
// therefore cannot be hashed like credentials (see secret-hash.ts). AES-256-GCM with a random
// 12-byte IV under a key held as a Worker secret (e.g. env.WEBHOOK_SECRETS_KEY: base64 of 32 bytes).
// Pure WebCrypto, so provisioning scripts (plain Node) can use it too.
//
// Sealed form: `v1.<base64url iv>.<base64url ciphertext‖16-byte tag>`, unpadded.

import { b64url } from "./secret-hash";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

const enc = new TextEncoder();
// ignoreBOM: a leading BOM is kept, so that open(seal(x)) === x.
const dec = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Standard (padded) base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/**
 * Bytes of base64 in either alphabet (standard or url-safe), padded or not.
 * Throws on characters outside the alphabet; the message never echoes the input.
 */
export function fromBase64(text: string): Uint8Array {
  let bin: string;
  try {
    bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    throw new Error("invalid base64");
  }
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** A fresh secret-box key: standard base64 of 32 random bytes (store it as a Worker secret). */
export function newSecretBoxKey(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
}

// Imported keys, by their base64 text. A Worker normally holds one (two during a key rotation).
const keyCache = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_MAX = 4;

function aesKey(keyB64: string): Promise<CryptoKey> {
  const cached = keyCache.get(keyB64);
  if (cached) return cached;
  let raw: Uint8Array;
  try {
    raw = fromBase64(keyB64.trim());
  } catch {
    throw new Error("secret-box: the key is not base64");
  }
  if (raw.length !== KEY_BYTES) throw new Error(`secret-box: the key must be base64 of ${KEY_BYTES} bytes`);
  const imported = crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
  keyCache.set(keyB64, imported);
  imported.catch(() => keyCache.delete(keyB64));
  return imported;
}

const additionalData = (context: string | undefined) => enc.encode(`${VERSION}:${context ?? ""}`);

/**
 * Encrypts `plaintext` under `keyB64`. `context` (optional, e.g. the webhook endpoint id) is bound
 * as associated data: the sealed text then opens only with the same context, so a sealed secret
 * copied onto another row does not open there.
 */
export async function sealSecret(plaintext: string, keyB64: string, context?: string): Promise<string> {
  const key = await aesKey(keyB64);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(context), tagLength: TAG_BYTES * 8 },
    key,
    enc.encode(plaintext),
  );
  return `${VERSION}.${b64url(iv)}.${b64url(new Uint8Array(ciphertext))}`;
}

/**
 * Decrypts what `sealSecret` produced. Throws an Error (whose message holds neither the key nor
 * the text) when the text is malformed, the key or context differs, or the text was altered.
 */
export async function openSecret(sealed: string, keyB64: string, context?: string): Promise<string> {
  const parts = sealed.split(".");
  if (parts.length !== 3 || parts[0] !== VERSION) {
    throw new Error(`secret-box: not a sealed secret (expected ${VERSION}.<iv>.<ciphertext>)`);
  }
  let iv: Uint8Array;
  let ciphertext: Uint8Array;
  try {
    iv = fromBase64(parts[1] ?? "");
    ciphertext = fromBase64(parts[2] ?? "");
  } catch {
    throw new Error("secret-box: sealed secret is not valid base64url");
  }
  if (iv.length !== IV_BYTES || ciphertext.length < TAG_BYTES) {
    throw new Error("secret-box: sealed secret has the wrong length");
  }
  const key = await aesKey(keyB64);
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: additionalData(context), tagLength: TAG_BYTES * 8 },
      key,
      ciphertext,
    );
  } catch {
    throw new Error("secret-box: cannot open sealed secret (wrong key or context, or the text was altered)");
  }
  try {
    return dec.decode(plaintext);
  } catch {
    throw new Error("secret-box: sealed secret is not UTF-8");
  }
}
