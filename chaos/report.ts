// The verdict as printed: the figures of the run, then every check with its violations.
import { percentile } from "../bench/lib/webhooks";
import type { Verdict } from "./checker";

export interface RunFigures {
  seed: number;
  kills: number;
  retries: number;
  recoveries: number[];
  faultSeconds: number;
  settleSeconds: number;
}

const SHOWN = 10;

/** Prints the verdict; answers whether the run passed. */
export function printVerdict(verdict: Verdict, run: RunFigures): boolean {
  const s = verdict.stats;
  const r = run.recoveries;
  console.log(`\nchaos verdict (seed ${run.seed})`);
  console.log(
    `  operations ${s.operations} (acknowledged ${s.acknowledged}, refused ${s.refused}), kills ${run.kills}, retries ${run.retries}`,
  );
  console.log(
    `  recovery after a restart: p50 ${Math.round(percentile(r, 50))} ms, p99 ${Math.round(percentile(r, 99))} ms, max ${Math.round(Math.max(...r))} ms`,
  );
  console.log(
    `  faults ${run.faultSeconds.toFixed(0)} s, settle ${run.settleSeconds.toFixed(1)} s; ${s.payments} payments, ${s.payouts} payouts, ${s.refunds} refunds, ${s.conversions} conversions, ${s.loans} loans`,
  );
  console.log(
    `  events ${s.events}, deliveries ${s.deliveries} (duplicates ${s.duplicateDeliveries}, recognised by webhook-id), replays ${s.replays}`,
  );
  let violations = 0;
  for (const c of verdict.checks) {
    violations += c.violations.length;
    console.log(`  ${c.violations.length === 0 ? "ok  " : "FAIL"} ${c.name}${c.violations.length ? ` (${c.violations.length})` : ""}`);
    for (const v of c.violations.slice(0, SHOWN)) console.log(`         ${v}`);
    if (c.violations.length > SHOWN) console.log(`         … ${c.violations.length - SHOWN} more`);
  }
  console.log(`  violations: ${violations}`);
  return violations === 0;
}
