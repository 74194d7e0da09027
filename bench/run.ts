// `npm run bench`: the gateway (sandbox env, bench-owned state) and a bare Hono Worker, both
// under `wrangler dev` on this machine, loaded with the same autocannon settings per scenario.
// Prints req/s, p50 and p99 for both and their ratio. Exits non-zero only on a broken run
// (a worker did not start, non-2xx answers, connection errors), never because of the figures.
//
//   BENCH_DURATION=10 BENCH_CONNECTIONS=32 BENCH_WARMUP=3 npm run bench
//   BENCH_SCENARIOS="GET /v1/partner,oauth2" runs only the scenarios whose name contains one of
//   the comma-separated parts.
//   A scenario may fix its own connections ("conns" in the table): POST /v1/payments runs on
//   BENCH_PAYMENTS_CONNECTIONS (default 1), as one connection already saturates the gateway there.
//   BENCH_VIA=direct (default) loads each Worker's own workerd socket; BENCH_VIA=proxy goes
//   through wrangler's dev proxy on the public port (one more HTTP hop, in both cases).
//   After the scenarios, an idempotency storm: BENCH_STORM_KEYS (100) distinct Idempotency-Keys ×
//   BENCH_STORM_RETRIES (20) identical POST /v1/payments all at once, 409s retried until each key
//   has its 200; then one payment per key, one capture entry per payment and a balanced ledger
//   (local D1) are checked. BENCH_STORM=0 skips it; with BENCH_SCENARIOS it runs when a part
//   matches "idempotency storm".
//   Last, webhook delivery: a receiver in the bench process (127.0.0.1, a free port) registered as
//   the bench partner's endpoint for payment.captured, BENCH_WEBHOOK_EVENTS (300) captured payments
//   created BENCH_WEBHOOK_CONCURRENCY (4) at a time, ~30% of first attempts answered 500; waits
//   (up to BENCH_WEBHOOK_TIMEOUT, 120 s) until every event is delivered, then prints events/s, lag,
//   retries, dead letters, duplicates, signature failures, beside the receiver's own throughput.
//   BENCH_WEBHOOKS=0 skips it; with BENCH_SCENARIOS it runs when a part matches "webhook delivery".
//   Payment scenarios also load bench/floor, the least durable work a payment needs (a new SQLite
//   Durable Object with one write, one D1 insert), and print the gateway / floor ratio.
//   Then the mixed soak: BENCH_SOAK_SECONDS (300) of reads, payments, refunds and payouts at a fixed
//   BENCH_SOAK_RATE (20/s), with their webhooks to a receiver in the bench; p50/p99 per operation,
//   errors (must be 0), deliveries, and the gateway workerd's memory through the run.
//   BENCH_SOAK=0 skips it; with BENCH_SCENARIOS it runs when a part matches "mixed soak".
//   BENCH_PROFILE=1 takes a CPU profile of the gateway's Worker over each measured gateway run
//   (through wrangler dev's inspector) and prints the functions with the most self time per
//   request; the profiler's sampling costs throughput, so compare figures from runs without it.
//   BENCH_VERBOSE=1 mirrors wrangler's output; BENCH_WRANGLER_LOG_LEVEL (default warn) sets
//   `wrangler dev --log-level` for both Workers (at info and below, every request is logged
//   through a round trip to wrangler's Node process).
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations, querySql } from "../scripts/lib/wrangler";
import { dpopSigner, fetchDpopToken } from "./lib/dpop";
import { prepareGatewayState, WEBHOOK_RETRY_DELAYS } from "./lib/gateway-state";
import { loadSettingsFromEnv, type RequestSpec, runLoad, withFreshIds } from "./lib/load";
import { printProfile, startProfile } from "./lib/profile";
import { printReport, type ScenarioRun, summaryJson, type Target, type TargetRun } from "./lib/report";
import { printSoak, runSoak, type SoakResult, soakJson, soakSettingsFromEnv } from "./lib/soak";
import { printStorm, runStorm, type StormResult, stormJson, stormSettingsFromEnv } from "./lib/storm";
import {
  printWebhooks,
  runWebhooks,
  type WebhookResult,
  webhookSettingsFromEnv,
  webhooksJson,
} from "./lib/webhooks";
import { type CpuSample, installCleanup, stopAll, WorkerProcess } from "./lib/worker-process";
import { type BenchContext, SCENARIOS } from "./scenarios";

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(benchDir, "..");
const stateDir = join(benchDir, ".state");
const verbose = process.env.BENCH_VERBOSE === "1";
const wranglerLogLevel = process.env.BENCH_WRANGLER_LOG_LEVEL || "warn";
const via = process.env.BENCH_VIA === "proxy" ? "proxy" : "direct";
const profiling = process.env.BENCH_PROFILE === "1";

