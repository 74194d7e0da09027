// A second real sandbox gateway, for the SDK's webhook test only: the browser layer's gateway
// (test/browser/support/gateway.ts) refuses loopback webhook URLs, as a deployed sandbox does, so
// it cannot deliver to a receiver on this machine. This one is started the same way with
// WEBHOOK_ALLOW_LOOPBACK, as `npm run dev` has it, and the demo partner seeded.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { unstable_splitSqlQuery, unstable_startWorker } from "wrangler";
import { demoPartner } from "../../../scripts/lib/demo";
import { newSigningKey } from "../../../scripts/lib/dev-vars";
import { partnerSql } from "../../../scripts/lib/sql";
import { freePort } from "../../node/ports";

const text = (value: string) => ({ type: "plain_text", value });
const secret = (value: string) => ({ type: "secret_text", value });

export async function startLoopbackGateway(): Promise<{ url: string; stop(): Promise<void> }> {
  process.env.WRANGLER_SEND_METRICS = "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  process.env.WRANGLER_LOG ??= "warn";
  const state = mkdtempSync(join(tmpdir(), "portico-sdk-"));
  const envFile = join(state, "empty.env");
  writeFileSync(envFile, "");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;

  let worker: Awaited<ReturnType<typeof unstable_startWorker>> | undefined;
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
        ISSUER: text(origin),
        LOG_LEVEL: text("warn"),
        JWT_SIGNING_KEYS: secret(JSON.stringify([await newSigningKey()])),
        WEBHOOK_SECRETS_KEY: secret(randomBytes(32).toString("base64")),
        WEBHOOK_ALLOW_LOOPBACK: text("true"),
        WEBHOOK_RETRY_DELAYS: text("1,1,1"),
      },
      dev: {
        server: { hostname: "127.0.0.1", port },
        persist: join(state, "wrangler"),
        inspector: false,
        watch: false,
        liveReload: false,
        structuredLogsHandler: (log: { level: string; message: string }) => {
          process.stderr.write(`sdk gateway [${log.level}] ${log.message}\n`);
        },
      },
    });
    await worker.ready;
    await (await fetch(`${origin}/status`, { headers: { Accept: "application/json" } })).arrayBuffer();
    const mf = worker.raw.runtimes[0]?.mf;
    if (!mf) throw new Error("wrangler's local runtime has no Miniflare instance");
    const db = await mf.getD1Database("DB");
    for (const migration of await readD1Migrations("./migrations")) {
      await db.batch(migration.queries.map((query) => db.prepare(query)));
    }
    const statements = unstable_splitSqlQuery(partnerSql(await demoPartner({}), false));
    await db.batch(statements.map((statement) => db.prepare(statement)));
    return { url: origin, stop };
  } catch (error) {
    await stop();
    throw new Error(`the SDK's gateway did not start: ${String(error)}`, { cause: error });
  }
}
