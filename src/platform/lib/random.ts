import { b64url } from "./secret-hash";

/** `bytes` random bytes as unpadded base64url. */
export function randomToken(bytes: number): string {
  return b64url(crypto.getRandomValues(new Uint8Array(bytes)));
}
