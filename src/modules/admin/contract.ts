import { PRODUCTS, type Product, productScopes, scopesFor } from "../../platform/catalog";
import { DATA_CATEGORIES } from "../../platform/data-access";
import { ApiError } from "../../platform/errors";
import { isKnownVersion } from "../../platform/versions/registry";
import { parseCorsOrigins } from "../partners/cors-origins";
import { parseIpAllowlist } from "../partners/ip-allowlist";
import { TIER_RATE_LIMITS } from "../partners/profile";
import type { ContractRow } from "../partners/storage";
import { parseWebhookDomains } from "../partners/webhook-domains";
import type { ContractUpdate } from "./storage";

/** A contract change as the admin API takes it: only the members given change. */
export interface ContractPatch {
  products?: Product[] | undefined;
  scopes?: string[] | undefined;
  tier?: ContractRow["tier"] | undefined;
  rate_limit_per_second?: number | null | undefined;
  daily_quota?: number | null | undefined;
  fee_bps?: number | undefined;
  fee_fixed_minor?: number | undefined;
  dispute_fee_minor?: number | undefined;
  data_access?: string[] | undefined;
  cors_origins?: string[] | undefined;
  ip_allowlist?: string[] | undefined;
  webhook_domains?: string[] | undefined;
  api_version?: string | undefined;
  security_profile?: ContractRow["securityProfile"] | undefined;
  password_grant?: boolean | undefined;
}

const TIER_ORDER = { sandbox: 0, standard: 1, enterprise: 2 } as const;

const invalid = (field: string, msg: string) =>
  new ApiError("validation", { field: `params.${field}`, msg }, { field: `params.${field}` });

/**
 * The contract after the patch, checked against the catalogue: known products, scopes the
 * products grant, known data categories, exact https origins. Removing a product takes its
 * scopes with it, and adding one grants its scopes, unless `scopes` is given.
 */
export function nextContract(current: ContractRow, patch: ContractPatch): ContractUpdate {
  const products = patch.products ?? (current.products as Product[]);
  for (const p of products)
    if (!(PRODUCTS as readonly string[]).includes(p)) throw invalid("products", `unknown product ${p}`);
  const allowed = new Set<string>(scopesFor(products));
  let scopes: string[];
  if (patch.scopes !== undefined) {
    const stray = patch.scopes.find((s) => !allowed.has(s));
    if (stray) throw invalid("scopes", `${stray} is not granted by the contract's products`);
    scopes = [...new Set(patch.scopes)];
  } else {
    const added = products.filter((p) => !current.products.includes(p)).flatMap((p) => productScopes(p));
    scopes = [...new Set([...current.scopes.filter((s) => allowed.has(s)), ...added])];
  }
  const dataAccess = patch.data_access ?? current.dataAccess;
  for (const d of dataAccess)
    if (!(DATA_CATEGORIES as readonly string[]).includes(d))
      throw invalid("data_access", `unknown category ${d}`);
  let corsOrigins = current.corsOrigins;
  if (patch.cors_origins !== undefined) {
    try {
      corsOrigins = parseCorsOrigins(patch.cors_origins);
    } catch (err) {
      throw invalid("cors_origins", (err as Error).message);
    }
  }
  const parsed = <T>(field: string, value: T | undefined, parse: (v: T) => string[], keep: string[]) => {
    if (value === undefined) return keep;
    try {
      return parse(value);
    } catch (err) {
      throw invalid(field, (err as Error).message);
    }
  };
  const ipAllowlist = parsed("ip_allowlist", patch.ip_allowlist, parseIpAllowlist, current.ipAllowlist);
  const webhookDomains = parsed(
    "webhook_domains",
    patch.webhook_domains,
    parseWebhookDomains,
    current.webhookDomains,
  );
  if (patch.api_version !== undefined && !isKnownVersion(patch.api_version))
    throw invalid("api_version", `${patch.api_version} is not a published API version`);
  const securityProfile = patch.security_profile ?? current.securityProfile;
  if (securityProfile === "fapi" && patch.password_grant === true)
    throw invalid("password_grant", "a FAPI contract never has the password grant");
  // Moving to FAPI drops the password grant for good: moving back does not revive it unasked.
  const passwordGrant = securityProfile === "fapi" ? false : (patch.password_grant ?? current.passwordGrant);
  return {
    products: [...new Set(products)],
    scopes,
    tier: patch.tier ?? current.tier,
    rateLimitPerSecond:
      patch.rate_limit_per_second !== undefined ? patch.rate_limit_per_second : current.rateLimitPerSecond,
    dailyQuota: patch.daily_quota !== undefined ? patch.daily_quota : current.dailyQuota,
    dataAccess: [...new Set(dataAccess)],
    feeBps: patch.fee_bps ?? current.feeBps,
    feeFixedMinor: patch.fee_fixed_minor ?? current.feeFixedMinor,
    disputeFeeMinor: patch.dispute_fee_minor ?? current.disputeFeeMinor,
    corsOrigins,
    ipAllowlist,
    webhookDomains,
    apiVersion: patch.api_version ?? current.apiVersion,
    securityProfile,
    passwordGrant,
  };
}

