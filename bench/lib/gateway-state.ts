// The gateway's bench-owned local state: its own D1 (migrated and seeded with the bench
// partner) under bench/.state and its own env file with a fresh signing key and webhook sealing
// key. The developer's .dev.vars and .wrangler/state are never read or written.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newSigningKey } from "../../scripts/lib/dev-vars";
import { partnerSql } from "../../scripts/lib/sql";
import { applyMigrations, type D1Target, executeSql } from "../../scripts/lib/wrangler";
import { buildPartner, type ProvisionedPartner } from "../../src/modules/partners/provisioning";
import { PRODUCTS } from "../../src/platform/catalog";

export const BENCH_RATE_LIMIT_PER_SECOND = 1_000_000;
/** Seconds between the bench's webhook delivery attempts (the default schedule spans hours): 5 attempts in 15 s. */
export const WEBHOOK_RETRY_DELAYS = [1, 2, 4, 8];

export interface GatewayState {
  /** `--persist-to` of migrations, seeding and `wrangler dev`. */
  persistTo: string;
  /**
   * `--env-file` of `wrangler dev`: JWT_SIGNING_KEYS, the webhook settings of a local run
   * (sealing key, loopback allowed, retries within seconds) and, being given, keeps .dev.vars out.
   */
  envFile: string;
  partner: ProvisionedPartner["secrets"];
  /** Every seeded partner, the bench partner (or the first of `partners`) first. */
  partners: ProvisionedPartner["secrets"][];
}

export interface StateOptions {
  /** Partners to seed instead of the bench partner alone. */
  partners?: ProvisionedPartner[];
  /** More `NAME=value` lines of the env file (the chaos run's own settings). */
  vars?: string[];
}

/** The bench partner: top tier, every product, a limit no run can reach, no daily quota. */
export const benchPartner = () =>
  buildPartner({
    name: "Bench Partner",
    environment: "sandbox",
    tier: "enterprise",
    products: [...PRODUCTS],
    rateLimitPerSecond: BENCH_RATE_LIMIT_PER_SECOND,
    dailyQuota: null,
    // For the password grant's row.
    username: "bench-user",
  });

/** Starts from an empty state directory on every run, so runs do not influence each other. */
export async function prepareGatewayState(stateDir: string, opts: StateOptions = {}): Promise<GatewayState> {
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const persistTo = join(stateDir, "wrangler");
  const target: D1Target = { env: "sandbox", persistTo };

  const envFile = join(stateDir, "gateway.env");
  const vars = [
    `JWT_SIGNING_KEYS='${JSON.stringify([await newSigningKey()])}'`,
    `WEBHOOK_SECRETS_KEY='${randomBytes(32).toString("base64")}'`,
    "WEBHOOK_ALLOW_LOOPBACK=true",
    `WEBHOOK_RETRY_DELAYS=${WEBHOOK_RETRY_DELAYS.join(",")}`,
    ...(opts.vars ?? []),
  ];
  writeFileSync(envFile, `${vars.join("\n")}\n`, { mode: 0o600 });

  await applyMigrations(target);
  const provisioned = opts.partners ?? [await benchPartner()];
  const seed = join(stateDir, "seed.sql");
  writeFileSync(seed, provisioned.map((p) => partnerSql(p, false)).join("\n"));
  await executeSql(target, seed);
  const partners = provisioned.map((p) => p.secrets);
  return { persistTo, envFile, partner: partners[0] as ProvisionedPartner["secrets"], partners };
}
