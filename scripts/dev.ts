// `npm run dev`: on this machine, both Workers and what production's connectors call:
//   the sandbox gateway on http://127.0.0.1:8787 with the demo partner,
//   the production Worker (the control plane: onboarding, terms) on http://127.0.0.1:8789, bound to
//   the sandbox through wrangler's dev registry (the SANDBOX service binding),
//   a local Turnstile siteverify and the local mailbox on http://127.0.0.1:8790 (messages printed here).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoPartner } from "./lib/demo";
import { DEV_TURNSTILE_TOKEN, startDevServices } from "./lib/dev-services";
import { ensureDevVars, newSigningKey } from "./lib/dev-vars";
import { partnerSql } from "./lib/sql";
import { applyMigrations, executeSql, LOCAL_PRODUCTION_STATE, OFFLINE_ENV } from "./lib/wrangler";

const port = process.env.PORT ?? "8787";
const productionPort = process.env.PRODUCTION_PORT ?? "8789";
const servicesPort = Number(process.env.DEV_SERVICES_PORT ?? "8790");
const target = { env: "sandbox" as const };

const vars = await ensureDevVars();
// The production Worker's own settings (wrangler reads .dev.vars.production for --env production):
// its own keys, no loopback webhooks, and its connectors pointed at the local services.
const notifyToken = randomBytes(18).toString("base64url");
const services = `http://127.0.0.1:${servicesPort}`;
const productionVars = {
  JWT_SIGNING_KEYS: JSON.stringify([await newSigningKey()]),
  WEBHOOK_SECRETS_KEY: vars.WEBHOOK_SECRETS_KEY ?? randomBytes(32).toString("base64"),
  TURNSTILE_SECRET_KEY: "local-dev-turnstile-secret",
  UPSTREAM_URLS: JSON.stringify({
    turnstile: `${services}/turnstile/`,
    notifications: `${services}/notifications/`,
  }),
  UPSTREAM_TOKENS: JSON.stringify({ notifications: notifyToken }),
  ONBOARDING_LINK_BASE: `http://127.0.0.1:${productionPort}/portal/verify`,
  // Cloudflare's documented test site key: the widget always passes (its script comes from Cloudflare).
  TURNSTILE_SITE_KEY: "1x00000000000000000000AA",
};
writeFileSync(
  ".dev.vars.production",
  `# Written by npm run dev for the local production Worker; never commit it.\n${Object.entries(
    productionVars,
  )
    .map(([k, v]) => `${k}='${v}'`)
    .join("\n")}\n`,
  { mode: 0o600 },
);

console.log("Applying D1 migrations (local, both environments)…");
await applyMigrations(target);
await applyMigrations({ env: "production", persistTo: LOCAL_PRODUCTION_STATE });

const demo = await demoPartner(vars);
const dir = mkdtempSync(join(tmpdir(), "portico-seed-"));
const file = join(dir, "seed.sql");
writeFileSync(file, partnerSql(demo, true));
await executeSql(target, file);
rmSync(dir, { recursive: true, force: true });

await startDevServices(servicesPort, notifyToken);

console.log(`
  Portico sandbox: http://127.0.0.1:${port}   (docs: /docs, OpenAPI: /openapi.json)
  Demo partner ${demo.secrets.partnerId}
    consumer key / secret : ${demo.secrets.consumerKey} / ${demo.secrets.consumerSecret}
    user / password       : ${demo.secrets.username} / ${demo.secrets.password}
    tier                  : sandbox (25 requests/s)
  Portico production (control plane): http://127.0.0.1:${productionPort}
    register              : POST /onboarding/register with "turnstile_token": "${DEV_TURNSTILE_TOKEN}"
    local mailbox         : verification emails are printed here
    terms                 : npm run terms -- publish --version 2026-12 --file <text file>
`);

const children: ChildProcess[] = [];
const wranglerDev = (args: string[]) => {
  const child = spawn("wrangler", ["dev", ...args], { env: OFFLINE_ENV, stdio: "inherit" });
  children.push(child);
  child.on("exit", (code) => {
    for (const other of children) if (other !== child) other.kill("SIGTERM");
    process.exit(code ?? 0);
  });
};
wranglerDev([
  "--env",
  "sandbox",
  "--port",
  port,
  "--ip",
  "127.0.0.1",
  // Tokens' issuer and the sandbox's customer-page links (next_action.url) point at this machine.
  "--var",
  `ISSUER:http://127.0.0.1:${port}`,
  ...process.argv.slice(2),
]);
wranglerDev([
  "--env",
  "production",
  "--port",
  productionPort,
  "--ip",
  "127.0.0.1",
  "--inspector-port",
  "9230",
  "--persist-to",
  LOCAL_PRODUCTION_STATE,
]);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
