import type { BreakerState, ComponentKind, ComponentState, OverallState, StatusComponent } from "./schema";

/** What one probe found. */
export interface Finding {
  status: ComponentState;
  detail: string;
  breaker?: BreakerState;
}

/** One component's check. Its details are fixed sentences: an error's message never reaches the page. */
export interface Check {
  name: string;
  kind: ComponentKind;
  /** The gateway serves nothing without it: down makes the whole status `down` (503). */
  core?: boolean;
  /** The detail when the probe throws or runs out of time. */
  failed: string;
  probe(): Promise<Finding> | Finding;
}

type Timed = Finding & { latency: number };

/** Per check: the page answers within about this long even when a backend hangs. */
export const CHECK_TIMEOUT_MS = 400;

/** Runs one check against its deadline; never throws, never waits past the deadline. */
export async function runCheck(check: Check, timeoutMs: number): Promise<StatusComponent> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<Timed>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: "down", detail: `${check.failed} within ${timeoutMs} ms`, latency: timeoutMs }),
      timeoutMs,
    );
  });
  // Timed from the probe's own start; a probe that throws, even synchronously, is a down component.
  const probed = (async (): Promise<Timed> => {
    const started = Date.now();
    let finding: Finding;
    try {
      finding = await check.probe();
    } catch {
      finding = { status: "down", detail: check.failed };
    }
    return { ...finding, latency: Math.max(0, Date.now() - started) };
  })();
  try {
    const { status, detail, breaker, latency } = await Promise.race([probed, timedOut]);
    return {
      name: check.name,
      kind: check.kind,
      status,
      latency_ms: latency,
      detail,
      ...(breaker ? { breaker } : {}),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** `down` when a core component is down, `degraded` when anything else is not ok. */
export function overallStatus(results: readonly { core: boolean; status: ComponentState }[]): OverallState {
  if (results.some((r) => r.core && r.status === "down")) return "down";
  return results.every((r) => r.status === "ok") ? "operational" : "degraded";
}

/** All checks at once: the page takes as long as the slowest one, bounded by the timeout. */
export async function runChecks(
  checks: readonly Check[],
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<{ status: OverallState; components: StatusComponent[] }> {
  const components = await Promise.all(checks.map((check) => runCheck(check, timeoutMs)));
  const results = components.map((component, i) => ({
    core: checks[i]?.core === true,
    status: component.status,
  }));
  return { status: overallStatus(results), components };
}
