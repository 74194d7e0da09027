// The checker's view of what the gateway stored, read from the local state `wrangler dev`
// persisted: the D1 database and every Durable Object's SQLite file. Read-only, after the
// gateway has stopped, so nothing moves while the invariants are checked.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { deserialize } from "node:v8";

export type Row = Record<string, unknown>;

function sqliteFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** The D1 database file of the run (the one sqlite file of the D1 directory holding the ledger). */
export function d1File(persistTo: string): string {
  for (const file of sqliteFiles(join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject"))) {
    const db = new DatabaseSync(file, { readOnly: true });
    const found = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal_entries'").get();
    db.close();
    if (found) return file;
  }
  throw new Error(`no D1 database with a ledger under ${persistTo}`);
}

export const openD1 = (persistTo: string) => new DatabaseSync(d1File(persistTo), { readOnly: true });

export const all = (db: DatabaseSync, sql: string, ...params: (string | number)[]): Row[] =>
  db.prepare(sql).all(...params) as Row[];

/** One Durable Object's synchronous KV storage: key → value (V8-serialised, as workerd stores it). */
export interface ObjectState {
  file: string;
  kv: Map<string, unknown>;
}

/** Every object of one class (`PaymentObject`, `PayoutObject`, `IdempotencyKey`…). */
export function objectsOf(persistTo: string, className: string): ObjectState[] {
  const dir = join(persistTo, "v3", "do", `portico-sandbox-${className}`);
  return sqliteFiles(dir).map((file) => {
    const db = new DatabaseSync(file, { readOnly: true });
    const kv = new Map<string, unknown>();
    try {
      const hasKv = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_cf_KV'").get();
      if (hasKv) {
        for (const row of all(db, "SELECT key, value FROM _cf_KV")) {
          kv.set(String(row.key), decode(row.value));
        }
      }
    } finally {
      db.close();
    }
    return { file, kv };
  });
}

function decode(value: unknown): unknown {
  if (!(value instanceof Uint8Array)) return value;
  try {
    return deserialize(Buffer.from(value));
  } catch {
    return { undecodable: Buffer.from(value).subarray(0, 16).toString("hex") };
  }
}
