import type { Db } from "../../platform/db/client";
import { sha256Hex } from "../../platform/lib/ids";
import { randomToken } from "../../platform/lib/random";
import { type CodeRow, consumeCode, findCode, insertCode } from "./storage";

/** How long a code lives (FAPI 2.0 §5.3.2.1: at most 60 seconds). */
export const CODE_TTL_SECONDS = 60;

export type NewCode = Omit<CodeRow, "codeHash" | "expiresAt" | "usedAt" | "grantId" | "createdAt">;

/** Issues a single-use code for an authorised consent; only its hash is stored. */
export async function issueCode(db: Db, code: NewCode, now = new Date()): Promise<string> {
  const value = randomToken(32);
  await insertCode(db, {
    ...code,
    codeHash: await sha256Hex(value),
    expiresAt: new Date(now.getTime() + CODE_TTL_SECONDS * 1000).toISOString(),
    usedAt: null,
    grantId: null,
    createdAt: now.toISOString(),
  });
  return value;
}

export type Redemption =
  | { ok: true; code: CodeRow }
  | { ok: false; reason: "unknown" | "expired" | "reused"; code?: CodeRow };

/**
 * Redeems a code once. A second use answers `reused` with the row (its `grantId`: what the first
 * exchange issued, to revoke); an unknown or expired code is refused the same way to the client.
 */
export async function redeemCode(db: Db, value: string, now = new Date()): Promise<Redemption> {
  const hash = await sha256Hex(value);
  const won = await consumeCode(db, hash, now.toISOString());
  if (won) return { ok: true, code: won };
  const row = await findCode(db, hash);
  if (!row) return { ok: false, reason: "unknown" };
  if (row.usedAt) return { ok: false, reason: "reused", code: row };
  return { ok: false, reason: "expired", code: row };
}
