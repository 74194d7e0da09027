import type { Db } from "../../platform/db/client";
import { uuidv7 } from "../../platform/lib/ids";
import { randomToken } from "../../platform/lib/random";
import { insertKey, listKeys, liveKey, type PublishableKeyRow } from "./storage";

/** Publishable keys carry their environment, as consumer keys do: a key never crosses over. */
export const PUBLISHABLE_PREFIX = { sandbox: "pk_test_", production: "pk_live_" } as const;

/** Whether a bearer value is a publishable key (of either environment), by its shape alone. */
export const looksPublishable = (token: string) => /^pk_(test|live)_/.test(token);

/** How long a rotated key keeps working beside its successor, by default and at most. */
export const KEY_OVERLAP = { defaultSeconds: 24 * 3600, maxSeconds: 7 * 24 * 3600 } as const;

export interface PublishableKeyView {
  id: string;
  object: "publishable_key";
  key: string;
  status: "active" | "expired";
  created_at: string;
  expires_at: string | null;
}

const view = (row: PublishableKeyRow, now: string): PublishableKeyView => ({
  id: row.id,
  object: "publishable_key",
  key: row.key,
  status: row.expiresAt === null || row.expiresAt > now ? "active" : "expired",
  created_at: row.createdAt,
  expires_at: row.expiresAt,
});

/**
 * A new publishable key for the partner; the previous ones end `overlapSeconds` after `now`, so
 * pages that embed the old key keep working while they are redeployed.
 */
export async function createPublishableKey(
  db: Db,
  environment: "sandbox" | "production",
  partnerId: string,
  overlapSeconds: number,
  now: Date,
): Promise<PublishableKeyView> {
  const row = {
    id: uuidv7(now.getTime()),
    partnerId,
    key: `${PUBLISHABLE_PREFIX[environment]}${randomToken(18)}`,
    createdAt: now.toISOString(),
    expiresAt: null,
  };
  await insertKey(db, row, new Date(now.getTime() + overlapSeconds * 1000).toISOString());
  return view(row, now.toISOString());
}

/** The partner's keys, newest first, the ended ones too. */
export async function listPublishableKeys(db: Db, partnerId: string, now: Date) {
  return (await listKeys(db, partnerId)).map((row) => view(row, now.toISOString()));
}

/** The partner a live key belongs to, if it is one. */
export async function publishableKeyOwner(db: Db, key: string, now: Date) {
  const row = await liveKey(db, key, now.toISOString());
  return row ? { keyId: row.id, partnerId: row.partnerId } : undefined;
}
