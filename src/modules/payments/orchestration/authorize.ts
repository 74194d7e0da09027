import { withDeadline } from "../../../platform/lib/deadline";
import type { RoutePlan } from "../../routing/rules";
import type {
  Answered,
  AuthorizeRequest,
  AuthorizeResult,
  PaymentProvider,
  Retrieved,
} from "../connector/types";
import type { AttemptOutcome, CreatePaymentInput } from "../model";
import type { Health } from "./health";
import { type AttemptJournal, type AttemptRecord, attemptKey } from "./journal";

export interface RoutedDeps {
  providers: ReadonlyMap<string, PaymentProvider>;
  health: Health;
  journal: AttemptJournal;
  /** The payment's route (rules, the partner's default, the environment's), asked once per payment. */
  route: () => Promise<RoutePlan>;
  clock: () => number;
  /** How long one attempt (and the retrieve after a timeout) may take. */
  timeoutMs: number;
}

/**
 * What the orchestration made of a create: the provider that answered and its answer (an
 * authorization, an action, a decline); `result: null` when no provider could answer (every one
 * failed, or a timeout left it unknown whether it authorized): the payment then fails retryably.
 */
export type Routed =
  | { outcome: "unknown_method" }
  | { outcome: "routed"; provider: string; result: Answered | null; attempts: AttemptRecord[] };

type Step =
  | { next: "done"; result: Answered }
  | { next: "fallback"; result: Answered | null }
  | { next: "stop"; result: Answered | null }
  | { next: "unknown_method" };

/**
 * Authorizes a payment through its route (docs/orchestration.md): providers in the plan's order,
 * skipping those whose breaker is open, falling back only on what the provider's retry matrix
 * allows, never on a hard decline. Never twice: each attempt has its own key and is journalled
 * before it is sent; a timeout is settled by asking the provider for the attempt by that key
 * (authorized: used; not there: voided by key, then fallback; unknown: no fallback).
 */
export async function authorizeRouted(
  deps: RoutedDeps,
  input: CreatePaymentInput,
  opts: { forceAuthentication?: boolean } = {},
): Promise<Routed> {
  const plan = deps.journal.plan() ?? (await deps.route());
  deps.journal.savePlan(plan);
  const records = deps.journal.attempts();
  const request = (seq: number): AuthorizeRequest => ({
    paymentId: input.paymentId,
    idempotencyKey: attemptKey(input.paymentId, seq),
    amount: input.amount,
    currency: input.currency,
    paymentMethodToken: input.paymentMethodToken,
    capture: input.capture,
    ...(opts.forceAuthentication ? { forceAuthentication: true } : {}),
    signals: input.signals,
    now: Date.parse(input.now),
  });
  const routed = (result: Answered | null, provider?: string): Routed => ({
    outcome: "routed",
    provider: provider ?? records.at(-1)?.provider ?? plan.providers[0] ?? "none",
    result,
    attempts: records,
  });
  // The last retryable decline, answered if every fallback fails too.
  let last: { provider: string; result: Answered } | undefined;
  const remember = (step: Step) => {
    if (step.next === "fallback" && step.result)
      last = { provider: records.at(-1)?.provider ?? "", result: step.result };
  };

  // An attempt in flight when a previous run died is settled first, as a timeout would be.
  const open = records.at(-1);
  const openProvider = open && open.outcome === undefined ? deps.providers.get(open.provider) : undefined;
  if (open && openProvider) {
    const step = await settleLost(deps, openProvider, request(open.seq), open, records, 0);
    if (step.next === "done" || step.next === "stop") return routed(step.result);
    remember(step);
  }

  const tried = new Set(records.map((r) => r.provider));
  const candidates = plan.providers.filter((p) => deps.providers.has(p) && !tried.has(p));
  const skipped: { provider: string; lastFailureAt: number }[] = [];
  let sent = records.length;
  const attempt = async (name: string): Promise<Step> => {
    const provider = deps.providers.get(name);
    if (!provider) return { next: "fallback", result: null };
    sent += 1;
    return attemptAt(deps, provider, request(records.length + 1), records);
  };
  for (const name of candidates) {
    const health = await deps.health.check(name, deps.clock());
    if (health.state === "open") {
      skipped.push({ provider: name, lastFailureAt: health.lastFailureAt ?? 0 });
      continue;
    }
    const step = await attempt(name);
    if (step.next === "unknown_method") return { outcome: "unknown_method" };
    if (step.next !== "fallback") return routed(step.result);
    remember(step);
  }
  // Every candidate's breaker was open: the one that failed longest ago is tried rather than none.
  const oldest = skipped.sort((a, b) => a.lastFailureAt - b.lastFailureAt)[0];
  if (sent === 0 && oldest) {
    const step = await attempt(oldest.provider);
    if (step.next === "unknown_method") return { outcome: "unknown_method" };
    return routed(step.result);
  }
  return last ? routed(last.result, last.provider) : routed(null);
}

