// A side-by-side bench (bench:request-log, bench:metering): the same code under several gateways
// that differ only in the lines their env files add, each with its own bench-owned state, all under
// `wrangler dev` at once. They are loaded in turn, round after round with the order rotating and the
// same autocannon settings, so drift on a shared machine falls on all alike. Prints req/s, p50, p99
// and Worker CPU per request per round, then a table against the first side (the baseline), then
// hands the sides to `check` for what they stored. Exits non-zero only on a broken run.
//
//   BENCH_DURATION=10 BENCH_WARMUP=3 BENCH_ROUNDS=3; BENCH_SCENARIOS="payments" runs matching ones.
//   BENCH_PROFILE=1 samples each gateway's isolate over its measured runs (profile.ts) and prints
//   where its JavaScript spends its time per request; compare figures from runs without it.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareGatewayState } from "./gateway-state";
import { type LoadResult, loadSettingsFromEnv, positiveInt, type RequestSpec, runLoad } from "./load";
import { printProfile, startProfile } from "./profile";
import { installCleanup, stopAll, WorkerProcess } from "./worker-process";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const verbose = process.env.BENCH_VERBOSE === "1";
const profiling = process.env.BENCH_PROFILE === "1";

type GatewayState = Awaited<ReturnType<typeof prepareGatewayState>>;

export interface Side {
  label: string;
  worker: WorkerProcess;
  persistTo: string;
  token: string;
}

export interface Scenario {
  name: string;
  connections: number;
  spec: (token: string) => RequestSpec;
}

export interface SideBySide {
  /** The bench's name, and its directory under bench/.state. */
  title: string;
  state: string;
  /** Each gateway by its label, with the lines its env file adds; the first is the baseline. */
  sides: Record<string, readonly string[]>;
  scenarios: Scenario[];
  /** What the ratio in brackets compares against, e.g. "the gateway without the log". */
  baseline: string;
  /** After the load: reads what each side stored; true when a side holds what it should not. */
  check: (sides: Side[]) => Promise<boolean>;
}

