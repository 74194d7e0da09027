import type { TestProject } from "vitest/node";

// Temporary: replaced by the Redis + Upstash bridge set-up.
export default function setup(project: TestProject) {
  project.provide("upstashUrl", "http://127.0.0.1:1");
  project.provide("upstashToken", "x");
  project.provide("blackholeUrl", "http://127.0.0.1:1");
}

declare module "vitest" {
  export interface ProvidedContext {
    upstashUrl: string;
    upstashToken: string;
    blackholeUrl: string;
  }
}
