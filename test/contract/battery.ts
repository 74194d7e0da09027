import { ContractChecker, type Expectation, type Fingerprint } from "./checker";
import { applyMutant, type Mutant, mutantsOf } from "./mutations";
import { needsIdempotencyKey, type Operation } from "./openapi";
import { type ContractRequest, describeRequest, type Exchange, type Send } from "./request";

/** Whoever serves the operation, and how to read the state a refusal must leave alone. */
export interface Target {
  send: Send;
  /** The state a refusal must not change; `base` is the valid request the mutants vary. */
  fingerprint(base: ContractRequest): Promise<Fingerprint>;
  /** A valid request, its prerequisites made anew. */
  prepare(): Promise<ContractRequest>;
  /** An accepted request uses its prerequisites up (a capture, a conversion): prepare again after one. */
  consumes: boolean;
}

export interface BatteryReport {
  failures: string[];
  /** Requests sent, the valid one included. */
  sent: number;
}

const ok = (ex: Exchange) => ex.status >= 200 && ex.status < 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pool<T>(items: T[], width: number, run: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await run(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

/**
 * One operation's contract: a valid request must succeed; then every mutant of the battery,
 * the schema-forbidden ones concurrently between two fingerprints, the others one by one
 * each between two fingerprints. A fingerprint that moved is confirmed by sending the mutant
 * again between two more: asynchronous work of earlier accepted requests (outbox drains,
 * queue consumers) moves it once, a refusal that writes moves it every time.
 */
export async function runBattery(
  checker: ContractChecker,
  op: Operation,
  target: Target,
  opts: { concurrency?: number; junk?: number } = {},
): Promise<BatteryReport> {
  const failures: string[] = [];
  let sent = 0;
  const keyed = (req: ContractRequest): ContractRequest =>
    needsIdempotencyKey(op)
      ? { ...req, headers: { ...req.headers, "Idempotency-Key": crypto.randomUUID() } }
      : req;
  const send = async (req: ContractRequest, name: string, expected: Expectation) => {
    sent++;
    const ex = await target.send(req);
    failures.push(...checker.check(op, ex, expected).map((f) => `${op.key} [${name}] ${f}`));
    return ex;
  };
  const fingerprint = (req: ContractRequest) => target.fingerprint(req);
  const settle = async (req: ContractRequest) => {
    let last = await fingerprint(req);
    for (let i = 0; i < 40; i++) {
      await sleep(25);
      const now = await fingerprint(req);
      if (ContractChecker.changed(last, now).length === 0) return now;
      last = now;
    }
    return last;
  };

  const valid = keyed(await target.prepare());
  await send(valid, "valid request", "success");
  const validKey = valid.headers["Idempotency-Key"];
  // The battery varies prerequisites of its own when the valid request used them up.
  let base = target.consumes ? await target.prepare() : valid;
  const build = (m: Mutant) => applyMutant(keyed(base), m, validKey);

  /** The mutant sent again twice, each time between two fingerprints: a failure if it writes every time. */
  const confirm = async (m: Mutant) => {
    let parts: string[] = [];
    let request = build(m);
    let status = 0;
    await settle(base);
    for (let i = 0; i < 2; i++) {
      const before = await fingerprint(base);
      request = build(m);
      sent++;
      const ex = await target.send(request);
      status = ex.status;
      if (ok(ex)) return;
      parts = ContractChecker.changed(before, await fingerprint(base));
      if (parts.length === 0) return;
    }
    failures.push(
      `${op.key} [${m.name}] ${describeRequest(request)} → ${status}: a refusal changed ${parts.join(", ")}`,
    );
  };

  const mutants = mutantsOf(checker, op, base, opts.junk === undefined ? {} : { junk: opts.junk });
  const refusals = mutants.filter((m) => m.expect === "refusal");
  const others = mutants.filter((m) => m.expect !== "refusal");

  let state = await settle(base);
  const refused: Mutant[] = [];
  await pool(refusals, opts.concurrency ?? 4, async (m) => {
    const ex = await send(build(m), m.name, "refusal");
    if (!ok(ex)) refused.push(m);
  });
  if (ContractChecker.changed(state, await fingerprint(base)).length > 0) {
    for (const m of refused) await confirm(m);
  }

  state = await settle(base);
  for (const m of others) {
    const ex = await send(build(m), m.name, m.expect);
    if (ok(ex)) {
      if (target.consumes) base = await target.prepare();
      state = await settle(base);
      continue;
    }
    const now = await fingerprint(base);
    if (ContractChecker.changed(state, now).length > 0) {
      await confirm(m);
      state = await settle(base);
    } else state = now;
  }
  return { failures, sent };
}
