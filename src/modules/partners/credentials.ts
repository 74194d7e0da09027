import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { uuidv7 } from "../../platform/lib/ids";
import { hashSecret } from "../../platform/lib/secret-hash";
import { newConsumerKeyPair } from "./consumer-keys";
import { credentialCache, profileCache } from "./profile";
import { type CredentialRow, insertCredential, listCredentials, revokeCredential } from "./storage";

export interface CredentialView {
  id: string;
  object: "credential";
  consumer_key: string;
  description: string | null;
  status: "active" | "revoked";
  created_at: string;
  revoked_at: string | null;
}

const view = (row: CredentialRow): CredentialView => ({
  id: row.id,
  object: "credential",
  consumer_key: row.consumerKey,
  description: row.description,
  status: row.status,
  created_at: row.createdAt,
  revoked_at: row.revokedAt,
});

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
