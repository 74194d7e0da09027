// The checker: the invariants over the whole history and the final stored state. Every
// violation is named; a run passes with none.
import type { DatabaseSync } from "node:sqlite";
import type { Operation } from "./client";
import type { Arrival } from "./receiver";
import { all, type ObjectState, type Row } from "./storage";
import { resultOf } from "./workload";

export interface CheckInput {
  history: Operation[];
  /** Partner ids by workload index, and their contracts' fee. */
  partners: { id: string; feeBps: number }[];
  d1: DatabaseSync;
  /** Every Durable Object's storage, by class. */
  objects: Record<"PaymentObject" | "PayoutObject" | "IdempotencyKey", ObjectState[]>;
  arrivals: Map<string, Arrival[]>;
  /** GET /v1/balance of each partner at the end. */
  balances: Record<string, unknown>[];
  /** The replay of every acknowledged write, under its key: what came back. */
  replays: { op: Operation; status: number; text: string; replayed: boolean }[];
  now: number;
}

export interface Verdict {
  checks: { name: string; violations: string[] }[];
  stats: Record<string, number>;
}

type Sums = Map<string, number>;
const add = (m: Sums, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const json = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as Record<string, unknown>) : {});
/** The contract's fee on a capture: basis points, half up, integers only (docs/ledger.md). */
const fee = (captured: number, bps: number) => Math.min(captured, Math.floor((captured * bps + 5000) / 10_000));

