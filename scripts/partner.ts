// Platform team: `npm run partner -- <command> [options]`. Writes to the local D1 unless --remote.
//   create --name "Acme" [--tier standard] [--products payments,cards] [--rps 50] [--quota 100000]
//          [--fee-bps 150] [--user alice] [--cors-origins https://app.acme.example,https://ops.acme.example]
//          [--ip-allowlist 192.0.2.0/24,2001:db8::/32] [--webhook-domains hooks.acme.example,*.acme.example]
//          [--api-version 2026-12-01 (default: the current version)]
//          [--env sandbox|production] [--remote] [--persist-to DIR]
//   origins <partner-id> --cors-origins LIST   replaces the contract's browser origins ("" for none)
//   allowlist <partner-id> [--ip-allowlist LIST] [--webhook-domains LIST]
//                                              replaces either list or both ("" for none: any address, any host)
//   suspend <partner-id> | activate <partner-id> | list
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseCorsOrigins } from "../src/modules/partners/cors-origins";
import { parseIpAllowlist } from "../src/modules/partners/ip-allowlist";
import { buildPartner } from "../src/modules/partners/provisioning";
import { parseWebhookDomains } from "../src/modules/partners/webhook-domains";
import { PRODUCTS, type Product } from "../src/platform/catalog";
import { allowListsSql, corsOriginsSql, partnerSql } from "./lib/sql";
import { applyMigrations, type D1Target, executeSql, querySql } from "./lib/wrangler";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    tier: { type: "string", default: "standard" },
    products: { type: "string", default: PRODUCTS.join(",") },
    rps: { type: "string" },
    quota: { type: "string" },
    "fee-bps": { type: "string" },
    user: { type: "string" },
    "cors-origins": { type: "string" },
    "ip-allowlist": { type: "string" },
    "webhook-domains": { type: "string" },
    "api-version": { type: "string" },
    env: { type: "string", default: "sandbox" },
    remote: { type: "boolean", default: false },
    "persist-to": { type: "string" },
    json: { type: "boolean", default: false },
  },
});

const fail = (msg: string): never => {
  console.error(msg);
  process.exit(2);
};

const env =
  values.env === "production"
    ? "production"
    : values.env === "sandbox"
      ? "sandbox"
      : fail("--env: sandbox|production");
const target: D1Target = {
  env,
  remote: values.remote,
  ...(values["persist-to"] ? { persistTo: values["persist-to"] } : {}),
};
const int = (v: string | undefined) =>
  v === undefined ? null : Number.isInteger(Number(v)) ? Number(v) : fail(`not an integer: ${v}`);
/** A comma-separated option through its contract parser; the command stops naming the bad value. */
const listOption = (option: string, parse: (values: string[]) => string[], v: string | undefined) => {
  try {
    return parse(
      (v ?? "")
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    );
  } catch (err) {
    return fail(`--${option}: ${(err as Error).message}`);
  }
};
/** `--cors-origins a,b`: each an exact https origin. */
const origins = (v: string | undefined) => listOption("cors-origins", parseCorsOrigins, v);
/** `--ip-allowlist a,b`: IPv4 and IPv6 CIDR blocks (or single addresses). */
const ipAllowlist = (v: string | undefined) => listOption("ip-allowlist", parseIpAllowlist, v);
/** `--webhook-domains a,b`: host names or `*.suffix` wildcards. */
const webhookDomains = (v: string | undefined) => listOption("webhook-domains", parseWebhookDomains, v);

async function run(sql: string) {
  const dir = mkdtempSync(join(tmpdir(), "portico-partner-"));
  const file = join(dir, "partner.sql");
  writeFileSync(file, sql);
  try {
    await executeSql(target, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [command, id] = positionals;
if (command === "create") {
  const tier = ["sandbox", "standard", "enterprise"].includes(values.tier)
    ? (values.tier as "standard")
    : fail("--tier");
  const products = values.products.split(",").filter(Boolean);
  for (const p of products) if (!(PRODUCTS as readonly string[]).includes(p)) fail(`unknown product: ${p}`);
  if (!target.remote) await applyMigrations(target);
  const partner = await buildPartner({
    name: values.name ?? fail("--name is required"),
    environment: env,
    tier,
    products: products as Product[],
    rateLimitPerSecond: int(values.rps),
    dailyQuota: int(values.quota),
    feeBps: int(values["fee-bps"]) ?? 0,
    corsOrigins: origins(values["cors-origins"]),
    ipAllowlist: ipAllowlist(values["ip-allowlist"]),
    webhookDomains: webhookDomains(values["webhook-domains"]),
    ...(values["api-version"] ? { apiVersion: values["api-version"] } : {}),
    ...(values.user ? { username: values.user } : {}),
  });
  await run(partnerSql(partner, false));
  if (values.json) console.log(JSON.stringify(partner.secrets));
  else {
    console.log(
      "Partner created. Hand these to the partner over a secure channel; they are not stored in clear:",
    );
    for (const [k, v] of Object.entries(partner.secrets)) console.log(`  ${k}: ${v}`);
  }
} else if (command === "origins" && id) {
  if (!/^[0-9a-f-]{36}$/.test(id)) fail("partner id must be a UUID");
  if (values["cors-origins"] === undefined) fail('--cors-origins is required ("" for none)');
  const list = origins(values["cors-origins"]);
  await run(corsOriginsSql(id, list));
  console.log(
    `Partner ${id} CORS origins: ${list.join(", ") || "(none)"}. In effect within the profile cache TTL (≤ 60 s).`,
  );
} else if (command === "allowlist" && id) {
  if (!/^[0-9a-f-]{36}$/.test(id)) fail("partner id must be a UUID");
  const ips = values["ip-allowlist"] === undefined ? undefined : ipAllowlist(values["ip-allowlist"]);
  const hosts =
    values["webhook-domains"] === undefined ? undefined : webhookDomains(values["webhook-domains"]);
  if (!ips && !hosts) fail('--ip-allowlist and/or --webhook-domains is required ("" for none)');
  await run(
    allowListsSql(id, { ...(ips ? { ipAllowlist: ips } : {}), ...(hosts ? { webhookDomains: hosts } : {}) }),
  );
  if (ips) console.log(`Partner ${id} IP allow-list: ${ips.join(", ") || "(none: any address)"}.`);
  if (hosts)
    console.log(
      `Partner ${id} production webhook domains: ${hosts.join(", ") || "(none: any public host)"}.`,
    );
  console.log("In effect within the profile cache TTL (≤ 60 s).");
} else if ((command === "suspend" || command === "activate") && id) {
  if (!/^[0-9a-f-]{36}$/.test(id)) fail("partner id must be a UUID");
  const status = command === "suspend" ? "suspended" : "active";
  await run(
    `UPDATE partners SET status = '${status}', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = '${id}';`,
  );
  console.log(
    `Partner ${id} ${status}. Its tokens stop (or start) working within the profile cache TTL (≤ 60 s).`,
  );
} else if (command === "list") {
  console.table(
    await querySql(
      target,
      "SELECT p.id, p.name, p.status, c.tier, c.products, c.cors_origins, c.ip_allowlist, c.webhook_domains, c.api_version FROM partners p JOIN partner_contracts c ON c.partner_id = p.id ORDER BY p.created_at",
    ),
  );
} else {
  fail(
    "usage: npm run partner -- create|origins <id>|allowlist <id>|suspend <id>|activate <id>|list [options] (see scripts/partner.ts)",
  );
}
