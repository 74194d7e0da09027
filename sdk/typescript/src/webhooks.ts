// Verifying a webhook delivery (docs/webhooks.md, Verifying a delivery): Standard Webhooks signatures
// over `<webhook-id>.<webhook-timestamp>.<raw body>`, `v1` (HMAC-SHA256, whsec_ secrets) or `v1a`
// (Ed25519, whpk_ public keys), checked by WebCrypto's verify, which compares in constant time.
import type { WebhookEvent } from "./types.js";

export type WebhookFailure =
  | "missing_header"
  | "invalid_timestamp"
  | "timestamp_out_of_tolerance"
  | "invalid_secret"
  | "invalid_signature"
  | "invalid_payload";

/** A delivery that must not be trusted: answer it 4xx (or drop it) and do not act on it. */
export class WebhookVerificationError extends Error {
  override name = "WebhookVerificationError";
  constructor(
    readonly reason: WebhookFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The delivery's headers: a Headers, or a plain record such as Node's `req.headers`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** How far `webhook-timestamp` may be from this clock, in seconds. Default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** The clock, Unix ms. Default `Date.now()`. */
  now?: number;
}

const SYMMETRIC = "whsec_";
const PUBLIC_KEY = "whpk_";
const encoder = new TextEncoder();

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value.join(" ") : value;
}

type Bytes = Uint8Array<ArrayBuffer>;

function fromBase64(text: string): Bytes | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function bytesOf(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === "string") return encoder.encode(body);
  return body instanceof Uint8Array ? body : new Uint8Array(body);
}

// Named through crypto.subtle, so the same source type-checks with the DOM's types and with Node's.
type Key = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
type Algorithm = Parameters<typeof crypto.subtle.verify>[0];

interface Verifier {
  version: "v1" | "v1a";
  key: Key;
  algorithm: Algorithm;
}

async function verifierFor(secret: string): Promise<Verifier> {
  const invalid = () =>
    new WebhookVerificationError(
      "invalid_secret",
      "the secret must be the endpoint's whsec_ secret or its whpk_ public key",
    );
  const bytes = secret.startsWith(SYMMETRIC)
    ? fromBase64(secret.slice(SYMMETRIC.length))
    : secret.startsWith(PUBLIC_KEY)
      ? fromBase64(secret.slice(PUBLIC_KEY.length))
      : undefined;
  if (!bytes || bytes.length === 0) throw invalid();
  if (secret.startsWith(SYMMETRIC)) {
    const algorithm = { name: "HMAC", hash: "SHA-256" };
    return {
      version: "v1",
      algorithm,
      key: await crypto.subtle.importKey("raw", bytes, algorithm, false, ["verify"]),
    };
  }
  if (bytes.length !== 32) throw invalid();
  const algorithm = { name: "Ed25519" };
  return {
    version: "v1a",
    algorithm,
    key: await crypto.subtle.importKey("raw", bytes, algorithm, false, ["verify"]),
  };
}

async function verifies(v: Verifier, signature: Bytes, content: Bytes): Promise<boolean> {
  try {
    return await crypto.subtle.verify(v.algorithm, v.key, signature, content);
  } catch {
    // A runtime may refuse a signature of the wrong length instead of answering false.
    return false;
  }
}

/**
 * Checks a delivery and answers its event. `secret` is the endpoint's `whsec_…` secret (or, for an
 * `ed25519` endpoint, its `whpk_…` public key); give several during a rotation. `rawBody` is the body
 * exactly as received, before any JSON parsing. Throws WebhookVerificationError when a header is
 * missing, the timestamp is outside the tolerance, or no signature verifies.
 */
export async function verifyWebhook(
  secret: string | readonly string[],
  headers: WebhookHeaders,
  rawBody: string | Uint8Array | ArrayBuffer,
  options: VerifyOptions = {},
): Promise<WebhookEvent> {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError(
      "missing_header",
      "a delivery carries webhook-id, webhook-timestamp and webhook-signature",
    );
  }
  if (!/^\d{1,12}$/.test(timestamp))
    throw new WebhookVerificationError("invalid_timestamp", "webhook-timestamp is not Unix seconds");
  const tolerance = options.toleranceSeconds ?? 300;
  const now = (options.now ?? Date.now()) / 1000;
  if (Math.abs(now - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError(
      "timestamp_out_of_tolerance",
      `webhook-timestamp is more than ${tolerance} s from this clock`,
    );
  }

  const body = bytesOf(rawBody);
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);

  const secrets = typeof secret === "string" ? [secret] : secret;
  if (secrets.length === 0) throw new WebhookVerificationError("invalid_secret", "no secret to verify with");
  const verifiers = await Promise.all(secrets.map(verifierFor));
  let verified = false;
  for (const entry of signatures.split(" ")) {
    const comma = entry.indexOf(",");
    const version = entry.slice(0, comma);
    const signature = comma > 0 ? fromBase64(entry.slice(comma + 1)) : undefined;
    if (!signature) continue;
    for (const v of verifiers) {
      if (v.version === version && (await verifies(v, signature, content))) verified = true;
    }
  }
  if (!verified)
    throw new WebhookVerificationError("invalid_signature", "no signature of the delivery verifies");

  try {
    return JSON.parse(new TextDecoder().decode(body)) as WebhookEvent;
  } catch {
    throw new WebhookVerificationError("invalid_payload", "the signed body is not JSON");
  }
}
