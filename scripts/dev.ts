// `npm run dev`: the local sandbox gateway on http://127.0.0.1:8787 with the demo partner.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoPartner } from "./lib/demo";
import { ensureDevVars } from "./lib/dev-vars";
import { partnerSql } from "./lib/sql";
import { applyMigrations, executeSql, OFFLINE_ENV } from "./lib/wrangler";

const port = process.env.PORT ?? "8787";
const target = { env: "sandbox" as const };

const vars = await ensureDevVars();
console.log("Applying D1 migrations (local)…");
await applyMigrations(target);

const demo = await demoPartner(vars);
const dir = mkdtempSync(join(tmpdir(), "portico-seed-"));
const file = join(dir, "seed.sql");
writeFileSync(file, partnerSql(demo, true));
await executeSql(target, file);
rmSync(dir, { recursive: true, force: true });

console.log(`
  Portico sandbox: http://127.0.0.1:${port}   (docs: /docs, OpenAPI: /openapi.json)
  Demo partner ${demo.secrets.partnerId}
    consumer key / secret : ${demo.secrets.consumerKey} / ${demo.secrets.consumerSecret}
    user / password       : ${demo.secrets.username} / ${demo.secrets.password}
    tier                  : sandbox (25 requests/s)
`);

const child = spawn(
  "wrangler",
  [
    "dev",
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
  ],
  {
    env: OFFLINE_ENV,
    stdio: "inherit",
  },
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
