import { randomBytes } from "node:crypto";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { exportJWK, generateKeyPair } from "jose";
import { defineConfig } from "vitest/config";

// Never reach out for Request.cf data: this machine (and CI) has no internet.
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
process.env.WRANGLER_SEND_METRICS = "false";

async function testKey(kid: string) {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid };
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  // Two live signing keys, as during a rotation: the first signs, both verify.
  const signingKeys = [await testKey("test-2026-b"), await testKey("test-2026-a")];
  const retiredKey = await testKey("test-retired");
  return {
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
            WEBHOOK_SECRETS_KEY: randomBytes(32).toString("base64"),
            WEBHOOK_ALLOW_LOOPBACK: "true",
            WEBHOOK_RETRY_DELAYS: "1,1,1",
            WEBHOOK_TIMEOUT_MS: "2000",
          },
        },
      })),
    ],
    test: {
      globalSetup: ["./test/node/global-setup.ts"],
      setupFiles: ["./test/setup.ts"],
      include: ["test/**/*.test.ts"],
      exclude: ["test/browser/**"],
      testTimeout: 20_000,
      // One file at a time: on a 2-core machine, parallel files starve the limiter backends past
      // their 50 ms deadline, and the exact-count rate-limit tests would see fail-open decisions.
      fileParallelism: false,
    },
  };
});