const gains = (before: readonly string[], after: readonly string[]) => after.some((x) => !before.includes(x));
const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * What in a change needs a second approver (maker-checker): anything that widens what the
 * partner may do (products, scopes, data access, origins, allow-lists, tier, rate, quota) and any
 * fee change, a move back from FAPI to the standard profile and the password grant turned on.
 * A change of API version, and a move to FAPI (it narrows), apply at once.
 * Empty: the change only narrows, and applies at once.
 */
export function sensitiveParts(current: ContractRow, next: ContractUpdate): string[] {
  const parts: string[] = [];
  if (gains(current.products, next.products ?? [])) parts.push("products");
  if (gains(current.scopes, next.scopes ?? [])) parts.push("scopes");
  if (gains(current.dataAccess, next.dataAccess ?? [])) parts.push("data_access");
  if (gains(current.corsOrigins, next.corsOrigins ?? [])) parts.push("cors_origins");
  // An allow-list widens when it lets more in: emptied (any address or host) or added to while set.
  const widens = (before: readonly string[], after: readonly string[]) =>
    before.length > 0 && (after.length === 0 || gains(before, after));
  if (widens(current.ipAllowlist, next.ipAllowlist ?? current.ipAllowlist)) parts.push("ip_allowlist");
  if (widens(current.webhookDomains, next.webhookDomains ?? current.webhookDomains))
    parts.push("webhook_domains");
  const tier = next.tier ?? current.tier;
  if (TIER_ORDER[tier] > TIER_ORDER[current.tier]) parts.push("tier");
  const rate = (t: ContractRow["tier"], own: number | null | undefined) => own ?? TIER_RATE_LIMITS[t];
  if (rate(tier, next.rateLimitPerSecond) > rate(current.tier, current.rateLimitPerSecond))
    parts.push("rate_limit_per_second");
  const quota = next.dailyQuota ?? null;
  if (current.dailyQuota !== null && (quota === null || quota > current.dailyQuota))
    parts.push("daily_quota");
  if (
    next.feeBps !== current.feeBps ||
    next.feeFixedMinor !== current.feeFixedMinor ||
    (next.disputeFeeMinor ?? current.disputeFeeMinor) !== current.disputeFeeMinor
  )
    parts.push("fees");
  // Back to the standard profile (a client secret works again) or the password grant turned on: both widen.
  if (current.securityProfile === "fapi" && next.securityProfile === "standard")
    parts.push("security_profile");
  if (!current.passwordGrant && next.passwordGrant === true) parts.push("password_grant");
  return parts;
}

/** The members that actually change, as stored: what a change request carries. */
export function changedMembers(current: ContractRow, next: ContractUpdate): ContractUpdate {
  const out: ContractUpdate = {};
  const put = <K extends keyof ContractUpdate>(key: K) => {
    const a = current[key];
    const b = next[key];
    const equal = Array.isArray(a) && Array.isArray(b) ? same(a, b) : a === b;
    if (!equal && b !== undefined) out[key] = b;
  };
  for (const key of [
    "products",
    "scopes",
    "tier",
    "rateLimitPerSecond",
    "dailyQuota",
    "dataAccess",
    "feeBps",
    "feeFixedMinor",
    "disputeFeeMinor",
    "corsOrigins",
    "ipAllowlist",
    "webhookDomains",
    "apiVersion",
    "securityProfile",
    "passwordGrant",
  ] as const)
    put(key);
  return out;
}

/** The stored members of a contract a change touches, as they are now: the diff's `before`. */
export function currentMembers(current: ContractRow, change: ContractUpdate): ContractUpdate {
  return Object.fromEntries(
    Object.keys(change).map((k) => [k, current[k as keyof ContractUpdate]]),
  ) as ContractUpdate;
}
