import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { uuidv7 } from "../../platform/lib/ids";
import { hashSecret } from "../../platform/lib/secret-hash";
import { newConsumerKeyPair } from "./consumer-keys";
import { credentialCache, profileCache } from "./profile";
import {
  type CredentialRow,
  expireCredential,
  insertCredential,
  listCredentials,
  liveCredential,
  revokeCredential,
} from "./storage";

export interface CredentialView {
  id: string;
  object: "credential";
  consumer_key: string;
  description: string | null;
  status: "active" | "revoked";
  created_at: string;
  revoked_at: string | null;
  expires_at: string | null;
  last_used_at: string | null;
}

/** A key past its rotation's overlap reads as revoked then: the token endpoint refuses it. */
const view = (row: CredentialRow): CredentialView => {
  const expired = row.status === "active" && !liveCredential(row);
  return {
    id: row.id,
    object: "credential",
    consumer_key: row.consumerKey,
    description: row.description,
    status: expired ? "revoked" : row.status,
    created_at: row.createdAt,
    revoked_at: expired ? row.expiresAt : row.revokedAt,
    expires_at: row.expiresAt,
    last_used_at: row.lastUsedAt,
  };
};

/** How long a rotated key keeps working beside its successor, by default and at most. */
export const ROTATION_OVERLAP = { defaultSeconds: 24 * 3600, maxSeconds: 7 * 24 * 3600 } as const;

/** A new consumer key and secret. The secret is returned here once and stored only as a hash. */
export async function createCredential(
  db: Db,
  config: Config,
  partnerId: string,
  description: string | null,
) {
  const { consumerKey, consumerSecret: secret } = newConsumerKeyPair(config.ENVIRONMENT);
  const row = await insertCredential(db, {
    id: uuidv7(),
    partnerId,
    consumerKey,
    secretHash: await hashSecret(secret, "key"),
    description,
  });
  return { ...view(row), consumer_secret: secret as string | null };
}

/**
 * Rotation with overlap: a new key and secret, and the old key ends `overlapSeconds` from now
 * (0: at once), so the partner deploys the new one while the old still works.
 */
export async function rotateCredential(
  db: Db,
  config: Config,
  partnerId: string,
  id: string,
  overlapSeconds: number,
) {
  const old = (await listCredentials(db, partnerId)).find((row) => row.id === id);
  if (!old || !liveCredential(old)) throw new ApiError("not_found", { resource: `credential ${id}` });
  const created = await createCredential(db, config, partnerId, old.description);
  const ended = await expireCredential(
    db,
    partnerId,
    id,
    new Date(Date.now() + overlapSeconds * 1000).toISOString(),
  );
  profileCache.invalidate(partnerId);
  credentialCache.invalidate(old.consumerKey);
  return { ...created, previous: ended ? view(ended) : view(old) };
}

export async function listPartnerCredentials(db: Db, partnerId: string): Promise<CredentialView[]> {
  return (await listCredentials(db, partnerId)).map(view);
}

export async function revokePartnerCredential(
  db: Db,
  partnerId: string,
  id: string,
): Promise<CredentialView> {
  const row = await revokeCredential(db, partnerId, id);
  if (!row) throw new ApiError("not_found", { resource: `credential ${id}` });
  // This isolate stops accepting the key's tokens, and minting new ones, at once; others within the cache TTL.
  profileCache.invalidate(partnerId);
  credentialCache.invalidate(row.consumerKey);
  return view(row);
}
