import { cidrContains, parseAddress, parseCidr } from "../../platform/lib/cidr";
import type { Currency } from "../../platform/lib/money";
import type { PaymentSignals } from "../payments/model";
import type {
  Comparison,
  Condition,
  Decision,
  Fallback,
  FiredRule,
  ListEntry,
  ListKind,
  ListType,
  RiskOutcome,
  Rule,
  VelocityView,
} from "./model";

// The rules engine (docs/risk.md), pure: the allow list, the block list, then the partner's rules
// in order; the first active rule whose conditions all hold decides; no match passes.

export type ScoreResult = { status: "ok"; value: number } | { status: "timeout" | "failed" | "not_used" };

export interface EngineInput {
  amount: number;
  currency: Currency;
  signals: PaymentSignals;
  lists: readonly ListEntry[];
  /** In evaluation order (position, then id). */
  rules: readonly Rule[];
  velocity: VelocityView;
  score: ScoreResult;
  fallback: Fallback;
  now: number;
}

export type Assessed = Omit<RiskOutcome, "review">;

/** Whether any rule asks for a score: only then is the scoring service called. */
export const needsScore = (rules: readonly Rule[]) =>
  rules.some((r) => r.conditions.some((c) => c.field === "score"));

/** The velocity windows the rules ask for, per subject (the velocity object answers only those). */
export const windowsOf = (rules: readonly Rule[]) => [
  ...new Set(
    rules.flatMap((r) => r.conditions.flatMap((c) => (c.field === "velocity" ? [c.window_minutes] : []))),
  ),
];

export function evaluate(input: EngineInput): Assessed {
  const score = input.score.status === "ok" ? input.score.value : null;
  const base = { score, scoring: input.score.status };
  for (const kind of ["allow", "block"] as const) {
    const hit = listHit(input.lists, kind, undefined, input.signals);
    if (hit) {
      const action: Decision = kind === "allow" ? "pass" : "block";
      const name = `${kind} list: ${hit.type} ${hit.value}`;
      return {
        ...base,
        decision: action,
        rules: [{ id: hit.id, name, action, dry_run: false, fallback: false }],
      };
    }
  }
  const fired: FiredRule[] = [];
  for (const rule of input.rules) {
    const held = holds(rule.conditions, input);
    if (held === false) continue;
    const dryRun = rule.mode === "dry_run";
    // A dry-run rule needing a missing score records nothing: it cannot say what it would have done.
    if (held === "no_score" && dryRun) continue;
    const fallback = held === "no_score";
    const action = fallback ? input.fallback : rule.action;
    fired.push({ id: rule.id, name: rule.name, action, dry_run: dryRun, fallback });
    if (!dryRun) return { ...base, decision: action, rules: fired };
  }
  return { ...base, decision: "pass", rules: fired };
}

/** true / false, or `no_score` when every other condition holds and a needed score is missing. */
function holds(conditions: readonly Condition[], input: EngineInput): boolean | "no_score" {
  let needsMissingScore = false;
  for (const c of conditions) {
    if (c.field === "score") {
      if (input.score.status !== "ok") needsMissingScore = true;
      else if (!compare(input.score.value, c.op, c.value)) return false;
    } else if (!conditionHolds(c, input)) return false;
  }
  return needsMissingScore ? "no_score" : true;
}

function compare(left: number, op: Comparison, right: number): boolean {
  switch (op) {
    case "gt":
      return left > right;
    case "gte":
      return left >= right;
    case "lt":
      return left < right;
    case "lte":
      return left <= right;
    case "eq":
      return left === right;
  }
}

/** A condition over a signal the payment does not have (no card, no IP) never holds. */
function oneOf<T>(value: T | null | undefined, values: readonly T[], op: "in" | "not_in"): boolean {
  if (value === null || value === undefined) return false;
  return values.includes(value) === (op === "in");
}

function conditionHolds(c: Exclude<Condition, { field: "score" }>, input: EngineInput): boolean {
  const { signals } = input;
  switch (c.field) {
    case "amount":
      return (
        (c.currency === undefined || c.currency === input.currency) && compare(input.amount, c.op, c.value)
      );
    case "currency":
      return oneOf(input.currency, c.values, c.op);
    case "card.bin": {
      const bin = signals.card?.first6;
      if (!bin) return false;
      if (c.op === "between") return binBetween(bin, c.from, c.to);
      return c.values.some((p) => bin.startsWith(p)) === (c.op === "prefix");
    }
    case "card.country":
      return oneOf(signals.card?.country, c.values, c.op);
    case "card.brand":
      return oneOf(signals.card?.brand, c.values, c.op);
    case "method":
      return oneOf(signals.method, c.values, c.op);
    case "client.country":
      return oneOf(signals.client.country, c.values, c.op);
    case "client.asn":
      return oneOf(signals.client.asn, c.values, c.op);
    case "client.ip": {
      const address = signals.client.ip ? parseAddress(signals.client.ip) : null;
      if (!address) return false;
      return c.values.some((v) => cidrContains(parseCidr(v), address)) === (c.op === "in_cidr");
    }
    case "velocity": {
      const totals = input.velocity.windows[c.subject]?.[String(c.window_minutes)];
      if (!totals) return false;
      return compare(c.measure === "count" ? totals.count : totals.amount, c.op, c.value);
    }
    case "instrument_age_hours": {
      const first = input.velocity.cardFirstSeenAt;
      if (first === null) return false;
      return compare((input.now - first) / 3_600_000, c.op, c.value);
    }
    case "list":
      return listHit(input.lists, c.list, c.type, signals) !== undefined;
  }
}

/** A BIN range compares the card's first digits with bounds of the same length. */
function binBetween(bin: string, from: string, to: string): boolean {
  const head = bin.slice(0, from.length);
  return head.length === from.length && head >= from && head <= to;
}

/** The first entry of the list (of one type, or any) that the payment's signals hit. */
export function listHit(
  entries: readonly ListEntry[],
  list: ListKind,
  type: ListType | undefined,
  signals: PaymentSignals,
): ListEntry | undefined {
  const address = signals.client.ip ? parseAddress(signals.client.ip) : null;
  return entries.find(
    (e) => e.list === list && (type === undefined || e.type === type) && entryHit(e, signals, address),
  );
}

function entryHit(e: ListEntry, signals: PaymentSignals, address: ReturnType<typeof parseAddress>): boolean {
  switch (e.type) {
    case "bin":
      return signals.card?.first6.startsWith(e.value) ?? false;
    case "country":
      return signals.card?.country === e.value || signals.client.country === e.value;
    case "ip":
      return address !== null && cidrContains(parseCidr(e.value), address);
    case "asn":
      return signals.client.asn !== null && String(signals.client.asn) === e.value;
  }
}
