import { minimise } from "../../platform/data-access";
import { redactText } from "../../platform/lib/logger";
import { withoutSecrets } from "../admin/redact";
import { MAX_BODY_BYTES } from "./model";

/**
 * What the sandbox's request log keeps of a body (docs/usage.md): the same layers that guard the
 * answers, the audit log and the log lines, applied together at any depth. Personal fields the
 * partner's licence does not cover are masked as the minimisation layer masks them; members
 * named like secrets, hashes, tokens and passwords are `[REDACTED]` (as in the admin audit log);
 * card data by name (a card number, CVV/CVC, an SMS code) is `[REDACTED]`, and any text holding a
 * card-number-like digit run has it replaced, as the logger does.
 */

const CARD_DATA = /^(pan|card_?number|cvv2?|cvc2?|security_code|pin)$/i;
/** A one-time code: a short digit string under such a name (`code` strings of other shapes are reasons). */
const ONE_TIME_CODE_KEY = /^(code|otp|sms_code)$/i;
const ONE_TIME_CODE = /^\d{4,8}$/;

export const REDACTED = "[REDACTED]";

function withoutCardData(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(withoutCardData);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const oneTimeCode = ONE_TIME_CODE_KEY.test(key) && typeof inner === "string" && ONE_TIME_CODE.test(inner);
    out[key] = CARD_DATA.test(key) || oneTimeCode ? REDACTED : withoutCardData(inner);
  }
  return out;
}

/** A JSON value with everything the log must never hold taken out. */
export function redactBody(value: unknown, licensed: readonly string[]): unknown {
  return withoutCardData(withoutSecrets(minimise(value, new Set(licensed))));
}

/** What is kept of a body: its redacted JSON, cut at MAX_BODY_BYTES; none when empty or not JSON. */
export interface KeptBody {
  body: string | null;
  truncated: boolean;
}

export function keptBody(text: string | undefined, licensed: readonly string[]): KeptBody {
  if (text === undefined || text.trim() === "") return { body: null, truncated: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Text that is not JSON cannot be redacted field by field: none of it is kept.
    return { body: null, truncated: false };
  }
  return capped(JSON.stringify(redactBody(parsed, licensed)));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** At most MAX_BODY_BYTES of UTF-8, cut at a character boundary. */
export function capped(text: string, max = MAX_BODY_BYTES): KeptBody {
  // A UTF-16 unit is at most 3 bytes of UTF-8: a text this short fits without encoding it.
  if (text.length * 3 <= max) return { body: text, truncated: false };
  const bytes = encoder.encode(text);
  if (bytes.length <= max) return { body: text, truncated: false };
  let end = max;
  // Back off continuation bytes (10xxxxxx) so the cut never splits a character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return { body: decoder.decode(bytes.subarray(0, end)), truncated: true };
}
