import { toHex } from "./ids";
import { constantTimeTextEqual } from "./secret-hash";

/** The header signing every message of the HTTP acquirer protocol, both ways (docs/acquirer-http.md). */
export const ACQUIRER_SIGNATURE_HEADER = "Portico-Acquirer-Signature";
/** A signature older or newer than this (seconds) is refused: a replayed message goes stale. */
export const ACQUIRER_SIGNATURE_TOLERANCE_S = 300;

export const hmacHex = async (secret: string, message: string) => {
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

/**
 * Whether `header` signs `body` with `secret` (compared in constant time), and if so whether it
 * is within the tolerance of `nowMs`: `invalid` (missing, malformed or not this body's) or `stale`.
 */
export async function checkAcquirerSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  nowMs: number,
): Promise<"ok" | "invalid" | "stale"> {
  const parts = new Map(
    (header ?? "").split(",").map((p) => {
      const at = p.indexOf("=");
      return [p.slice(0, at).trim(), p.slice(at + 1).trim()] as const;
    }),
  );
  const t = parts.get("t") ?? "";
  const v1 = parts.get("v1");
  if (!/^\d{1,12}$/.test(t) || !v1) return "invalid";
  if (!constantTimeTextEqual(v1.toLowerCase(), await hmacHex(secret, `${t}.${body}`))) return "invalid";
  return Math.abs(nowMs / 1000 - Number(t)) > ACQUIRER_SIGNATURE_TOLERANCE_S ? "stale" : "ok";
}

/** Whether `header` signs `body` with `secret`, within the tolerance of `nowMs`. */
export const verifyAcquirerSignature = async (
  secret: string,
  header: string | null | undefined,
  body: string,
  nowMs: number,
) => (await checkAcquirerSignature(secret, header, body, nowMs)) === "ok";
