const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const b of bytes) hex += HEX[b];
  return hex;
}

/** Lower-case hex of the SHA-256 of a text: how a token is found by its hash, never stored itself. */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

// Ids draw their randomness from a pool filled 4 KiB at a time: one call into the CSPRNG per
// 256 ids instead of one per id (every byte is still used once).
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let poolAt = 0;

function randomBytes16(): Uint8Array {
  if (poolAt + 16 > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    poolAt = 0;
  }
  const bytes = pool.slice(poolAt, poolAt + 16);
  poolAt += 16;
  return bytes;
}

/**
 * UUID v7 (RFC 9562): 48-bit millisecond timestamp, then randomness, so ids sort by time.
 * `filler` (16 bytes) replaces the randomness where an id must be derived, not drawn.
 */
export function uuidv7(now: number = Date.now(), filler?: Uint8Array): string {
  const bytes = filler ? filler.slice(0, 16) : randomBytes16();
  let ts = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ts % 256;
    ts = Math.floor(ts / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/** Caller-supplied request ids are kept when they are short and printable. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
export const isWellFormedRequestId = (value: string) => REQUEST_ID.test(value);

/**
 * An Idempotency-Key's scope: environment, partner and key. The key's own record and the objects a
 * keyed request creates are all named from it, so duplicates of one request meet in one place.
 */
export const idempotencyScope = (environment: string, partnerId: string, key: string) =>
  `${environment}:${partnerId}:${key}`;
