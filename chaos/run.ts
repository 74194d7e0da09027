// `npm run chaos`: the crash loop. The gateway runs under `wrangler dev` with local persistence
// and a webhook receiver; two partners' workers drive a mixed workload, retrying like a partner
// (same Idempotency-Key after every timeout or lost connection); the whole runtime is killed
// with SIGKILL at random moments and restarted, again and again. Then the kills stop, the
// asynchronous work settles (outboxes, queues, payouts), every acknowledged write is replayed
// under its key, and the checker proves the invariants over the whole history and the stored
// state. Exits non-zero on any violation.
//
//   npm run chaos                     full run: ≥ 5,000 operations and ≥ 50 kills
//   npm run chaos -- --short          the run inside `npm test`: ≥ 150 operations, ≥ 5 kills
//   npm run chaos -- --seed 42        replays the run of seed 42 (printed by every run)
//   --ops N, --kills N, --workers N   override; CHAOS_VERBOSE=1 mirrors wrangler's output
//   --redrive-after S                 QUEUE_REDRIVE_AFTER_SECONDS of the gateway (default 10)
import { randomInt } from "node:crypto";
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { prepareGatewayState } from "../bench/lib/gateway-state";
import { installCleanup, stopAll } from "../bench/lib/worker-process";
import { buildPartner } from "../src/modules/partners/provisioning";
import { PRODUCTS } from "../src/platform/catalog";
import { type CheckInput, check } from "./checker";
import { ChaosClient } from "./client";
import { Gateway } from "./gateway";
import { printVerdict } from "./report";
import { Random } from "./random";
import { startReceiver } from "./receiver";
import { settle } from "./settle";
import { selfTest } from "./self-test";
import { d1File, objectsOf, openD1 } from "./storage";
import { runWorker } from "./workload";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const stateDir = join(root, "chaos", ".state");

