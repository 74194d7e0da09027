// `npm run bench:metering`: what metering costs on the hot path (docs/metering.md). Two gateways
// (sandbox env, each with its own bench-owned state), the same code: metering off (METERING=off)
// and on as shipped (counts gathered per isolate for METERING_BATCH_MS, one METERING_QUEUE message
// per window, added to metered_usage by the queue consumer). Both run under `wrangler dev` at once
// and are loaded in turn, round after round with the order rotating, with the same autocannon
// settings, so drift on a shared machine falls on both alike. Prints req/s, p50, p99 and Worker
// CPU per request per round and side by side, then each gateway's metered calls (none when off).
// Exits non-zero only on a broken run (failed requests, counts where there should be none or none
// where there should be).
//
//   BENCH_DURATION=10 BENCH_WARMUP=3 BENCH_ROUNDS=3 npm run bench:metering
//   GET /v1/partner runs on BENCH_CONNECTIONS (32).
//   BENCH_PROFILE=1 samples each gateway's isolate over its measured runs (bench/lib/profile.ts).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { querySql } from "../scripts/lib/wrangler";
import { prepareGatewayState } from "./lib/gateway-state";
import { type LoadResult, loadSettingsFromEnv, positiveInt, type RequestSpec, runLoad } from "./lib/load";
import { printProfile, startProfile } from "./lib/profile";
import { installCleanup, stopAll, WorkerProcess } from "./lib/worker-process";

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, "..");
const stateDir = join(benchDir, ".state", "metering");
const verbose = process.env.BENCH_VERBOSE === "1";
const profiling = process.env.BENCH_PROFILE === "1";

/** Each gateway by its label, with the lines its env file adds. */
const SIDES = {
  "metering off": ["METERING=off"],
  "metered (default)": [],
} as const satisfies Record<string, readonly string[]>;
type Label = keyof typeof SIDES;
const LABELS = Object.keys(SIDES) as Label[];

type GatewayState = Awaited<ReturnType<typeof prepareGatewayState>>;

interface Side {
  label: Label;
  worker: WorkerProcess;
  persistTo: string;
  token: string;
}

const base = (w: WorkerProcess) => w.directUrl ?? w.url;

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

async function start(label: Label, state: GatewayState): Promise<Side> {
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

interface Scenario {
  name: string;
  connections: number;
  spec: (token: string) => RequestSpec;
}

const SCENARIOS: Scenario[] = [
  {
    name: "GET /v1/partner",
    connections: Math.round(positiveInt("BENCH_CONNECTIONS", 32)),
    spec: (token) => ({ method: "GET", path: "/v1/partner", headers: { Authorization: `Bearer ${token}` } }),
  },
];

const failedRequests = (r: LoadResult) => r.non2xx + r.errors + r.timeouts + r.warmupFailures;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function main(): Promise<number> {
  installCleanup();
  const settings = loadSettingsFromEnv();
  const rounds = Math.round(positiveInt("BENCH_ROUNDS", 3));
  const only = process.env.BENCH_SCENARIOS?.split(",").map((s) => s.trim().toLowerCase());
  const scenarios = only
    ? SCENARIOS.filter((s) => only.some((o) => s.name.toLowerCase().includes(o)))
    : SCENARIOS;
  if (scenarios.length === 0)
    throw new Error(`BENCH_SCENARIOS=${process.env.BENCH_SCENARIOS} matches no scenario`);
  console.log(
    `Metering bench: ${settings.warmupSec} s warm-up + ${settings.durationSec} s per run, ${rounds} rounds; ` +
      `gateways: ${LABELS.join(", ")}`,
  );
  // A state each (two wrangler dev processes on one state directory lock each other out), made in turn.
  const states: GatewayState[] = [];
  for (const [i, label] of LABELS.entries())
    states.push(await prepareGatewayState(join(stateDir, `gateway-${i}`), { vars: [...SIDES[label]] }));
  const sides = await Promise.all(LABELS.map((label, i) => start(label, states[i] as GatewayState)));

  let failed = false;
  const table: string[][] = [];
  for (const scenario of scenarios) {
    console.log(
      `\n== ${scenario.name} [${scenario.connections} connection${scenario.connections === 1 ? "" : "s"}]`,
    );
    const results = new Map<Label, LoadResult[]>(LABELS.map((l) => [l, []]));
    const cpuPerRequest = new Map<Label, number[]>(LABELS.map((l) => [l, []]));
    for (let round = 0; round < rounds; round++) {
      // The order rotates, so no side always runs right after another warmed the machine.
      const order = [...sides.slice(round % sides.length), ...sides.slice(0, round % sides.length)];
      for (const side of order) {
        const cpu: { start?: number; end?: number } = {};
        const workerCpu = () => side.worker.cpu()?.byProcess["workerd (worker)"];
        const label = `${scenario.name} ${side.label} round ${round + 1}`;
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
    const figures = LABELS.map((label) => {
      const runs = results.get(label) ?? [];
      return {
        rps: mean(runs.map((r) => r.rps)),
        p50: mean(runs.map((r) => r.p50)),
        p99: mean(runs.map((r) => r.p99)),
        cpu: mean(cpuPerRequest.get(label) ?? []),
      };
    });
    const baseline = figures[0]?.rps ?? 0;
    const baselineCpu = figures[0]?.cpu ?? 0;
    table.push([
      scenario.name,
      String(scenario.connections),
      ...figures.map(
        (f, i) =>
          `${f.rps.toFixed(0)} / ${f.p50.toFixed(1)} / ${f.p99.toFixed(1)} / ${f.cpu.toFixed(3)}${i === 0 ? "" : ` (${(f.rps / baseline).toFixed(3)}, CPU ${(f.cpu / baselineCpu).toFixed(3)})`}`,
      ),
    ]);
  }

  console.log(
    "\nreq/s / p50 ms / p99 ms / Worker workerd CPU ms per request (its local D1 included), the mean of the rounds; in brackets: req/s and CPU against the gateway without metering",
  );
  console.log(`| scenario | conns | ${LABELS.join(" | ")} |`);
  console.log(`|---|---|${LABELS.map(() => "---|").join("")}`);
  for (const row of table) console.log(`| ${row.join(" | ")} |`);

  // The consumer runs behind the load: give the last windows a moment to be counted.
  await new Promise((r) => setTimeout(r, 3000));
  for (const side of sides) {
    const [count] = await querySql(
      { env: "sandbox", persistTo: side.persistTo },
      "SELECT COALESCE(SUM(calls), 0) AS n FROM metered_usage",
    );
    const calls = Number(count?.n);
    console.log(`  ${side.label}: metered_usage holds ${calls} calls`);
    if (side.label === "metering off" ? calls !== 0 : !(calls > 0)) failed = true;
  }
  await stopAll();
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(err);
    await stopAll();
    process.exit(1);
  },
);
