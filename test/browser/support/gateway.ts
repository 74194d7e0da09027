// The real gateways for the browser tests: the Worker under wrangler's dev server on a free port,
// with its own throwaway state, seeded like `npm run dev` but needing no .dev.vars. The sandbox
// carries the demo partner; production (the control plane: onboarding, the console's application
// review) reaches the sandbox over its service binding, as `npm run dev` has it.
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
  stop(): Promise<void>;
}

/** The local issuer standing in for Cloudflare Access (docs/admin.md): its private key, team and AUD. */
export interface LocalAccess {
  privateJwk: string;
  team: string;
  aud: string;
}

/** What the tests use of Miniflare's D1 proxy. */
export interface D1Like {
  prepare(query: string): { bind(...values: unknown[]): { all(): Promise<{ results: unknown[] }> } };
}

const text = (value: string) => ({ type: "plain_text", value });
const secret = (value: string) => ({ type: "secret_text", value });

interface OutboundRequest {
  url: string;
  method: string;
  headers: Headers;
  arrayBuffer(): Promise<ArrayBuffer>;
}

type StartedWorker = Awaited<ReturnType<typeof unstable_startWorker>>;
type Bindings = Record<string, { type: string; value: string }>;

/** What both gateways of a run share: one Access issuer, and wrangler's dev registry, which connects production's service binding to the sandbox. */
export interface Run extends LocalAccess {
  jwks: string;
  registry: string;
}

export async function newRun(): Promise<Run & { dispose(): void }> {
  const keys = await newAccessKeyPair();
  const registry = mkdtempSync(join(tmpdir(), "portico-browser-registry-"));
  return {
    privateJwk: keys.privateJwk,
    jwks: keys.jwks,
    team: "portico-local.cloudflareaccess.com",
    aud: "0".repeat(64),
    registry,
    dispose: () => rmSync(registry, { recursive: true, force: true }),
  };
}

async function startWorker(
  env: "sandbox" | "production",
  access: Run,
  bindingsFor: (origin: string) => Bindings,
  seedWith: (
    db: D1Like & { batch(statements: unknown[]): Promise<unknown> },
    prepare: (q: string) => unknown,
  ) => Promise<void>,
): Promise<Gateway> {
  // Offline like `npm run dev` (scripts/lib/wrangler.ts): no telemetry, no Request.cf download.
  process.env.WRANGLER_SEND_METRICS = "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  // Wrangler's banners and binding tables would bury vitest's report.
  process.env.WRANGLER_LOG ??= "warn";

  const state = mkdtempSync(join(tmpdir(), `portico-browser-${env}-`));
  // An empty env file in place of the developer's .dev.vars: only the bindings below apply.
  const envFile = join(state, "empty.env");
  writeFileSync(envFile, "");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let worker: StartedWorker | undefined;
  const stop = async () => {
    await worker?.dispose();
    rmSync(state, { recursive: true, force: true });
  };
  try {
    worker = await unstable_startWorker({
      config: "wrangler.toml",
      env,
      envFiles: [envFile],
      bindings: {
        LOG_LEVEL: text("warn"),
        // The console's people sign in through the local Access issuer (support/access.ts).
        ACCESS_TEAM_DOMAIN: text(access.team),
        ACCESS_AUD: text(access.aud),
        JWT_SIGNING_KEYS: secret(JSON.stringify([await newSigningKey()])),
        WEBHOOK_SECRETS_KEY: secret(randomBytes(32).toString("base64")),
        ...bindingsFor(origin),
      },
      dev: {
        server: { hostname: "127.0.0.1", port },
        persist: join(state, "wrangler"),
        registry: access.registry,
        // Cloudflare Access's certs for the team, as production fetches them (never a local JWKS
        // there): answered with the local issuer's keys. Every other call goes out as it is.
        outboundService: async (request: OutboundRequest) => {
          if (request.url === `https://${access.team}/cdn-cgi/access/certs`)
            return new Response(access.jwks, { headers: { "Content-Type": "application/json" } });
          // Miniflare's Request is its own undici's: sent again as this process's own.
          const body = ["GET", "HEAD"].includes(request.method) ? undefined : await request.arrayBuffer();
          return fetch(request.url, {
            method: request.method,
            headers: request.headers,
            body,
            redirect: "manual",
          });
        },
        inspector: false,
        watch: false,
        liveReload: false,
        // At LOG_LEVEL warn a passing run logs nothing: whatever the Worker logs is worth seeing.
        structuredLogsHandler: (log: { level: string; message: string }) => {
          process.stderr.write(`gateway ${env} [${log.level}] ${log.message}\n`);
        },
      },
    });
    // The proxy is ready before the Worker is; its first answer means the Worker runs.
    await worker.ready;
    const probe = await fetch(`${origin}/status`, { headers: { Accept: "application/json" } });
    await probe.arrayBuffer();
    // Migrations (and the seed) straight into the running Worker's D1, as `npm run dev` has them:
    // `wrangler d1 …` spawns a wrangler per command, over 20 s each on a busy 2-core machine.
    const mf = worker.raw.runtimes[0]?.mf;
    if (!mf) throw new Error("wrangler's local runtime has no Miniflare instance");
    const db = await mf.getD1Database("DB");
    for (const migration of await readD1Migrations("./migrations")) {
      await db.batch(migration.queries.map((query) => db.prepare(query)));
    }
    await seedWith(db as never, (q) => db.prepare(q));
    return { url: origin, db: db as unknown as D1Like, stop };
  } catch (error) {
    await stop();
    throw new Error(`the ${env} gateway did not start: ${String(error)}`, { cause: error });
  }
}

/** The sandbox, with the demo partner; webhooks reach the receivers the tests start on this machine. */
export function startGateway(access: Run): Promise<Gateway> {
  return startWorker(
    "sandbox",
    access,
    (origin) => ({
      // Tokens' issuer and next_action.url point at this server, as `npm run dev` does.
      ISSUER: text(origin),
      ACCESS_JWKS: secret(access.jwks),
      WEBHOOK_ALLOW_LOOPBACK: text("true"),
    }),
    async (db, prepare) => {
      const demo = await demoPartner({});
      await db.batch(unstable_splitSqlQuery(partnerSql(demo, false)).map(prepare));
    },
  );
}

/**
 * Production, the control plane: Turnstile's siteverify and the mailbox are the local services
 * (scripts/lib/dev-services.ts, as under `npm run dev`), and the sandbox partner of each
 * registration is made by the sandbox gateway over the SANDBOX service binding.
 */
export function startProductionGateway(
  access: Run,
  services: { url: string; notifyToken: string; siteKey: string; secretKey: string },
): Promise<Gateway> {
  return startWorker(
    "production",
    access,
    (origin) => ({
      TURNSTILE_SITE_KEY: text(services.siteKey),
      TURNSTILE_SECRET_KEY: secret(services.secretKey),
      UPSTREAM_URLS: secret(
        JSON.stringify({
          turnstile: `${services.url}/turnstile/`,
          notifications: `${services.url}/notifications/`,
        }),
      ),
      UPSTREAM_TOKENS: secret(JSON.stringify({ notifications: services.notifyToken })),
      ONBOARDING_LINK_BASE: text(`${origin}/portal/verify`),
    }),
    async () => {},
  );
}
