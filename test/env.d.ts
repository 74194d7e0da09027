import type { D1Migration } from "@cloudflare/vitest-plugin";
import type { Env as PorticoEnv } from "../src/platform/env";

// `env` from "cloudflare:test" is typed as Cloudflare.Env: the Worker's bindings plus test-only ones.
declare global {
  namespace Cloudflare {
    interface Env extends PorticoEnv {
      TEST_MIGRATIONS: D1Migration[];
      TEST_RETIRED_KEY: string;
      TEST_UPSTASH_URL: string;
      TEST_UPSTASH_TOKEN: string;
      TEST_BLACKHOLE_URL: string;
      TEST_RECEIVER_URL: string;
      /** The control-plane project only: the sandbox Worker's D1, and the sandbox Worker over HTTP. */
      SANDBOX_DB: D1Database;
      SANDBOX_HTTP: Fetcher;
    }
  }
}
