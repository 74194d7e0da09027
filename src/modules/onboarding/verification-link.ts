import { derivedHmacKey } from "../../platform/lib/derived-key";
import { randomToken } from "../../platform/lib/random";
import { b64url, constantTimeTextEqual } from "../../platform/lib/secret-hash";

/**
 * The email verification link's token: `<registration id>.<expiry, unix seconds>.<nonce>.<mac>`,
 * the MAC an HMAC-SHA256 over the registration, its email, the expiry and the nonce, with a key
 * derived from the platform's data key for this use alone. The nonce is stored with the
 * registration and cleared when the link is used: one use.
 */
const INFO = "portico/onboarding/email-verification/v1";
const enc = new TextEncoder();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const newNonce = () => randomToken(16);

async function mac(dataKey: string, registrationId: string, email: string, expires: number, nonce: string) {
  const key = await derivedHmacKey(dataKey, INFO);
  const message = `v1|${registrationId}|${email}|${expires}|${nonce}`;
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(message)));
}

export async function signVerificationToken(
  dataKey: string,
  link: { registrationId: string; email: string; expiresAt: string; nonce: string },
): Promise<string> {
  const expires = Math.floor(Date.parse(link.expiresAt) / 1000);
  const tag = await mac(dataKey, link.registrationId, link.email, expires, link.nonce);
  return `${link.registrationId}.${expires}.${link.nonce}.${b64url(tag)}`;
}

export interface ParsedToken {
  registrationId: string;
  expires: number;
  nonce: string;
  tag: string;
}

/** The token's parts; undefined when it is not shaped like one. */
export function parseVerificationToken(token: string): ParsedToken | undefined {
  const parts = token.split(".");
  if (parts.length !== 4) return undefined;
  const [registrationId = "", expires = "", nonce = "", tag = ""] = parts;
  if (!UUID.test(registrationId) || !/^\d{1,12}$/.test(expires)) return undefined;
  if (!/^[A-Za-z0-9_-]{22}$/.test(nonce) || !/^[A-Za-z0-9_-]{43}$/.test(tag)) return undefined;
  return { registrationId, expires: Number(expires), nonce, tag };
}

/** Whether the token's MAC is the one for this registration's email, compared in constant time. */
export async function tokenMacValid(dataKey: string, token: ParsedToken, email: string): Promise<boolean> {
  const expected = b64url(await mac(dataKey, token.registrationId, email, token.expires, token.nonce));
  return constantTimeTextEqual(token.tag, expected);
}