export function check(input: CheckInput): Verdict {
  const { history, d1 } = input;
  const checks: Verdict["checks"] = [];
  const named = (name: string) => {
    const violations: string[] = [];
    checks.push({ name, violations });
    return violations;
  };
  const acked = history.filter((op) => op.answer?.status === 200);
  const byKind = (kind: string) => acked.filter((op) => op.kind === kind);
  const partnerOf = (op: Operation) => input.partners[op.partner]?.id;

  // ---- every operation answered, none unexpected
  const answered = named("every operation got a definitive answer");
  for (const op of history) {
    if (!op.answer) answered.push(`${op.id} ${op.kind}: no answer before its deadline`);
    else if (op.answer.status >= 500) answered.push(`${op.id} ${op.kind}: ${op.answer.status}`);
  }

  // ---- acknowledged objects exist exactly once; nothing ran twice under one key
  const once = named("every acknowledged operation exists exactly once");
  const twice = named("no operation ran twice under one key");
  // The objects are the truth of each movement; D1 holds their index (what lists read).
  const indexed = named("the D1 index agrees with every payment and payout object");
  const truth = (className: "PaymentObject" | "PayoutObject", stateKey: string, table: string) => {
    const index = new Map(all(d1, `SELECT id, partner_id, status, snapshot FROM ${table}`).map((r) => [String(r.id), r]));
    const byId = new Map<string, { partner_id: string; status: string; snap: Record<string, unknown> }>();
    for (const o of input.objects[className]) {
      const state = o.kv.get(stateKey) as Record<string, unknown> | undefined;
      if (!state) continue;
      const id = String(state.id);
      const row = index.get(id);
      if (!row) indexed.push(`${stateKey} ${id}: not in the ${table} index`);
      else if (row.status !== state.status || json(row.snapshot).updated_at !== state.updated_at)
        indexed.push(`${stateKey} ${id}: index says ${row.status}, the object ${state.status}`);
      byId.set(id, { partner_id: String(row?.partner_id), status: String(state.status), snap: state });
    }
    for (const id of index.keys()) if (!byId.has(id)) indexed.push(`${table} row ${id}: no object`);
    return byId;
  };
  const paymentById = truth("PaymentObject", "payment", "payments");
  const payoutById = truth("PayoutObject", "payout", "payouts");
  const tagged = (rows: Map<string, { snap: Record<string, unknown> }>) => {
    const byTag = new Map<string, string[]>();
    for (const [id, row] of rows) {
      const tag = (row.snap.metadata as Record<string, string> | undefined)?.chaos_op;
      if (tag) byTag.set(tag, [...(byTag.get(tag) ?? []), id]);
    }
    return byTag;
  };
  const createdBy = (kind: string, rows: Map<string, { snap: Record<string, unknown> }>) => {
    const byTag = tagged(rows);
    for (const [tag, ids] of byTag) if (ids.length > 1) twice.push(`${kind} ${tag}: ${ids.length} objects`);
    const ops = new Map(history.filter((o) => o.kind === kind).map((o) => [o.id, o]));
    for (const [tag, ids] of byTag) {
      const op = ops.get(tag);
      if (!op) once.push(`${kind} ${ids[0]}: made by no operation of the run`);
      else if (op.answer && op.answer.status !== 200)
        once.push(`${kind} ${tag}: refused with ${op.answer.status} but exists (${ids[0]})`);
    }
    for (const op of byKind(kind)) {
      const id = String(resultOf(op)?.id);
      const ids = byTag.get(op.id) ?? [];
      if (!rows.has(id) || ids.length !== 1 || ids[0] !== id)
        once.push(`${kind} ${op.id}: acknowledged ${id}, stored [${ids.join(", ")}]`);
    }
  };
  createdBy("payment", paymentById);
  createdBy("payout", payoutById);

  const refunds = all(d1, "SELECT id, payment_id FROM refunds");
  const refundIds = new Set(refunds.map((r) => String(r.id)));
  const ackedRefunds = new Map<string, number>();
  for (const op of byKind("refund")) {
    const r = resultOf(op) ?? {};
    if (!refundIds.has(String(r.id))) once.push(`refund ${op.id}: acknowledged ${r.id}, not stored`);
    if (r.status === "succeeded") add(ackedRefunds, String(r.payment_id), Number(r.amount));
  }
  const ackedRefundIds = new Set(byKind("refund").map((op) => String(resultOf(op)?.id)));
  for (const r of refunds)
    if (!ackedRefundIds.has(String(r.id))) twice.push(`refund ${r.id} of ${r.payment_id}: no acknowledged operation`);
  for (const [id, p] of paymentById) {
    const refunded = Number(p.snap.amount_refunded ?? 0);
    if (refunded !== (ackedRefunds.get(id) ?? 0))
      twice.push(`payment ${id}: refunded ${refunded}, acknowledged refunds ${ackedRefunds.get(id) ?? 0}`);
  }

  const conversions = all(d1, "SELECT id, partner_id, idempotency_key, quote_id, status, sell_currency, sell_amount, buy_currency, buy_amount FROM fx_conversions");
  const conversionByKey = new Map<string, Row[]>();
  for (const c of conversions) conversionByKey.set(String(c.idempotency_key), [...(conversionByKey.get(String(c.idempotency_key)) ?? []), c]);
  const perQuote = new Map<string, number>();
  for (const c of conversions) perQuote.set(String(c.quote_id), (perQuote.get(String(c.quote_id)) ?? 0) + 1);
  for (const [quote, n] of perQuote) if (n > 1) twice.push(`fx quote ${quote}: converted ${n} times`);
  const convOps = history.filter((o) => o.kind === "fx conversion");
  for (const op of convOps) {
    const rows = conversionByKey.get(String(op.key)) ?? [];
    if (op.answer?.status === 200) {
      const id = String(resultOf(op)?.id);
      if (rows.length !== 1 || rows[0]?.id !== id || rows[0]?.status !== "completed")
        once.push(`fx conversion ${op.id}: acknowledged ${id}, stored ${rows.map((r) => `${r.id}/${r.status}`)}`);
    } else if (op.answer && rows.length > 0) once.push(`fx conversion ${op.id}: refused ${op.answer.status} but stored`);
  }
  if (conversions.length !== convOps.filter((o) => o.answer?.status === 200).length)
    twice.push(`fx: ${conversions.length} conversions stored for ${byKind("fx conversion").length} acknowledged`);

  const loans = all(d1, "SELECT id, partner_id, application_id, status, amount, currency FROM loans");
  const loansByApp = new Map<string, Row[]>();
  for (const l of loans) loansByApp.set(String(l.application_id), [...(loansByApp.get(String(l.application_id)) ?? []), l]);
  for (const [app, rows] of loansByApp) if (rows.length > 1) twice.push(`loan application ${app}: ${rows.length} loans`);
  // The acceptance answers the loan it made.
  const ackedLoans = byKind("loan acceptance").map((op) => resultOf(op) ?? {});
  for (const loan of ackedLoans) {
    const rows = loansByApp.get(String(loan.application_id)) ?? [];
    if (rows.length !== 1 || rows[0]?.id !== loan.id)
      once.push(`loan application ${loan.application_id}: acknowledged loan ${loan.id}, stored ${rows.length}`);
  }
  if (loans.length !== ackedLoans.length) twice.push(`loans: ${loans.length} stored for ${ackedLoans.length} acknowledged`);

  const cardApps = all(d1, "SELECT id, idempotency_key FROM card_applications");
  const appsByKey = new Map<string, number>();
  for (const a of cardApps) appsByKey.set(String(a.idempotency_key), (appsByKey.get(String(a.idempotency_key)) ?? 0) + 1);
  for (const [key, n] of appsByKey) if (n > 1) twice.push(`card application under ${key}: ${n}`);
  const cards = new Map(all(d1, "SELECT id, status FROM cards").map((c) => [String(c.id), String(c.status)]));
  for (const op of byKind("card block")) {
    const id = String(resultOf(op)?.id);
    if (cards.get(id) !== "blocked") once.push(`card block ${op.id}: card ${id} is ${cards.get(id)}`);
  }

  // ---- the replay of every acknowledged write: the same answer, marked replayed
  const stuck = named("no idempotency key is stuck past its lock");
  for (const r of input.replays) {
    if (r.status !== r.op.answer?.status || !r.replayed || r.text !== r.op.answer.text)
      twice.push(`${r.op.id} ${r.op.kind}: replay answered ${r.status}${r.replayed ? " (replayed)" : " (executed)"}`);
  }
  const allObjects = Object.values(input.objects).flat();
  for (const o of allObjects) {
    for (const [key, value] of o.kv) {
      const rec = value as { state?: unknown; lockExpiresAt?: unknown; fingerprint?: unknown };
      if (typeof rec?.fingerprint === "string" && rec.state === "in_flight" && Number(rec.lockExpiresAt) < input.now)
        stuck.push(`${o.file.split("/").slice(-2).join("/")} ${key}: in flight, lock expired ${new Date(Number(rec.lockExpiresAt)).toISOString()}`);
    }
  }

  // ---- the ledger
  const balanced = named("the ledger balances per currency and per entry");
  for (const r of all(d1, "SELECT currency, SUM(CASE direction WHEN 'debit' THEN amount ELSE -amount END) AS net FROM postings GROUP BY currency"))
    if (Number(r.net) !== 0) balanced.push(`${r.currency}: debits − credits = ${r.net}`);
  for (const r of all(d1, "SELECT e.id, e.amount, SUM(CASE p.direction WHEN 'debit' THEN p.amount ELSE 0 END) AS d, SUM(CASE p.direction WHEN 'credit' THEN p.amount ELSE 0 END) AS c FROM journal_entries e JOIN postings p ON p.entry_id = e.id GROUP BY e.id HAVING d != c OR d != e.amount"))
    balanced.push(`entry ${r.id}: debits ${r.d}, credits ${r.c}, amount ${r.amount}`);
  for (const r of all(d1, "SELECT reference, kind, COUNT(*) AS n FROM journal_entries GROUP BY reference, kind HAVING n > 1"))
    balanced.push(`${r.kind} ${r.reference}: posted ${r.n} times`);

  // ---- each partner's balance is what its acknowledged operations imply
  const implied = named("each partner's balance equals what its acknowledged operations imply");
  const overdrawnOrOpen = named("every payout reached paid or failed");
  const expected: Sums = new Map();
  const key = (partner: string, code: string, currency: string) => `${partner}:${code}:${currency}`;
  for (const [, p] of paymentById) {
    const bps = input.partners.find((x) => x.id === p.partner_id)?.feeBps ?? 0;
    const captured = Number(p.snap.amount_captured ?? 0);
    const net = captured - fee(captured, bps) - Number(p.snap.amount_refunded ?? 0);
    add(expected, key(String(p.partner_id), "partner_available", String(p.snap.currency)), net);
  }
  for (const [, p] of payoutById) {
    if (p.status === "queued" || p.status === "sent") overdrawnOrOpen.push(`payout ${p.snap.id} still ${p.status}`);
    const amount = Number(p.snap.amount);
    const currency = String(p.snap.currency);
    if (p.status === "failed") continue;
    add(expected, key(String(p.partner_id), "partner_available", currency), -amount);
    if (p.status !== "paid") add(expected, key(String(p.partner_id), "partner_reserved", currency), amount);
  }
  for (const c of conversions) {
    add(expected, key(String(c.partner_id), "partner_available", String(c.sell_currency)), -Number(c.sell_amount));
    add(expected, key(String(c.partner_id), "partner_available", String(c.buy_currency)), Number(c.buy_amount));
  }
  for (const l of loans)
    if (l.status === "disbursed") add(expected, key(String(l.partner_id), "partner_available", String(l.currency)), Number(l.amount));
  const actual: Sums = new Map();
  for (const r of all(d1, "SELECT a.owner, a.code, a.currency, SUM(CASE p.direction WHEN 'credit' THEN p.amount ELSE -p.amount END) AS bal FROM postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code IN ('partner_available', 'partner_reserved') GROUP BY a.id"))
    actual.set(key(String(r.owner), String(r.code), String(r.currency)), Number(r.bal));
  for (const k of new Set([...expected.keys(), ...actual.keys()]))
    if ((expected.get(k) ?? 0) !== (actual.get(k) ?? 0)) implied.push(`${k}: ledger ${actual.get(k) ?? 0}, implied ${expected.get(k) ?? 0}`);
  input.partners.forEach((p, i) => {
    const b = input.balances[i] ?? {};
    for (const side of ["available", "reserved"] as const) {
      for (const { currency, amount } of (b[side] ?? []) as { currency: string; amount: number }[]) {
        const want = expected.get(key(p.id, `partner_${side}`, currency)) ?? 0;
        if (amount !== want) implied.push(`partner ${i} GET /v1/balance ${side} ${currency}: ${amount}, implied ${want}`);
      }
    }
  });

  // ---- no payout overdraws: after every hold (and conversion sale) the available balance is ≥ 0
  const overdraw = named("no payout overdraws");
  const running: Sums = new Map();
  for (const r of all(d1, "SELECT e.kind, e.reference, a.owner, a.currency, p.direction, p.amount FROM postings p JOIN journal_entries e ON e.id = p.entry_id JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = 'partner_available' ORDER BY p.rowid")) {
    const k = `${r.owner}:${r.currency}`;
    add(running, k, r.direction === "credit" ? Number(r.amount) : -Number(r.amount));
    if ((r.kind === "payout_hold" || r.kind === "fx_sell") && (running.get(k) ?? 0) < 0)
      overdraw.push(`${r.kind} ${r.reference}: available ${k} went to ${running.get(k)}`);
  }

  // ---- outboxes drain
  const drained = named("every outbox drains");
  for (const r of all(d1, "SELECT COUNT(*) AS n FROM events WHERE enqueued_at IS NULL")) if (Number(r.n) > 0) drained.push(`${r.n} events never sent`);
  for (const r of all(d1, "SELECT COUNT(*) AS n FROM events WHERE fanned_out_at IS NULL")) if (Number(r.n) > 0) drained.push(`${r.n} events sent, never fanned out`);
  for (const r of all(d1, "SELECT status, COUNT(*) AS n FROM webhook_deliveries WHERE status != 'succeeded' GROUP BY status")) drained.push(`${r.n} deliveries ${r.status}`);
  let objectsWithState = 0;
  for (const o of allObjects) {
    const pending = [...o.kv.keys()].filter((k) => k.startsWith("outbox:") || k === "creating");
    if (pending.length > 0) drained.push(`${o.file.split("/").slice(-2).join("/")}: ${pending.join(", ")}`);
    if (o.kv.has("payment") || o.kv.has("payout")) objectsWithState += 1;
  }

  // ---- events: once in the log, delivered at least once, duplicates recognisable
  const logged = named("every event is in the log once and delivered at least once");
  const eventRows = all(d1, "SELECT id, partner_id, type, data FROM events WHERE type != 'ping'");
  const perSubject = new Map<string, number>();
  for (const e of eventRows) {
    const object = (json(e.data).object ?? {}) as Record<string, unknown>;
    const subject = `${e.type} ${object.id}`;
    perSubject.set(subject, (perSubject.get(subject) ?? 0) + 1);
  }
  for (const [subject, n] of perSubject) if (n > 1) logged.push(`${subject}: ${n} events`);
  for (const [id, p] of paymentById)
    if (Number(p.snap.amount_captured ?? 0) > 0 && perSubject.get(`payment.captured ${id}`) !== 1)
      logged.push(`payment ${id} captured: ${perSubject.get(`payment.captured ${id}`) ?? 0} payment.captured events`);
  let duplicates = 0;
  for (const e of eventRows) {
    const got = input.arrivals.get(String(e.id)) ?? [];
    const partner = input.partners.findIndex((p) => p.id === e.partner_id);
    const good = got.filter((a) => a.validSignature && a.id === e.id && a.type === e.type && a.partner === partner);
    if (good.length === 0) logged.push(`${e.type} ${e.id}: never delivered${got.length ? " with a valid signature" : ""}`);
    duplicates += Math.max(0, good.length - 1);
  }
  const known = new Set(eventRows.map((e) => String(e.id)));
  for (const [id, got] of input.arrivals) if (!known.has(id)) logged.push(`webhook-id ${id}: delivered ${got.length}× but not in the log`);

  return {
    checks,
    stats: {
      operations: history.length,
      acknowledged: acked.length,
      refused: history.filter((o) => o.answer && o.answer.status !== 200).length,
      payments: paymentById.size,
      payouts: payoutById.size,
      refunds: refunds.length,
      conversions: conversions.length,
      loans: loans.length,
      events: eventRows.length,
      deliveries: [...input.arrivals.values()].reduce((n, a) => n + a.length, 0),
      duplicateDeliveries: duplicates,
      objectsWithState,
      replays: input.replays.length,
    },
  };
}
