import { toHex } from "../../../platform/lib/ids";
import { constantTimeTextEqual } from "../../../platform/lib/secret-hash";

/** The header signing every message of the HTTP acquirer protocol, both ways (docs/acquirer-http.md). */
export const ACQUIRER_SIGNATURE_HEADER = "Portico-Acquirer-Signature";
/** A signature older or newer than this (seconds) is refused: a replayed message goes stale. */
export const ACQUIRER_SIGNATURE_TOLERANCE_S = 300;

const hmacHex = async (secret: string, message: string) => {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message))));
};

/** `t=<unix seconds>,v1=<hex of HMAC-SHA256(secret, t + "." + body)>`; `body` is "" for a GET. */
export async function signAcquirerMessage(secret: string, body: string, nowMs: number): Promise<string> {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${await hmacHex(secret, `${t}.${body}`)}`;
}

/** Whether `header` signs `body` with `secret`, within the tolerance of `nowMs`; compared in constant time. */
export async function verifyAcquirerSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  nowMs: number,
): Promise<boolean> {
  if (!header) return false;
  const parts = new Map(
    header.split(",").map((p) => {
      const at = p.indexOf("=");
      return [p.slice(0, at).trim(), p.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1");
  if (!Number.isInteger(t) || !v1) return false;
  if (Math.abs(nowMs / 1000 - t) > ACQUIRER_SIGNATURE_TOLERANCE_S) return false;
  return constantTimeTextEqual(v1, await hmacHex(secret, `${t}.${body}`));
}
