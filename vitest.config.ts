import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { exportJWK, generateKeyPair } from "jose";
import { defineConfig } from "vitest/config";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

// Never reach out for Request.cf data: this machine (and CI) has no internet.
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
process.env.WRANGLER_SEND_METRICS = "false";

async function testKey(kid: string) {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid };
}

/** The sandbox Worker's bundle (`npm run deploy:check` writes it); rebuilt when src/ is newer. */
const SANDBOX_BUNDLE = "dist/sandbox/index.js";
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}
function sandboxBundle(): string {
  const built = existsSync(SANDBOX_BUNDLE) ? statSync(SANDBOX_BUNDLE).mtimeMs : 0;
  if (built < Math.max(newest("src"), newest("durable-objects"), statSync("wrangler.toml").mtimeMs)) {
    execFileSync("npm", ["run", "-s", "deploy:dry", "--", "--env", "sandbox", "--outdir", "dist/sandbox"], {
      stdio: "ignore",
    });
  }
  return SANDBOX_BUNDLE;
}

/** The sandbox's D1 (wrangler.toml): the production project binds it too, to look inside. */
const SANDBOX_DATABASE_ID = "00000000-0000-4000-8000-000000000001";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  // Two live signing keys, as during a rotation: the first signs, both verify.
  const signingKeys = [await testKey("test-2026-b"), await testKey("test-2026-a")];
  const retiredKey = await testKey("test-retired");
  const dataKey = randomBytes(32).toString("base64");
  const common = {
    globalSetup: ["./test/node/global-setup.ts"],
    testTimeout: 20_000,
    // One file at a time: on a 2-core machine, parallel files starve the limiter backends past
    // their 50 ms deadline, and the exact-count rate-limit tests would see fail-open decisions.
    fileParallelism: false,
  };
  return {
    test: {
      ...common,
      projects: [
        {
          plugins: [
            cloudflareTest(({ inject }) => ({
              wrangler: { configPath: "./wrangler.toml", environment: "sandbox" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  JWT_SIGNING_KEYS: JSON.stringify(signingKeys),
                  TEST_RETIRED_KEY: JSON.stringify(retiredKey),
                  RATE_LIMIT_FAILURE_MODE: "open",
                  LOG_LEVEL: "warn",
                  TEST_UPSTASH_URL: inject("upstashUrl"),
                  TEST_UPSTASH_TOKEN: inject("upstashToken"),
                  TEST_BLACKHOLE_URL: inject("blackholeUrl"),
                  TEST_RECEIVER_URL: inject("receiverUrl"),
                  // Webhooks: secrets sealed with a per-run key, loopback receivers, second-scale retries.
                  WEBHOOK_SECRETS_KEY: dataKey,
                  WEBHOOK_ALLOW_LOOPBACK: "true",
                  WEBHOOK_RETRY_DELAYS: "1,1,1",
                  WEBHOOK_TIMEOUT_MS: "2000",
                  // The request log writes each row at once, so a test waits for no batch window
                  // (test/modules/usage/batching.test.ts sets one).
                  REQUEST_LOG_BATCH_MS: "0",
                  // Metering sends a message per call, for the same reason (metering tests set a window).
                  METERING_BATCH_MS: "0",
                  // Orchestration: the test acquirer over real HTTP (test/node/acquirer.ts), a short attempt deadline.
                  ACQUIRER_HTTP_URL: inject("acquirerUrl"),
                  ACQUIRER_HTTP_SECRET: inject("acquirerSecret"),
                  PROVIDER_TIMEOUT_MS: "1500",
                },
              },
            })),
          ],
          test: {
            ...common,
            name: "sandbox",
            setupFiles: ["./test/setup.ts"],
            include: ["test/**/*.test.ts"],
            exclude: ["test/browser/**", "test/sdk/**", "test/control-plane/**"],
          },
        },
        // The production Worker (the control plane) with the real sandbox Worker beside it, as built
        // for deployment, reached through the same service binding and RPC entrypoint as deployed.
        {
          plugins: [
            cloudflareTest(async ({ inject }) => {
              const receiver = inject("receiverUrl");
              // The sandbox environment's bindings as wrangler.toml declares them; its code is one bundle.
              const { modulesRules: _rules, ...sandbox } = unstable_getMiniflareWorkerOptions(
                "wrangler.toml",
                "sandbox",
              ).workerOptions;
              return {
                wrangler: { configPath: "./wrangler.toml", environment: "production" },
                miniflare: {
                  d1Databases: {
                    DB: "00000000-0000-4000-8000-000000000002",
                    SANDBOX_DB: SANDBOX_DATABASE_ID,
                  },
                  serviceBindings: {
                    SANDBOX: { name: "portico-sandbox", entrypoint: "SandboxProvisioning" },
                    SANDBOX_HTTP: "portico-sandbox",
                  },
                  bindings: {
                    TEST_MIGRATIONS: migrations,
                    JWT_SIGNING_KEYS: JSON.stringify(signingKeys),
                    TEST_RETIRED_KEY: JSON.stringify(retiredKey),
                    RATE_LIMIT_FAILURE_MODE: "open",
                    LOG_LEVEL: "warn",
                    TEST_RECEIVER_URL: receiver,
                    WEBHOOK_SECRETS_KEY: dataKey,
                    TURNSTILE_SECRET_KEY: "test-turnstile-secret",
                    UPSTREAM_URLS: JSON.stringify({
                      turnstile: `${receiver}/hook/turnstile/`,
                      notifications: `${receiver}/hook/notify/`,
                    }),
                    UPSTREAM_TOKENS: JSON.stringify({ notifications: "test-notify-token" }),
                    UPSTREAM_TIMEOUT_MS: "2000",
                    ONBOARDING_LINK_BASE: "https://portico.test/portal/verify",
                    TURNSTILE_SITE_KEY: "1x00000000000000000000AA",
                    ONBOARDING_REGISTRATIONS_PER_IP_PER_DAY: "3",
                    // A developer's .dev.vars (npm run dev) allows loopback webhooks: production never does.
                    WEBHOOK_ALLOW_LOOPBACK: "false",
                    METERING_BATCH_MS: "0",
                  },
                  workers: [
                    {
                      ...sandbox,
                      name: "portico-sandbox",
                      modules: true,
                      scriptPath: sandboxBundle(),
                      bindings: {
                        ...(sandbox.bindings as Record<string, unknown>),
                        JWT_SIGNING_KEYS: JSON.stringify([await testKey("test-sandbox")]),
                        WEBHOOK_SECRETS_KEY: randomBytes(32).toString("base64"),
                        RATE_LIMIT_FAILURE_MODE: "open",
                        LOG_LEVEL: "warn",
                      },
                    },
                  ],
                },
              };
            }),
          ],
          test: {
            ...common,
            name: "control-plane",
            setupFiles: ["./test/control-plane/setup.ts"],
            include: ["test/control-plane/**/*.test.ts"],
          },
        },
      ],
    },
  };
});
