import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import worker from "../../src";
import type { Env } from "../../src/platform/env";
import { CRON_JOBS, scheduled } from "../../src/scheduled";

// The cron as the platform fires it: the real `scheduled` handler with the runtime's scheduled
// controller, every job of the list or one of them with a smaller limit.

export const controllerAt = (at: number = Date.now()) =>
  createScheduledController({ scheduledTime: at, cron: "* * * * *" });

/** One run of the real cron handler (every job), fired at `at`, with some bindings replaced. */
export async function runCron(overrides: Partial<Env> = {}, at: number = Date.now()) {
  await worker.scheduled(controllerAt(at), { ...env, ...overrides });
}

/** The list's job named `name`. */
export function cronJob(name: string) {
  const job = CRON_JOBS.find((j) => j.name === name);
  if (!job) throw new Error(`no cron job ${name}`);
  return job;
}

/** One run of the handler with only the job named `name`, at `limit` items instead of its own. */
export async function runJob(name: string, limit?: number) {
  const job = cronJob(name);
  await scheduled(controllerAt(), env, [{ ...job, limit: limit ?? job.limit }]);
}

/** Moves the clock (Date only) to `ms`. */
export function clockAt(ms: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(ms);
}

/** What `work` threw, if anything, and the log lines written meanwhile (JSON, every level). */
export async function withLogs(work: () => Promise<unknown>) {
  const lines: Record<string, unknown>[] = [];
  const spies = (["log", "warn", "error"] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((line: unknown) => {
      lines.push(JSON.parse(String(line)));
    }),
  );
  let error: unknown;
  try {
    await work().catch((err: unknown) => {
      error = err;
    });
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return { error, lines };
}