const { values: args } = parseArgs({
  options: {
    short: { type: "boolean", default: false },
    seed: { type: "string" },
    ops: { type: "string" },
    kills: { type: "string" },
    workers: { type: "string" },
    "redrive-after": { type: "string" },
  },
});
const short = args.short === true;
const settings = {
  seed: args.seed === undefined ? randomInt(1, 2 ** 31 - 1) : Number(args.seed),
  ops: Number(args.ops ?? (short ? 150 : 5000)),
  kills: Number(args.kills ?? (short ? 5 : 50)),
  workers: Number(args.workers ?? (short ? 12 : 16)),
  /** Between a restart's readiness and the next kill. */
  killAfterMs: [200, 2000] as const,
  /** Per attempt, and per operation (retries included). */
  timeoutMs: 10_000,
  deadlineMs: 180_000,
  /** The cron's re-drive of queue work lost with a killed runtime (in-memory local queues). */
  redriveAfterSeconds: Number(args["redrive-after"] ?? 10),
};
const FEES = [150, 0];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  installCleanup();
  const rng = new Random(settings.seed);
  console.log(
    `chaos: seed ${settings.seed}, ≥ ${settings.ops} operations, ≥ ${settings.kills} kills, ${settings.workers} workers`,
  );
  const provisioned = await Promise.all(
    FEES.map((feeBps, i) =>
      buildPartner({
        name: `Chaos Partner ${i}`,
        environment: "sandbox",
        tier: "enterprise",
        products: [...PRODUCTS],
        rateLimitPerSecond: 1_000_000,
        dailyQuota: null,
        feeBps,
      }),
    ),
  );
  const state = await prepareGatewayState(stateDir, {
    partners: provisioned,
    vars: [`QUEUE_REDRIVE_AFTER_SECONDS=${settings.redriveAfterSeconds}`],
  });
  const receiver = await startReceiver();
  const gateway = new Gateway({
    root,
    persistTo: state.persistTo,
    envFile: state.envFile,
    verbose: process.env.CHAOS_VERBOSE === "1",
  });
  await gateway.start();

  const started = performance.now();
  const tokens = new Map<number, string>();
  const token = async (partner: number, refresh = false) => {
    const cached = tokens.get(partner);
    if (cached && !refresh) return cached;
    const p = state.partners[partner];
    if (!p) throw new Error(`no partner ${partner}`);
    for (;;) {
      try {
        const res = await fetch(`${gateway.url}/oauth2/token`, {
          method: "POST",
          headers: {
            Authorization: `Basic ${Buffer.from(`${p.consumerKey}:${p.consumerSecret}`).toString("base64")}`,
            "Content-Type": "application/x-www-form-urlencoded",
          },
          body: "grant_type=client_credentials",
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
        const body = (await res.json().catch(() => ({}))) as { access_token?: string };
        if (res.ok && body.access_token) {
          tokens.set(partner, body.access_token);
          return body.access_token;
        }
      } catch {
        // the gateway is down: again
      }
      await sleep(300);
    }
  };
  const client = new ChaosClient({
    baseUrl: () => gateway.url,
    token,
    started,
    timeoutMs: settings.timeoutMs,
    deadlineMs: settings.deadlineMs,
  });

  // Each partner's webhook endpoint, before any event: every event of the run is delivered.
  for (const [i] of state.partners.entries()) {
    const made = await client.run({
      id: `setup.${i}`,
      partner: i,
      kind: "webhook endpoint",
      method: "POST",
      path: "/v1/webhook_endpoints",
      body: { params: { url: receiver.urlFor(i) } },
      key: `chaos-${settings.seed}-endpoint-${i}`,
    });
    const secret = made.answer?.body.result?.secret;
    if (typeof secret !== "string") throw new Error(`webhook endpoint: ${made.answer?.text ?? "no answer"}`);
    receiver.trust(i, secret);
  }

  // The workload and the faults, together.
  const faultRng = rng.fork();
  let faulting = true;
  const workers = Array.from({ length: settings.workers }, (_, index) =>
    runWorker(
      client,
      { index, partner: index % state.partners.length, rng: rng.fork(), keyPrefix: `chaos-${settings.seed}` },
      () => faulting,
    ),
  );
  const faults = (async () => {
    while (gateway.kills < settings.kills || client.history.length < settings.ops) {
      await sleep(faultRng.int(...settings.killAfterMs));
      const recovery = await gateway.crashAndRestart();
      if (gateway.kills % 5 === 0 || short)
        console.log(
          `  kill ${gateway.kills}: ${client.history.length} operations, ${client.retries} retries, back in ${Math.round(recovery)} ms`,
        );
    }
    faulting = false;
  })();
  await faults;
  await Promise.all(workers);
  const faultSeconds = (performance.now() - started) / 1000;
  console.log(`faults stopped after ${faultSeconds.toFixed(0)} s; settling…`);

  const settled = await settle(gateway, state.persistTo, 300_000);
  console.log(`settled in ${(settled.ms / 1000).toFixed(1)} s${settled.done ? "" : " (timed out: the checker says what is left)"}`);

  // Every acknowledged write again, under its key: the stored answer must come back.
  // (Not the endpoints' creation: its answer shows the signing secret once, its replay does not.)
  const replays = await client.replayAcknowledged(8, (op) => op.kind !== "webhook endpoint");
  const balances = await Promise.all(
    state.partners.map(async (_, i) => {
      const op = await client.run({ id: `balance.${i}`, partner: i, kind: "balance", method: "GET", path: "/v1/balance" });
      return op.answer?.body.result ?? {};
    }),
  );
  const now = Date.now();
  await gateway.stop();
  await receiver.close();

  const d1 = openD1(state.persistTo);
  const input: CheckInput = {
    history: client.history.filter((op) => !op.id.startsWith("setup.") && !op.id.startsWith("balance.")),
    partners: state.partners.map((p, i) => ({ id: p.partnerId, feeBps: FEES[i] ?? 0 })),
    d1,
    objects: {
      PaymentObject: objectsOf(state.persistTo, "PaymentObject"),
      PayoutObject: objectsOf(state.persistTo, "PayoutObject"),
      IdempotencyKey: objectsOf(state.persistTo, "IdempotencyKey"),
    },
    arrivals: receiver.arrivals,
    balances,
    replays,
    now,
  };
  const verdict = check(input);
  const self = selfTest(input, d1File(state.persistTo));
  d1.close();
  writeFileSync(join(stateDir, "history.json"), JSON.stringify({ settings, history: client.history }, null, 1));
  const ok = printVerdict(verdict, {
    seed: settings.seed,
    kills: gateway.kills,
    retries: client.retries,
    recoveries: gateway.recoveries,
    faultSeconds,
    settleSeconds: settled.ms / 1000,
  });
  console.log(
    `  checker self-test: ${self.missed.length === 0 ? "every corruption of this run's evidence was caught" : `MISSED ${self.missed.join("; ")}`}${self.skipped.length ? ` (no material for: ${self.skipped.join("; ")})` : ""}`,
  );
  process.exitCode = ok && self.missed.length === 0 ? 0 : 1;
}

main()
  .catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 2;
  })
  .finally(() => stopAll());