const LOUD = (msg: string) => `\n!!!!!!!! ${msg}`;

/** An error's message with its causes (fetch failures keep the reason in `cause`). */
const errorText = (err: unknown): string =>
  err instanceof Error
    ? err.cause === undefined
      ? err.message
      : `${err.message}: ${errorText(err.cause)}`
    : String(err);

function compatibilityDate(tomlPath: string): string {
  const match = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(tomlPath, "utf8"));
  if (!match?.[1]) throw new Error(`no compatibility_date in ${tomlPath}`);
  return match[1];
}

async function send(base: string, request: RequestSpec) {
  const spec = withFreshIds(request);
  const res = await fetch(base + spec.path, {
    method: spec.method,
    headers: spec.headers ?? {},
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.text() };
}

async function fetchToken(gatewayUrl: string, basicAuth: string): Promise<string> {
  const { status, body } = await send(gatewayUrl, {
    method: "POST",
    path: "/oauth2/token",
    headers: { Authorization: basicAuth, "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
  const token = status === 200 ? (JSON.parse(body) as { access_token?: unknown }).access_token : undefined;
  if (typeof token !== "string")
    throw new Error(`could not get a token: HTTP ${status} ${body.slice(0, 500)}`);
  return token;
}

function failuresOf(target: Target, run: TargetRun["result"]): string[] {
  const failures: string[] = [];
  const codes = (c: Record<string, number>) =>
    Object.entries(c)
      .map(([code, n]) => `${code}×${n}`)
      .join(", ");
  if (run.non2xx > 0) failures.push(`${target}: ${run.non2xx} non-2xx responses (${codes(run.statusCodes)})`);
  if (run.errors + run.timeouts > 0)
    failures.push(`${target}: ${run.errors} connection errors, ${run.timeouts} timeouts`);
  if (run.warmupFailures > 0)
    failures.push(
      `${target}: ${run.warmupFailures} failures in the warm-up (${codes(run.warmupStatusCodes)})`,
    );
  if (run.statusCodes["429"])
    failures.push(`${target}: 429s: the rate limit capped the run (is the bench partner on the top tier?)`);
  return failures;
}

async function main(): Promise<number> {
  installCleanup();
  const settings = loadSettingsFromEnv();
  const only = process.env.BENCH_SCENARIOS?.split(",").map((s) => s.trim().toLowerCase());
  const scenarios = only
    ? SCENARIOS.filter((s) => only.some((o) => s.name.toLowerCase().includes(o)))
    : SCENARIOS;
  const stormName = "idempotency storm";
  const storm =
    process.env.BENCH_STORM !== "0" && (!only || only.some((o) => stormName.includes(o)))
      ? stormSettingsFromEnv()
      : undefined;
  const webhooksName = "webhook delivery";
  const webhooks =
    process.env.BENCH_WEBHOOKS !== "0" && (!only || only.some((o) => webhooksName.includes(o)))
      ? webhookSettingsFromEnv()
      : undefined;
  const soakName = "mixed soak";
  const soak =
    process.env.BENCH_SOAK !== "0" && (!only || only.some((o) => soakName.includes(o)))
      ? soakSettingsFromEnv()
      : undefined;
  if (scenarios.length === 0 && !storm && !webhooks && !soak)
    throw new Error(`BENCH_SCENARIOS=${process.env.BENCH_SCENARIOS} matches no scenario`);
  const compatDate = compatibilityDate(join(root, "wrangler.toml"));
  const bareDate = compatibilityDate(join(benchDir, "bare", "wrangler.toml"));
  const floorDate = compatibilityDate(join(benchDir, "floor", "wrangler.toml"));
  const withFloor = scenarios.some((s) => s.floor);
  console.log(
    `Portico bench: ${settings.connections} connections, ${settings.warmupSec} s warm-up + ${settings.durationSec} s ` +
      `per target; ${cpus().length} CPUs, Node ${process.version}, compatibility_date ${compatDate}`,
  );
  for (const [name, date] of [
    ["bare", bareDate],
    ["floor", floorDate],
  ] as const) {
    if (date !== compatDate)
      console.warn(
        `bench/${name}/wrangler.toml has compatibility_date ${date}; running it with ${compatDate}`,
      );
  }

  console.log("Preparing bench state in bench/.state (D1 migrations, bench partner on the enterprise tier)…");
  const state = await prepareGatewayState(stateDir);
  const floorConfig = join(benchDir, "floor", "wrangler.toml");
  const floorState = join(stateDir, "floor");
  if (withFloor) await applyMigrations({ config: floorConfig, persistTo: floorState });

  console.log(
    `Starting the gateway, the bare Worker${withFloor ? " and the floor Worker" : ""} (wrangler dev)…`,
  );
  const [gateway, bare, floor] = await Promise.all([
    WorkerProcess.start({
      label: "gateway",
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
        wranglerLogLevel,
      ],
      readyPath: "/status",
      verbose,
    }),
    WorkerProcess.start({
      label: "bare",
      cwd: root,
      args: [
        "-c",
        join(benchDir, "bare", "wrangler.toml"),
        "--persist-to",
        join(stateDir, "bare"),
        "--compatibility-date",
        compatDate,
        "--log-level",
        wranglerLogLevel,
      ],
      verbose,
    }),
    withFloor
      ? WorkerProcess.start({
          label: "floor",
          cwd: root,
          args: [
            "-c",
            floorConfig,
            "--persist-to",
            floorState,
            "--compatibility-date",
            compatDate,
            "--log-level",
            wranglerLogLevel,
          ],
          verbose,
        })
      : undefined,
  ]);
  const direct =
    via === "direct" &&
    gateway.directUrl !== undefined &&
    bare.directUrl !== undefined &&
    (floor === undefined || floor.directUrl !== undefined);
  const base = (w: WorkerProcess) => (direct ? (w.directUrl ?? w.url) : w.url);
  if (via === "direct" && !direct)
    console.warn("  Worker sockets not found (no /proc?): loading through the dev proxy");
  console.log(
    `  gateway ${base(gateway)}   bare ${base(bare)}${floor ? `   floor ${base(floor)}` : ""}   (${direct ? "direct to each Worker's workerd" : "through wrangler's dev proxy"})`,
  );

  const basicAuth = `Basic ${Buffer.from(`${state.partner.consumerKey}:${state.partner.consumerSecret}`).toString("base64")}`;
  const signer = dpopSigner();
  const dpop = await fetchDpopToken(base(gateway), basicAuth, signer);
  const ctx: BenchContext = {
    dpop: {
      token: dpop.token,
      proof: (method, path) => signer.proof(method, `${dpop.origin}${path}`, { accessToken: dpop.token }),
    },
    token: await fetchToken(base(gateway), basicAuth),
    basicAuth,
    partnerId: state.partner.partnerId,
    user: { username: state.partner.username ?? "", password: state.partner.password ?? "" },
  };

  const results: ScenarioRun[] = [];
  for (const scenario of scenarios) {
    const specs: Partial<Record<Target, RequestSpec>> = {
      gateway: scenario.gateway(ctx),
      ...(scenario.bare === null
        ? {}
        : { bare: scenario.bare?.(ctx) ?? { ...scenario.gateway(ctx), path: "/" } }),
      ...(scenario.floor && floor ? { floor: scenario.floor(ctx) } : {}),
    };
    const scenarioSettings = {
      ...settings,
      connections: scenario.connections?.() ?? settings.connections,
    };
    const run: ScenarioRun = {
      name: scenario.name,
      covers: scenario.covers,
      connections: scenarioSettings.connections,
      runs: {},
      failures: [],
    };
    if (scenario.goal !== undefined) run.goal = scenario.goal;
    if (scenario.floorGoal !== undefined) run.floorGoal = scenario.floorGoal;
    results.push(run);
    console.log(
      `\n== ${scenario.name}: ${scenario.covers}` +
        (scenarioSettings.connections !== settings.connections
          ? ` [${scenarioSettings.connections} connection${scenarioSettings.connections === 1 ? "" : "s"}]`
          : ""),
    );

    for (const target of ["bare", "floor", "gateway"] as const) {
      const worker =
        target === "gateway"
          ? scenario.gatewayWorker === "floor"
            ? floor
            : gateway
          : target === "floor"
            ? floor
            : bare;
      const spec = specs[target];
      if (!worker || !spec) continue;
      const first = await send(base(worker), spec).catch((err: unknown) => ({
        status: 0,
        body: `no answer (${errorText(err)}); did wrangler restart the Worker?`,
      }));
      const wrong =
        first.status === 0
          ? first.body
          : first.status < 200 || first.status > 299
            ? `HTTP ${first.status}: ${first.body.slice(0, 500)}`
            : target === "gateway"
              ? scenario.check?.(first.body, ctx)
              : undefined;
      if (wrong) {
        run.failures.push(`${target}: first ${spec.method} ${spec.path} answered ${wrong}`);
        continue;
      }

      let warnLines = 0;
      let failOpens = 0;
      const unlisten = worker.onLine((line) => {
        if (/"level":"(warn|error)"/.test(line)) warnLines++;
        if (line.includes("rate limiter backend failed")) failOpens++;
      });
      const cpu: { start?: CpuSample; end?: CpuSample } = {};
      const workerds = worker.workerdPids();
      const profile =
        profiling && target === "gateway"
          ? {
              label: `${scenario.name} gateway`,
              session: undefined as Awaited<ReturnType<typeof startProfile>> | undefined,
            }
          : undefined;
      process.stdout.write(`  ${target}: ${spec.method} ${spec.path} … `);
      const result = await runLoad(base(worker), spec, scenarioSettings, {
        onMeasureStart: async () => {
          if (profile)
            profile.session = await startProfile(
              worker.inspectorPort,
              profile.label,
              join(stateDir, "profiles"),
            );
          cpu.start = worker.cpu();
        },
        onMeasureEnd: () => {
          cpu.end = worker.cpu();
        },
      });
      unlisten();
      console.log(`${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
      if (profile?.session)
        printProfile(profile.label, await profile.session.stop(result.requests), result.requests);

      const targetRun: TargetRun = { result, failures: failuresOf(target, result) };
      if (worker.workerdPids() !== workerds) {
        targetRun.failures.push(
          `${target}: wrangler restarted the Worker during the run (a source file changed?); run again`,
        );
      }
      if (cpu.start && cpu.end && targetRun.failures.length === 0) {
        const before = cpu.start.byProcess;
        targetRun.serverCpu = Object.fromEntries(
          Object.entries(cpu.end.byProcess).map(([name, sec]) => [name, sec - (before[name] ?? 0)]),
        );
      }
      if (target === "gateway") {
        targetRun.warnLines = warnLines;
        targetRun.failOpens = failOpens;
        if (warnLines > 0) console.log(`  gateway logged ${warnLines} warn/error lines during the run`);
        if (failOpens > 0) {
          targetRun.failures.push(
            `gateway: ${failOpens} requests skipped the rate limiter (deadline exceeded, fail-open): the figures overstate the gateway`,
          );
        }
      }
      for (const failure of targetRun.failures) console.error(LOUD(failure));
      run.runs[target] = targetRun;
    }
    for (const failure of run.failures) console.error(LOUD(failure));
  }

  const ledgerRun = results.find((r) => r.name.startsWith("ledger"));
  if (ledgerRun?.runs.gateway) {
    // Debits minus credits per currency over every entry the run posted: zero when it balances.
    const rows = await querySql(
      { config: floorConfig, persistTo: floorState },
      "SELECT currency, SUM(CASE WHEN direction = 'debit' THEN amount ELSE -amount END) AS imbalance, COUNT(*) AS postings FROM postings GROUP BY currency",
    );
    const unbalanced = rows.filter((r) => Number(r.imbalance) !== 0);
    console.log(
      `  ledger after the run: ${rows.map((r) => `${r.currency} ${r.postings} postings, imbalance ${r.imbalance}`).join("; ") || "no postings"}`,
    );
    if (unbalanced.length > 0)
      ledgerRun.failures.push(`ledger: unbalanced after the run (${JSON.stringify(unbalanced)})`);
  }

  /**
   * One of the runs after the scenarios, on the gateway: counts its warn/error lines and
   * rate-limiter fail-opens while it runs, notes a restart of the Worker, and turns a crash of
   * the run itself into a failure.
   */
  async function onGateway<R extends { failures: string[]; warnLines?: number; failOpens?: number }>(
    label: string,
    restarted: string,
    run: () => Promise<R>,
  ): Promise<{ result?: R; failure?: string }> {
    const workerds = gateway.workerdPids();
    let warnLines = 0;
    let failOpens = 0;
    const unlisten = gateway.onLine((line) => {
      if (/"level":"(warn|error)"/.test(line)) warnLines++;
      if (line.includes("rate limiter backend failed")) failOpens++;
    });
    try {
      const result = await run();
      result.warnLines = warnLines;
      result.failOpens = failOpens;
      if (gateway.workerdPids() !== workerds) result.failures.push(`${label}: ${restarted}`);
      return { result };
    } catch (err) {
      const failure = `${label}: could not finish: ${errorText(err)}`;
      console.error(LOUD(failure));
      return { failure };
    } finally {
      unlisten();
    }
  }

  let stormResult: StormResult | undefined;
  let stormFailure: string | undefined;
  if (storm) {
    console.log(
      `\n== ${stormName}: ${storm.keys} keys × ${storm.retriesPerKey} identical POST /v1/payments at once, ` +
        "409 (in flight) retried after Retry-After until each key answers 200",
    );
    ({ result: stormResult, failure: stormFailure } = await onGateway(
      "storm",
      "wrangler restarted the gateway during the storm (a source file changed?); run again",
      () => runStorm(base(gateway), ctx, storm, { env: "sandbox", persistTo: state.persistTo }),
    ));
    if (stormResult) {
      console.log(
        `  ${stormResult.requestsSent} requests in ${(stormResult.durationMs / 1000).toFixed(1)} s; ` +
          `${stormResult.paymentsCreated} payments for ${stormResult.keys} keys (details below)`,
      );
      for (const failure of stormResult.failures) console.error(LOUD(failure));
    }
  }

  let webhookResult: WebhookResult | undefined;
  let webhookFailure: string | undefined;
  if (webhooks) {
    console.log(
      `\n== ${webhooksName}: ${webhooks.events} payment.captured events (payments ${webhooks.concurrency} at a time) ` +
        `to a receiver in this process that answers 500 to ~${webhooks.failShare * 100}% of first attempts`,
    );
    ({ result: webhookResult, failure: webhookFailure } = await onGateway(
      "webhooks",
      "wrangler restarted the gateway during the run; run again",
      () => runWebhooks(base(gateway), ctx, webhooks, { env: "sandbox", persistTo: state.persistTo }),
    ));
    for (const failure of webhookResult?.failures ?? []) console.error(LOUD(failure));
  }

  let soakResult: SoakResult | undefined;
  let soakFailure: string | undefined;
  if (soak) {
    console.log(
      `\n== ${soakName}: ${soak.seconds} s at ${soak.rate} requests/s (reads, payments, refunds, payouts) with their webhooks`,
    );
    ({ result: soakResult, failure: soakFailure } = await onGateway(
      "soak",
      "wrangler restarted the gateway during the run; run again",
      () => runSoak(base(gateway), ctx, soak, gateway),
    ));
    if (soakResult?.failOpens)
      soakResult.failures.push(`soak: ${soakResult.failOpens} requests skipped the rate limiter (fail-open)`);
    for (const failure of soakResult?.failures ?? []) console.error(LOUD(failure));
  }

  const failures = [
    ...results.flatMap((s) => [...s.failures, ...Object.values(s.runs).flatMap((r) => r?.failures ?? [])]),
    ...(stormResult?.failures ?? []),
    ...(stormFailure ? [stormFailure] : []),
    ...(webhookResult?.failures ?? []),
    ...(webhookFailure ? [webhookFailure] : []),
    ...(soakResult?.failures ?? []),
    ...(soakFailure ? [soakFailure] : []),
  ];
  if (results.length > 0) printReport(results, { ...settings, via: direct ? "direct" : "proxy" });
  if (stormResult) {
    console.log(`\nIdempotency storm:`);
    printStorm(stormResult);
  }
  if (webhookResult) {
    console.log(`\nWebhook delivery:`);
    printWebhooks(webhookResult, WEBHOOK_RETRY_DELAYS);
  }
  if (soakResult) {
    console.log(`\nMixed soak:`);
    printSoak(soakResult);
  }
  if (failures.length > 0) {
    console.error(LOUD(`BROKEN RUN: ${failures.length} problem(s); the figures above are not valid:`));
    for (const f of failures) console.error(`  - ${f}`);
  }
  const summary = summaryJson(results, {
    ...settings,
    via: direct ? "direct" : "proxy",
    ok: failures.length === 0,
  });
  const extra = {
    ...(stormResult ? { storm: stormJson(stormResult) } : {}),
    ...(webhookResult ? { webhooks: webhooksJson(webhookResult) } : {}),
    ...(soakResult ? { soak: soakJson(soakResult) } : {}),
  };
  console.log(`\n${JSON.stringify({ ...JSON.parse(summary), ...extra })}`);
  return failures.length === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(LOUD(`bench failed: ${errorText(err)}`));
} finally {
  await stopAll();
}
process.exit(code);
