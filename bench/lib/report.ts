// Printing of the bench's figures: one table, the ratio per scenario, one JSON line.
import type { LoadResult } from "./load";

export type Target = "gateway" | "bare" | "floor";

/** Every target, in the order rows are printed. */
export const TARGETS: readonly Target[] = ["gateway", "floor", "bare"];

export interface TargetRun {
  result: LoadResult;
  /** Server CPU seconds per process of the worker's group during the measured run. */
  serverCpu?: Record<string, number>;
  /** Gateway only: warn/error log lines, and among them rate-limiter fail-opens, during the run. */
  warnLines?: number;
  failOpens?: number;
  /** Why this run is not valid (non-2xx, errors…); empty when fine. */
  failures: string[];
}

export interface ScenarioRun {
  name: string;
  covers: string;
  /** Connections of this scenario's runs. */
  connections: number;
  goal?: number;
  /** Minimum gateway/floor req/s ratio we aim for, where the scenario has a floor. */
  floorGoal?: number;
  runs: Partial<Record<Target, TargetRun>>;
  /** A failure before any load (preflight request). */
  failures: string[];
}

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "-");
/** autocannon records latencies in whole milliseconds. */
const ms = (n: number) => fixed(n, Number.isInteger(n) ? 0 : 2);

/** The gateway's throughput over a baseline's (the bare Worker's by default), when both ran. */
export const ratioOf = (s: ScenarioRun, baseline: "bare" | "floor" = "bare"): number | undefined => {
  const g = s.runs.gateway?.result.rps;
  const b = s.runs[baseline]?.result.rps;
  return g !== undefined && b ? g / b : undefined;
};

function table(rows: string[][], rightAligned: boolean[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const cpuPerRequestUs = (run: TargetRun) => {
  if (!run.serverCpu || run.result.requests === 0) return undefined;
  const total = Object.values(run.serverCpu).reduce((a, b) => a + b, 0);
  return (total / run.result.requests) * 1e6;
};

export function printReport(
  scenarios: ScenarioRun[],
  meta: { connections: number; durationSec: number; via: "direct" | "proxy" },
) {
  const rows: string[][] = [
    [
      "scenario",
      "target",
      "conns",
      "req/s",
      "p50 ms",
      "p99 ms",
      "non-2xx",
      "errors",
      "server CPU µs/req",
      "client CPU %",
    ],
  ];
  for (const s of scenarios) {
    let first = true;
    for (const target of TARGETS) {
      const run = s.runs[target];
      if (!run) continue;
      const r = run.result;
      const cpu = cpuPerRequestUs(run);
      rows.push([
        first ? s.name : "",
        target,
        String(s.connections),
        fixed(r.rps, 0),
        ms(r.p50),
        ms(r.p99),
        String(r.non2xx),
        String(r.errors + r.timeouts),
        cpu === undefined ? "-" : fixed(cpu, 0),
        fixed((r.clientCpuSec / r.durationSec) * 100, 0),
      ]);
      first = false;
    }
  }
  console.log(
    `\n${table(rows, [false, false, true, true, true, true, true, true, true, true])}\n` +
      `(${meta.connections} connections unless "conns" says otherwise, ${meta.durationSec} s measured per row, ${meta.via === "direct" ? "direct to the Worker's workerd" : "through wrangler's dev proxy"}; ` +
      "latency resolution 1 ms; server CPU = all processes of that wrangler dev; client CPU = autocannon in this process)",
  );

  console.log("\nServer CPU per request by process (µs):");
  for (const s of scenarios) {
    for (const target of TARGETS) {
      const run = s.runs[target];
      if (!run?.serverCpu || run.result.requests === 0) continue;
      const parts = Object.entries(run.serverCpu)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, sec]) => `${name} ${fixed((sec / run.result.requests) * 1e6, 0)}`);
      console.log(`  ${s.name} / ${target}: ${parts.join(", ")}`);
    }
  }

  const verdict = (s: ScenarioRun, ratio: number | undefined, goal: number | undefined) => {
    const broken = s.failures.length > 0 || Object.values(s.runs).some((r) => r && r.failures.length > 0);
    if (broken) return "   (broken run: not valid)";
    if (goal !== undefined && ratio !== undefined)
      return `   goal ≥ ${goal}: ${ratio >= goal ? "met" : "NOT met"}`;
    return "";
  };
  console.log("\nGateway / bare throughput:");
  for (const s of scenarios.filter((r) => r.runs.bare)) {
    const ratio = ratioOf(s);
    console.log(
      `  ${s.name.padEnd(26)} ${ratio === undefined ? "n/a" : fixed(ratio, 2)}${verdict(s, ratio, s.goal)}`,
    );
  }
  const floored = scenarios.filter((s) => s.runs.floor);
  if (floored.length > 0) {
    console.log(
      "\nGateway / floor throughput (payments: a new Durable Object with one write + one D1 insert; ledger: plain batched inserts):",
    );
    for (const s of floored) {
      const ratio = ratioOf(s, "floor");
      console.log(
        `  ${s.name.padEnd(26)} ${ratio === undefined ? "n/a" : fixed(ratio, 2)}${verdict(s, ratio, s.floorGoal)}`,
      );
    }
  }
}

export function summaryJson(
  scenarios: ScenarioRun[],
  meta: { connections: number; durationSec: number; warmupSec: number; via: string; ok: boolean },
): string {
  const target = (run: TargetRun | undefined) => {
    if (!run) return undefined;
    const cpu = cpuPerRequestUs(run);
    return {
      rps: Math.round(run.result.rps),
      p50_ms: run.result.p50,
      p99_ms: run.result.p99,
      non2xx: run.result.non2xx,
      errors: run.result.errors + run.result.timeouts,
      cpu_us_per_req: cpu === undefined ? null : Math.round(cpu),
    };
  };
  return JSON.stringify({
    bench: "portico",
    date: new Date().toISOString(),
    ok: meta.ok,
    via: meta.via,
    connections: meta.connections,
    duration_s: meta.durationSec,
    warmup_s: meta.warmupSec,
    scenarios: scenarios.map((s) => {
      const ratio = ratioOf(s);
      const floorRatio = ratioOf(s, "floor");
      return {
        name: s.name,
        connections: s.connections,
        gateway: target(s.runs.gateway),
        bare: target(s.runs.bare),
        ratio: ratio === undefined ? null : Number(fixed(ratio, 3)),
        ...(s.goal !== undefined ? { goal: s.goal, goal_met: ratio !== undefined && ratio >= s.goal } : {}),
        ...(s.runs.floor
          ? {
              floor: target(s.runs.floor),
              floor_ratio: floorRatio === undefined ? null : Number(fixed(floorRatio, 3)),
            }
          : {}),
        ...(s.floorGoal !== undefined
          ? { floor_goal: s.floorGoal, floor_goal_met: floorRatio !== undefined && floorRatio >= s.floorGoal }
          : {}),
      };
    }),
  });
}