/** One attempt: journalled, sent within the deadline, completed and judged. */
async function attemptAt(
  deps: RoutedDeps,
  provider: PaymentProvider,
  req: AuthorizeRequest,
  records: AttemptRecord[],
): Promise<Step> {
  const seq = records.length + 1;
  const record: AttemptRecord = {
    seq,
    provider: provider.name,
    key: req.idempotencyKey,
    started_at: new Date(deps.clock()).toISOString(),
    fallback: seq > 1,
  };
  records.push(record);
  deps.journal.saveAttempts(records);
  const started = deps.clock();
  const result: AuthorizeResult = await withDeadline(provider.authorize(req), deps.timeoutMs).catch(() => ({
    outcome: "failed" as const,
    kind: "timeout" as const,
    message: "deadline passed",
  }));
  const latency = Math.max(0, deps.clock() - started);
  if (result.outcome === "unknown_method" && seq === 1) {
    // The method is not one this payment can use: nothing was attempted.
    records.pop();
    deps.journal.saveAttempts(records);
    return { next: "unknown_method" };
  }
  if (result.outcome === "failed" && result.kind === "timeout")
    return settleLost(deps, provider, req, record, records, latency);
  if (result.outcome === "failed" || result.outcome === "unknown_method") {
    finish(deps, record, records, "error", null, latency);
    await deps.health.record(provider.name, false, deps.clock());
    const retry = result.outcome === "failed" && provider.retry.failures.includes(result.kind);
    return { next: retry ? "fallback" : "stop", result: null };
  }
  return judge(deps, provider, record, records, result, latency);
}

/**
 * An attempt whose answer never came (a timeout, or an instance that died mid-call): asks the
 * provider what it recorded under the attempt's key before anything else is tried.
 */
async function settleLost(
  deps: RoutedDeps,
  provider: PaymentProvider,
  req: AuthorizeRequest,
  record: AttemptRecord,
  records: AttemptRecord[],
  latency: number,
): Promise<Step> {
  const found: Retrieved = await withDeadline(provider.retrieve(req), deps.timeoutMs).catch(() => ({
    found: "unknown" as const,
  }));
  if (found.found === true) return judge(deps, provider, record, records, found.result, latency);
  await deps.health.record(provider.name, false, deps.clock());
  if (found.found === false) {
    // Void the key first, so that the attempt still on its way cannot authorize after we move on.
    const voided = await withDeadline(provider.cancelAttempt(req), deps.timeoutMs).catch(() => ({
      ok: false,
    }));
    finish(deps, record, records, "timeout", null, latency);
    if (voided.ok && provider.retry.failures.includes("timeout")) return { next: "fallback", result: null };
    return { next: "stop", result: null };
  }
  finish(deps, record, records, "timeout", null, latency);
  return { next: "stop", result: null };
}

/** An answer: success ends the route; a decline falls back only if the provider's matrix lists its reason. */
async function judge(
  deps: RoutedDeps,
  provider: PaymentProvider,
  record: AttemptRecord,
  records: AttemptRecord[],
  result: Answered,
  latency: number,
): Promise<Step> {
  if (result.outcome !== "declined") {
    finish(deps, record, records, result.outcome, null, latency);
    await deps.health.record(provider.name, true, deps.clock());
    return { next: "done", result };
  }
  const reason = result.decline.reason;
  // An unreachable issuer is the rails' failure; any other decline is an answer about the card.
  const unavailable = reason === "bank_unavailable";
  finish(deps, record, records, unavailable ? "error" : "declined", reason, latency);
  await deps.health.record(provider.name, !unavailable, deps.clock());
  return provider.retry.declines.includes(reason) ? { next: "fallback", result } : { next: "done", result };
}

function finish(
  deps: RoutedDeps,
  record: AttemptRecord,
  records: AttemptRecord[],
  outcome: AttemptOutcome,
  reason: AttemptRecord["decline_reason"],
  latency: number,
) {
  record.outcome = outcome;
  record.decline_reason = reason;
  record.latency_ms = latency;
  deps.journal.saveAttempts(records);
}
