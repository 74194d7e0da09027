import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type EntryInput, LedgerError, PLATFORM, postEntry } from "../../../src/modules/ledger/ledger";
import { ledgerImbalance } from "../../../src/modules/ledger/storage";
import { basisPoints } from "../../../src/platform/lib/money";
import { call, tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

securitySuite({ method: "GET", path: "/v1/balance", product: "payments", scope: "payments:read" });
securitySuite({ method: "GET", path: "/v1/ledger/entries", product: "payments", scope: "payments:read" });

/** A capture of `amount` with a 1.5 % fee: the card clearing account owes the gross. */
const capture = (
  partnerId: string,
  reference: string,
  amount: number,
  currency: EntryInput["currency"] = "UZS",
): EntryInput => {
  const fee = basisPoints(amount, 150);
  return {
    reference,
    kind: "capture",
    currency,
    partnerId,
    lines: [
      { owner: PLATFORM, code: "card_clearing", direction: "debit", amount },
      { owner: partnerId, code: "partner_available", direction: "credit", amount: amount - fee },
      { owner: PLATFORM, code: "fee_revenue", direction: "credit", amount: fee },
    ],
  };
};

const count = async (table: string, where = "1=1", ...binds: unknown[]) =>
  (
    await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
      .bind(...binds)
      .first<{ n: number }>()
  )?.n;

describe("ledger postings", () => {
  it("posts a balanced entry and the partner's balance follows", async () => {
    const p = await provisionPartner();
    const ref = crypto.randomUUID();
    const { created } = await postEntry(db, capture(p.id, ref, 100_000));
    expect(created).toBe(true);
    const { body } = await call("GET", "/v1/balance", { token: await tokenFor(p) });
    expect(body.result).toEqual({
      object: "balance",
      available: [{ currency: "UZS", amount: 98_500 }],
      pending: [],
      reserved: [],
      livemode: false,
    });
  });

  it("refuses an unbalanced, empty, fractional or zero entry and writes nothing", async () => {
    const p = await provisionPartner();
    const ref = crypto.randomUUID();
    const bad: EntryInput[] = [
      { ...capture(p.id, ref, 1000), lines: capture(p.id, ref, 1000).lines.slice(0, 2) },
      { ...capture(p.id, ref, 1000), lines: [] },
      {
        ...capture(p.id, ref, 1000),
        lines: capture(p.id, ref, 1000).lines.map((l) => ({ ...l, amount: l.amount + 0.5 })),
      },
      { ...capture(p.id, ref, 0) },
      { ...capture(p.id, ref, 1000), currency: "XXX" as EntryInput["currency"] },
    ];
    for (const entry of bad) await expect(postEntry(db, entry)).rejects.toBeInstanceOf(LedgerError);
    expect(await count("journal_entries", "reference = ?", ref)).toBe(0);
  });

  it("posts each business event exactly once, also when 20 race", async () => {
    const p = await provisionPartner();
    const ref = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => postEntry(db, capture(p.id, ref, 50_000))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entryId)).size).toBe(1);
    expect(await count("journal_entries", "reference = ?", ref)).toBe(1);
    expect(
      await count("postings p JOIN journal_entries e ON e.id = p.entry_id", "e.reference = ?", ref),
    ).toBe(3);
    // Another kind of event on the same object is another entry.
    const refund = await postEntry(db, {
      reference: ref,
      kind: "refund",
      currency: "UZS",
      partnerId: p.id,
      lines: [
        { owner: p.id, code: "partner_available", direction: "debit", amount: 1000 },
        { owner: PLATFORM, code: "card_clearing", direction: "credit", amount: 1000 },
      ],
    });
    expect(refund.created).toBe(true);
  });

  it("keeps the whole ledger summing to zero per currency", async () => {
    const p = await provisionPartner();
    await postEntry(db, capture(p.id, crypto.randomUUID(), 12_345, "KWD"));
    await postEntry(db, capture(p.id, crypto.randomUUID(), 999, "JPY"));
    for (const row of await ledgerImbalance(db))
      expect({ [row.currency]: Number(row.imbalance) }).toEqual({ [row.currency]: 0 });
    const perEntry = await env.DB.prepare(
      `SELECT e.id FROM journal_entries e JOIN postings p ON p.entry_id = e.id GROUP BY e.id
       HAVING sum(CASE WHEN p.direction = 'debit' THEN p.amount ELSE 0 END) != e.amount
           OR sum(CASE WHEN p.direction = 'credit' THEN p.amount ELSE 0 END) != e.amount`,
    ).all();
    expect(perEntry.results).toEqual([]);
  });
});

