// The real sandbox gateway for the browser tests: the Worker under wrangler's dev server on a
// free port, with its own throwaway state, seeded like `npm run dev` but needing no .dev.vars.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { unstable_splitSqlQuery, unstable_startWorker } from "wrangler";
import { demoPartner } from "../../../scripts/lib/demo";
import { newAccessKeyPair, newSigningKey } from "../../../scripts/lib/dev-vars";
import { partnerSql } from "../../../scripts/lib/sql";
import { freePort } from "../../node/ports";

export interface Gateway {
  url: string;
  /** The running Worker's D1, for a test to look at (or age) what the Worker stored. */
  db: D1Like;
  /** The local issuer standing in for Cloudflare Access (docs/admin.md): its private key, team and AUD. */
  access: LocalAccess;
  stop(): Promise<void>;
}

/** What the tests use of Miniflare's D1 proxy. */
export interface LocalAccess {
  privateJwk: string;
  team: string;
  aud: string;
}

export interface D1Like {
  prepare(query: string): { bind(...values: unknown[]): { all(): Promise<{ results: unknown[] }> } };
}

const text = (value: string) => ({ type: "plain_text", value });
const secret = (value: string) => ({ type: "secret_text", value });

type StartedWorker = Awaited<ReturnType<typeof unstable_startWorker>>;

export async function startGateway(): Promise<Gateway> {
  // Offline like `npm run dev` (scripts/lib/wrangler.ts): no telemetry, no Request.cf download.
  process.env.WRANGLER_SEND_METRICS = "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  // Wrangler's banners and binding tables would bury vitest's report.
  process.env.WRANGLER_LOG ??= "warn";

  const state = mkdtempSync(join(tmpdir(), "portico-browser-"));
  // An empty env file in place of the developer's .dev.vars: only the bindings below apply.
  const envFile = join(state, "empty.env");
  writeFileSync(envFile, "");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;

  const keys = await newAccessKeyPair();
  const access: LocalAccess = {
    privateJwk: keys.privateJwk,
    team: "portico-local.cloudflareaccess.com",
    aud: "0".repeat(64),
  };
  let worker: StartedWorker | undefined;
  const stop = async () => {
    await worker?.dispose();
    rmSync(state, { recursive: true, force: true });
  };
  try {
    worker = await unstable_startWorker({
      config: "wrangler.toml",
      env: "sandbox",
      envFiles: [envFile],
      bindings: {
        // Tokens' issuer and next_action.url point at this server, as `npm run dev` does.
        ISSUER: text(origin),
        LOG_LEVEL: text("warn"),
        // Webhooks reach the receivers the tests start on this machine, as in the workerd tests.
        WEBHOOK_ALLOW_LOOPBACK: text("true"),
        // The console's people sign in through the local Access issuer (support/access.ts).
        ACCESS_TEAM_DOMAIN: text(access.team),
        ACCESS_AUD: text(access.aud),
        ACCESS_JWKS: secret(keys.jwks),
        JWT_SIGNING_KEYS: secret(JSON.stringify([await newSigningKey()])),
        WEBHOOK_SECRETS_KEY: secret(randomBytes(32).toString("base64")),
      },
      dev: {
        server: { hostname: "127.0.0.1", port },
        persist: join(state, "wrangler"),
        inspector: false,
        watch: false,
        liveReload: false,
        // At LOG_LEVEL warn a passing run logs nothing: whatever the Worker logs is worth seeing.
        structuredLogsHandler: (log: { level: string; message: string }) => {
          process.stderr.write(`gateway [${log.level}] ${log.message}\n`);
        },
      },
    });
    // The proxy is ready before the Worker is; its first answer means the Worker runs.
    await worker.ready;
    const probe = await fetch(`${origin}/status`, { headers: { Accept: "application/json" } });
    await probe.arrayBuffer();
    const db = await seed(worker);
    return { url: origin, db, access, stop };
  } catch (error) {
    await stop();
    throw new Error(`the gateway did not start: ${String(error)}`, { cause: error });
  }
}

/**
 * Migrations and the demo partner straight into the running Worker's D1, as `npm run dev` has
 * them: `wrangler d1 …` spawns a wrangler per command, over 20 s each on a busy 2-core machine.
 */
async function seed(worker: StartedWorker): Promise<D1Like> {
  const mf = worker.raw.runtimes[0]?.mf;
  if (!mf) throw new Error("wrangler's local runtime has no Miniflare instance");
  const db = await mf.getD1Database("DB");
  for (const migration of await readD1Migrations("./migrations")) {
    await db.batch(migration.queries.map((query) => db.prepare(query)));
  }
  const demo = await demoPartner({});
  const statements = unstable_splitSqlQuery(partnerSql(demo, false));
  await db.batch(statements.map((statement) => db.prepare(statement)));
  return db as unknown as D1Like;
}
