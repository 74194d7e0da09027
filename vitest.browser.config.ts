import { defineConfig } from "vitest/config";

// The browser layer: plain Node (not the workers pool) driving Chromium, and the TypeScript SDK
// (sdk/typescript), against a real gateway that test/browser/global-setup.ts starts once for the whole run.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts", "test/sdk/**/*.test.ts"],
    environment: "node",
    globalSetup: ["./test/browser/global-setup.ts"],
    // Each file launches its own Chromium; two at once on a 2-core machine only slow each other.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
