// The bench's floors, in the same runtime and `wrangler dev` set-up as the gateway:
// - `POST /`: the least durable work a payment needs (create a new SQLite-backed Durable Object
//   and write one row in it, then insert one row in D1). The bare Worker is the wrong yardstick
//   for a durable write.
// - `POST /ledger`: Portico's own ledger code posting to one hot account (a capture crediting the
//   same partner; every fifth request also a guarded payout hold on it), on the real schema
//   (migrations applied by the bench), and `POST /ledger/floor`: the same number of rows as a
//   capture entry inserted as one plain D1 batch into a table without keys, guards or triggers.
import { DurableObject } from "cloudflare:workers";
import { postEntry, postGuardedEntry } from "../../src/modules/ledger/ledger";
import { createDb } from "../../src/platform/db/client";

interface FloorEnv {
  FLOOR: DurableObjectNamespace<FloorObject>;
  DB: D1Database;
}

/** One object per request, as the gateway makes one payment object per payment. */
export class FloorObject extends DurableObject<FloorEnv> {
  write(id: string, at: string): string {
    this.ctx.storage.kv.put("row", { id, at });
    return id;
  }
}

/** The hot account's owner: every capture credits this partner. */
const HOT = "bench-hot-partner";
let posted = 0;
let plainReady: Promise<unknown> | undefined;

async function ledgerPosting(env: FloorEnv): Promise<Response> {
  const db = createDb(env.DB);
  const reference = crypto.randomUUID();
  const amount = 100_000;
  const fee = 1_500;
  await postEntry(db, {
    reference,
    kind: "capture",
    currency: "UZS",
    partnerId: HOT,
    lines: [
      { owner: "platform", code: "card_clearing", direction: "debit", amount },
      { owner: HOT, code: "partner_available", direction: "credit", amount: amount - fee },
      { owner: "platform", code: "fee_revenue", direction: "credit", amount: fee },
    ],
  });
  posted += 1;
  let held: boolean | undefined;
  if (posted % 5 === 0) {
    const hold = 50_000;
    const result = await postGuardedEntry(
      db,
      {
        reference,
        kind: "payout_hold",
        currency: "UZS",
        partnerId: HOT,
        lines: [
          { owner: HOT, code: "partner_available", direction: "debit", amount: hold },
          { owner: HOT, code: "partner_reserved", direction: "credit", amount: hold },
        ],
      },
      { owner: HOT, code: "partner_available", atLeast: hold },
    );
    held = result.ok;
  }
  return Response.json({ ok: true, reference, held });
}

async function plainPosting(env: FloorEnv): Promise<Response> {
  plainReady ??= env.DB.prepare(
    "CREATE TABLE IF NOT EXISTS floor_postings (id TEXT, entry TEXT, account TEXT, amount INTEGER)",
  ).run();
  await plainReady;
  const entry = crypto.randomUUID();
  const insert = env.DB.prepare(
    "INSERT INTO floor_postings (id, entry, account, amount) VALUES (?, ?, ?, ?)",
  );
  await env.DB.batch([
    insert.bind(crypto.randomUUID(), entry, "entry", 100_000),
    insert.bind(crypto.randomUUID(), entry, "card_clearing", 100_000),
    insert.bind(crypto.randomUUID(), entry, HOT, 98_500),
    insert.bind(crypto.randomUUID(), entry, "fee_revenue", 1_500),
  ]);
  return Response.json({ ok: true, entry });
}

let tableReady: Promise<unknown> | undefined;

async function durableWrite(env: FloorEnv): Promise<Response> {
  tableReady ??= env.DB.prepare(
    "CREATE TABLE IF NOT EXISTS floor_rows (id TEXT PRIMARY KEY, at TEXT NOT NULL)",
  ).run();
  await tableReady;
  const id = crypto.randomUUID();
  const at = new Date().toISOString();
  await env.FLOOR.get(env.FLOOR.idFromName(id)).write(id, at);
  await env.DB.prepare("INSERT INTO floor_rows (id, at) VALUES (?, ?)").bind(id, at).run();
  return Response.json({ ok: true, id });
}

export default {
  async fetch(request: Request, env: FloorEnv): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === "/ledger") return ledgerPosting(env);
    if (path === "/ledger/floor") return plainPosting(env);
    return durableWrite(env);
  },
} satisfies ExportedHandler<FloorEnv>;
