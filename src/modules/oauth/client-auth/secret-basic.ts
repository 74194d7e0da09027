import type { Db } from "../../../platform/db/client";
import { verifySecret } from "../../../platform/lib/secret-hash";
import { OAuthError } from "../../../platform/oauth-error";
import { credentialCache } from "../../partners/profile";
import { findCredential } from "../../partners/storage";

export interface ClientCredentials {
  key: string;
  secret: string;
}

export const AUTH_REQUIRED =
  "Client authentication required: Authorization: Basic base64(consumer_key:consumer_secret)";

/** application/x-www-form-urlencoded decoding of one value; undefined for a malformed escape. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/**
 * The credentials a Basic header may carry, in the order to try them. RFC 6749 §2.3.1 has the
 * client form-encode id and secret before Base64 (standard clients do: `ck_` arrives as
 * `ck%5F`), so the decoded pair comes first; many partners send them raw, and a raw secret may
 * hold `%` or `+`, so the raw pair follows when it differs (or is the only one, when decoding fails).
 */
export function parseBasic(header: string | undefined): ClientCredentials[] {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  let decoded = "";
  try {
    // RFC 7617 §2.1: the user-pass is UTF-8, so the bytes are decoded, not read as Latin-1.
    decoded = match?.[1]
      ? new TextDecoder().decode(Uint8Array.from(atob(match[1]), (ch) => ch.charCodeAt(0)))
      : "";
  } catch {
    decoded = "";
  }
  // Form-encoding turns a `:` into %3A, so the first colon separates id and secret either way.
  const colon = decoded.indexOf(":");
  if (colon <= 0) throw new OAuthError("invalid_client", AUTH_REQUIRED);
  const raw = { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  const key = formDecode(raw.key);
  const secret = formDecode(raw.secret);
  if (key === undefined || secret === undefined) return [raw];
  if (key === raw.key && secret === raw.secret) return [raw];
  return [{ key, secret }, raw];
}

/**
 * The first candidate whose key is known and whose secret verifies. Both come from the one header,
 * so a caller gets at most two guesses per request (and only by sending `%` or `+`); each
 * comparison stays constant-time, and an unknown key costs a decoy verification like a known one.
 */
export async function authenticateSecret(db: Db, candidates: ClientCredentials[], ttlMs: number) {
  for (const candidate of candidates) {
    const found = await credentialCache.get(candidate.key, ttlMs, (key) => findCredential(db, key));
    const secretOk = await verifySecret(candidate.secret, found?.credential.secretHash, "key");
    if (found && secretOk) return { key: candidate.key, found };
  }
  return undefined;
}
