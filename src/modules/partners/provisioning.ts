import { type Product, scopesFor } from "../../platform/catalog";
import { uuidv7 } from "../../platform/lib/ids";
import { randomToken } from "../../platform/lib/random";
import { hashSecret } from "../../platform/lib/secret-hash";
import { CURRENT_VERSION, isKnownVersion, VERSION_DATES } from "../../platform/versions/registry";
import { newConsumerKeyPair } from "./consumer-keys";
import { parseCorsOrigins } from "./cors-origins";
import { parseIpAllowlist } from "./ip-allowlist";
import type { partnerContracts, partnerCredentials, partners, partnerUsers } from "./storage";
import { parseWebhookDomains } from "./webhook-domains";

export interface NewPartner {
  id?: string;
  name: string;
  environment: "sandbox" | "production";
  tier: "sandbox" | "standard" | "enterprise";
  products: Product[];
  scopes?: string[];
  rateLimitPerSecond?: number | null;
  dailyQuota?: number | null;
  dataAccess?: string[];
  feeBps?: number;
  /** Browser origins allowed CORS (exact `https://host[:port]`, checked by parseCorsOrigins). */
  corsOrigins?: string[];
  /** CIDR blocks the partner may call from (checked by parseIpAllowlist); empty: any address. */
  ipAllowlist?: string[];
  /** Production webhook hosts (checked by parseWebhookDomains); empty: any public host. */
  webhookDomains?: string[];
  /** The API version to pin (a published one); the current version when absent. */
  apiVersion?: string;
  /** Fixed credentials (the local demo partner); generated when absent. */
  consumerKey?: string;
  consumerSecret?: string;
  username?: string;
  password?: string;
}

export interface ProvisionedPartner {
  rows: {
    partner: typeof partners.$inferInsert;
    contract: typeof partnerContracts.$inferInsert;
    credential: typeof partnerCredentials.$inferInsert;
    user?: typeof partnerUsers.$inferInsert;
  };
  /** Shown once to whoever provisions the partner; only hashes are stored. */
  secrets: {
    partnerId: string;
    consumerKey: string;
    consumerSecret: string;
    username?: string;
    password?: string;
  };
}

/** A new partner is pinned to the current version unless a published one is asked for. */
function pinnedVersion(asked: string | undefined): string {
  if (asked === undefined) return CURRENT_VERSION;
  if (!isKnownVersion(asked))
    throw new Error(`unknown API version ${asked}: one of ${VERSION_DATES.join(", ")}`);
  return asked;
}

/** Builds the rows of a new partner, its contract, one credential and optionally one user. */
export async function buildPartner(input: NewPartner): Promise<ProvisionedPartner> {
  const env = input.environment;
  const partnerId = input.id ?? uuidv7();
  const generated = newConsumerKeyPair(env);
  const consumerKey = input.consumerKey ?? generated.consumerKey;
  const consumerSecret = input.consumerSecret ?? generated.consumerSecret;
  const rows: ProvisionedPartner["rows"] = {
    partner: { id: partnerId, name: input.name, environment: env, status: "active" },
    contract: {
      partnerId,
      products: input.products,
      scopes: input.scopes ?? scopesFor(input.products),
      tier: input.tier,
      rateLimitPerSecond: input.rateLimitPerSecond ?? null,
      dailyQuota: input.dailyQuota ?? null,
      dataAccess: input.dataAccess ?? [],
      feeBps: input.feeBps ?? 0,
      corsOrigins: parseCorsOrigins(input.corsOrigins ?? []),
      ipAllowlist: parseIpAllowlist(input.ipAllowlist ?? []),
      webhookDomains: parseWebhookDomains(input.webhookDomains ?? []),
      apiVersion: pinnedVersion(input.apiVersion),
    },
    credential: {
      id: uuidv7(),
      partnerId,
      consumerKey,
      secretHash: await hashSecret(consumerSecret, "key"),
      description: "provisioned",
    },
  };
  const secrets: ProvisionedPartner["secrets"] = { partnerId, consumerKey, consumerSecret };
  if (input.username !== undefined) {
    const password = input.password ?? randomToken(18);
    rows.user = {
      id: uuidv7(),
      partnerId,
      username: input.username,
      passwordHash: await hashSecret(password, "password"),
    };
    secrets.username = input.username;
    secrets.password = password;
  }
  return { rows, secrets };
}