describe("the database guards the ledger", () => {
  it("refuses to update or delete entries, postings or accounts", async () => {
    const p = await provisionPartner();
    const ref = crypto.randomUUID();
    const { entryId } = await postEntry(db, capture(p.id, ref, 10_000));
    for (const sql of [
      "UPDATE journal_entries SET amount = 1 WHERE id = ?1",
      "DELETE FROM journal_entries WHERE id = ?1",
      "UPDATE postings SET amount = 1 WHERE entry_id = ?1",
      "DELETE FROM postings WHERE entry_id = ?1",
    ]) {
      await expect(env.DB.prepare(sql).bind(entryId).run()).rejects.toThrow(/append-only/);
    }
    await expect(
      env.DB.prepare("DELETE FROM ledger_accounts WHERE owner = ?1").bind(p.id).run(),
    ).rejects.toThrow(/cannot be deleted/);
    expect(await count("postings", "entry_id = ?", entryId)).toBe(3);
  });

  it("refuses postings that are not positive integers, in another currency, or beyond the entry", async () => {
    const p = await provisionPartner();
    const { entryId } = await postEntry(db, capture(p.id, crypto.randomUUID(), 10_000));
    const insert = (amount: unknown, currency: string, direction = "credit") =>
      env.DB.prepare(
        "INSERT INTO postings (id, entry_id, account_id, direction, amount, currency) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      )
        .bind(crypto.randomUUID(), entryId, `${p.id}:partner_available:UZS`, direction, amount, currency)
        .run();
    await expect(insert(0, "UZS")).rejects.toThrow(/positive integer/);
    await expect(insert(1.5, "UZS")).rejects.toThrow(/positive integer/);
    await expect(insert(5, "USD")).rejects.toThrow(/currency/);
    await expect(insert(1, "UZS")).rejects.toThrow(/exceed the entry amount/);
  });
});

describe("GET /v1/ledger/entries", () => {
  it("lists the partner's own entries newest first, with postings on its own accounts only", async () => {
    const a = await provisionPartner();
    const b = await provisionPartner();
    const refs = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    for (const ref of refs) await postEntry(db, capture(a.id, ref, 20_000));
    await postEntry(db, capture(b.id, crypto.randomUUID(), 20_000));
    const token = await tokenFor(a);

    const first = await call("GET", "/v1/ledger/entries?limit=2", { token });
    expect(first.res.status).toBe(200);
    expect(first.body.result.has_more).toBe(true);
    expect(first.body.result.data.map((e: { reference: string }) => e.reference)).toEqual([refs[2], refs[1]]);
    expect(first.body.result.data[0]).toMatchObject({
      object: "ledger_entry",
      kind: "capture",
      currency: "UZS",
      amount: 20_000,
      postings: [{ account: "partner_available", direction: "credit", amount: 19_700 }],
    });
    const next = await call(
      "GET",
      `/v1/ledger/entries?limit=2&starting_after=${first.body.result.data[1].id}`,
      { token },
    );
    expect(next.body.result).toMatchObject({ has_more: false });
    expect(next.body.result.data.map((e: { reference: string }) => e.reference)).toEqual([refs[0]]);

    const one = await call("GET", `/v1/ledger/entries?reference=${refs[1]}`, { token });
    expect(one.body.result.data).toHaveLength(1);

    const bToken = await tokenFor(b);
    const foreign = await call("GET", `/v1/ledger/entries?reference=${refs[1]}`, { token: bToken });
    expect(foreign.body.result).toEqual({ data: [], has_more: false });
  });

  it("validates its query", async () => {
    const token = await tokenFor(await provisionPartner());
    const bad = await call("GET", "/v1/ledger/entries?limit=abc", { token });
    expect(bad.res.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 3, field: "limit" });
    const big = await call("GET", "/v1/ledger/entries?limit=1000", { token });
    expect(big.body.error).toMatchObject({ code: 4, field: "limit" });
    const cursor = await call("GET", "/v1/ledger/entries?starting_after=nope", { token });
    expect(cursor.body.error).toMatchObject({ code: 4, field: "starting_after" });
  });
});