const base = (w: WorkerProcess) => w.directUrl ?? w.url;
const failedRequests = (r: LoadResult) => r.non2xx + r.errors + r.timeouts + r.warmupFailures;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function tokenOf(url: string, state: GatewayState): Promise<string> {
  const basic = Buffer.from(`${state.partner.consumerKey}:${state.partner.consumerSecret}`).toString(
    "base64",
  );
  const res = await fetch(`${url}/oauth2/token`, {
    method: "POST",
    headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: HTTP ${res.status}`);
  return body.access_token;
}

async function start(label: string, state: GatewayState): Promise<Side> {
  const worker = await WorkerProcess.start({
    label,
    cwd: root,
    args: [
      "--env",
      "sandbox",
      "--persist-to",
      state.persistTo,
      "--env-file",
      state.envFile,
      "--var",
      "LOG_LEVEL:warn",
      "--log-level",
      "warn",
    ],
    readyPath: "/status",
    verbose,
  });
  return { label, worker, persistTo: state.persistTo, token: await tokenOf(base(worker), state) };
}

/** One measured run of `scenario` against `side`: its load result and Worker CPU per request. */
async function measure(side: Side, scenario: Scenario, label: string, stateDir: string) {
  const settings = loadSettingsFromEnv();
  const cpu: { start?: number; end?: number } = {};
  const workerCpu = () => side.worker.cpu()?.byProcess["workerd (worker)"];
  let profile: Awaited<ReturnType<typeof startProfile>> | undefined;
  const r = await runLoad(
    base(side.worker),
    scenario.spec(side.token),
    { ...settings, connections: scenario.connections },
    {
      onMeasureStart: async () => {
        if (profiling)
          profile = await startProfile(side.worker.inspectorPort, label, join(stateDir, "profiles"));
        cpu.start = workerCpu();
      },
      onMeasureEnd: () => {
        cpu.end = workerCpu();
      },
    },
  );
  if (profile) printProfile(label, await profile.stop(r.requests), r.requests);
  const cpuMs =
    cpu.start !== undefined && cpu.end !== undefined && r.requests > 0
      ? ((cpu.end - cpu.start) * 1000) / r.requests
      : Number.NaN;
  return { r, cpuMs };
}

async function main(bench: SideBySide): Promise<number> {
  installCleanup();
  const stateDir = join(root, "bench", ".state", bench.state);
  const labels = Object.keys(bench.sides);
  const settings = loadSettingsFromEnv();
  const rounds = Math.round(positiveInt("BENCH_ROUNDS", 3));
  const only = process.env.BENCH_SCENARIOS?.split(",").map((s) => s.trim().toLowerCase());
  const scenarios = only
    ? bench.scenarios.filter((s) => only.some((o) => s.name.toLowerCase().includes(o)))
    : bench.scenarios;
  if (scenarios.length === 0)
    throw new Error(`BENCH_SCENARIOS=${process.env.BENCH_SCENARIOS} matches no scenario`);
  console.log(
    `${bench.title}: ${settings.warmupSec} s warm-up + ${settings.durationSec} s per run, ${rounds} rounds; ` +
      `gateways: ${labels.join(", ")}`,
  );
  // A state each (two wrangler dev processes on one state directory lock each other out), made in turn.
  const states: GatewayState[] = [];
  for (const [i, label] of labels.entries())
    states.push(
      await prepareGatewayState(join(stateDir, `gateway-${i}`), { vars: [...(bench.sides[label] ?? [])] }),
    );
  const sides = await Promise.all(labels.map((label, i) => start(label, states[i] as GatewayState)));

  let failed = false;
  const table: string[][] = [];
  for (const scenario of scenarios) {
    const conns = `${scenario.connections} connection${scenario.connections === 1 ? "" : "s"}`;
    console.log(`\n== ${scenario.name} [${conns}]`);
    const results = new Map<string, LoadResult[]>(labels.map((l) => [l, []]));
    const cpuPerRequest = new Map<string, number[]>(labels.map((l) => [l, []]));
    for (let round = 0; round < rounds; round++) {
      // The order rotates, so no side always runs right after another warmed the machine.
      const order = [...sides.slice(round % sides.length), ...sides.slice(0, round % sides.length)];
      for (const side of order) {
        const label = `${scenario.name} ${side.label} round ${round + 1}`;
        const { r, cpuMs } = await measure(side, scenario, label, stateDir);
        cpuPerRequest.get(side.label)?.push(cpuMs);
        results.get(side.label)?.push(r);
        console.log(
          `  round ${round + 1}  ${side.label.padEnd(20)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  Worker CPU ${cpuMs.toFixed(2)} ms/request`,
        );
        if (failedRequests(r) > 0) {
          failed = true;
          console.error(
            `!!!!!!!! ${side.label}: ${failedRequests(r)} failed requests (${JSON.stringify(r.statusCodes)})`,
          );
        }
      }
    }
    const figures = labels.map((label) => {
      const runs = results.get(label) ?? [];
      return {
        rps: mean(runs.map((r) => r.rps)),
        p50: mean(runs.map((r) => r.p50)),
        p99: mean(runs.map((r) => r.p99)),
        cpu: mean(cpuPerRequest.get(label) ?? []),
      };
    });
    const baseRps = figures[0]?.rps ?? 0;
    const baseCpu = figures[0]?.cpu ?? 0;
    table.push([
      scenario.name,
      String(scenario.connections),
      ...figures.map(
        (f, i) =>
          `${f.rps.toFixed(0)} / ${f.p50.toFixed(1)} / ${f.p99.toFixed(1)} / ${f.cpu.toFixed(3)}${i === 0 ? "" : ` (${(f.rps / baseRps).toFixed(3)}, CPU ${(f.cpu / baseCpu).toFixed(3)})`}`,
      ),
    ]);
  }

  console.log(
    `\nreq/s / p50 ms / p99 ms / Worker workerd CPU ms per request (its local D1 included), the mean of the rounds; in brackets: req/s and CPU against ${bench.baseline}`,
  );
  console.log(`| scenario | conns | ${labels.join(" | ")} |`);
  console.log(`|---|---|${labels.map(() => "---|").join("")}`);
  for (const row of table) console.log(`| ${row.join(" | ")} |`);
  if (await bench.check(sides)) failed = true;
  await stopAll();
  return failed ? 1 : 0;
}

/** Runs the bench and exits with its code. */
export function runSideBySide(bench: SideBySide) {
  main(bench).then(
    (code) => process.exit(code),
    async (err: unknown) => {
      console.error(err);
      await stopAll();
      process.exit(1);
    },
  );
}
