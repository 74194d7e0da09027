// The checker must be able to fail. After the real verdict, each of these corruptions of the
// run's own evidence (a lost delivery, a second payment under one key, a stuck key, an outbox
// item left, an unbalanced posting, a balance one unit off, a replay that executed) is checked
// again, and the check it concerns must report it. A checker that passes one is broken.
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type CheckInput, check } from "./checker";
import type { ObjectState } from "./storage";

interface Corruption {
  name: string;
  /** The check that must fail. */
  check: string;
  apply(input: CheckInput, d1: DatabaseSync): CheckInput | undefined;
}

const withObject = (input: CheckInput, cls: keyof CheckInput["objects"], extra: ObjectState): CheckInput => ({
  ...input,
  objects: { ...input.objects, [cls]: [...input.objects[cls], extra] },
});

const firstState = (input: CheckInput) =>
  input.objects.PaymentObject.map((o) => o.kv.get("payment") as Record<string, unknown> | undefined).find(Boolean);

const CORRUPTIONS: Corruption[] = [
  {
    name: "an event's deliveries lost",
    check: "every event is in the log once and delivered at least once",
    apply: (input) => {
      const [first] = input.arrivals.keys();
      if (!first) return undefined;
      const arrivals = new Map(input.arrivals);
      arrivals.delete(first);
      return { ...input, arrivals };
    },
  },
  {
    name: "a second payment object under one operation's key",
    check: "no operation ran twice under one key",
    apply: (input) => {
      const state = firstState(input);
      if (!state) return undefined;
      const twin = { ...state, id: crypto.randomUUID() };
      return withObject(input, "PaymentObject", { file: "twin.sqlite", kv: new Map([["payment", twin]]) });
    },
  },
  {
    name: "a key left in flight past its lock",
    check: "no idempotency key is stuck past its lock",
    apply: (input) =>
      withObject(input, "IdempotencyKey", {
        file: "stuck.sqlite",
        kv: new Map([["record", { fingerprint: "f", state: "in_flight", lockToken: "t", lockExpiresAt: 1, createdAt: 1 }]]),
      }),
  },
  {
    name: "an outbox item never drained",
    check: "every outbox drains",
    apply: (input) => withObject(input, "PayoutObject", { file: "left.sqlite", kv: new Map([["outbox:0000000001", {}]]) }),
  },
  {
    name: "a partner's balance one minor unit off",
    check: "each partner's balance equals what its acknowledged operations imply",
    apply: (input) => {
      const available = (input.balances[0]?.available ?? []) as { currency: string; amount: number }[];
      if (available.length === 0) return undefined;
      const [head, ...rest] = available;
      const off = [{ ...head, amount: Number(head?.amount) + 1 }, ...rest];
      return { ...input, balances: [{ ...input.balances[0], available: off }, ...input.balances.slice(1)] };
    },
  },
  {
    name: "a replay that executed again",
    check: "no operation ran twice under one key",
    apply: (input) => {
      const [first, ...rest] = input.replays;
      return first ? { ...input, replays: [{ ...first, replayed: false }, ...rest] } : undefined;
    },
  },
  {
    name: "an unbalanced posting",
    check: "the ledger balances per currency and per entry",
    apply: (input, d1) => {
      const account = d1.prepare("SELECT id, currency FROM ledger_accounts LIMIT 1").get() as
        | { id: string; currency: string }
        | undefined;
      if (!account) return undefined;
      const entry = crypto.randomUUID();
      d1.prepare("INSERT INTO journal_entries (id, reference, kind, currency, amount) VALUES (?, ?, 'capture', ?, 1)").run(
        entry,
        crypto.randomUUID(),
        account.currency,
      );
      d1.prepare("INSERT INTO postings (id, entry_id, account_id, direction, amount, currency) VALUES (?, ?, ?, 'debit', 1, ?)").run(
        crypto.randomUUID(),
        entry,
        account.id,
        account.currency,
      );
      return { ...input, d1 };
    },
  },
];

/** Answers the corruptions the checker missed (and those the run gave no material for). */
export function selfTest(input: CheckInput, d1File: string): { missed: string[]; skipped: string[] } {
  const missed: string[] = [];
  const skipped: string[] = [];
  const copy = join(tmpdir(), `chaos-d1-${process.pid}.sqlite`);
  for (const suffix of ["", "-wal", "-shm"]) {
    if (existsSync(d1File + suffix)) copyFileSync(d1File + suffix, copy + suffix);
  }
  const d1 = new DatabaseSync(copy);
  try {
    for (const c of CORRUPTIONS) {
      const corrupted = c.apply(input, d1);
      if (!corrupted) {
        skipped.push(c.name);
        continue;
      }
      const verdict = check(corrupted);
      if (!verdict.checks.some((k) => k.name === c.check && k.violations.length > 0)) missed.push(c.name);
    }
  } finally {
    d1.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(copy + suffix, { force: true });
  }
  return { missed, skipped };
}
