import { eq } from "drizzle-orm";
import type { Product } from "./catalog";
import type { Db } from "./db/client";
import { killSwitches } from "./db/schema";
import type { Config } from "./env";
import { TtlCache } from "./lib/ttl-cache";

/**
 * How long an isolate trusts its copy of the switches: a product switched off through the admin
 * API is refused everywhere within this time (in the isolate that switched it, at once).
 */
export const KILL_SWITCH_CACHE_MS = 5000;

const ALL = "all";
const cache = new TtlCache<ReadonlySet<string>>({ maxEntries: 1 });

export type KillSwitchRow = typeof killSwitches.$inferSelect;

export const killSwitchRows = (db: Db): Promise<KillSwitchRow[]> => db.select().from(killSwitches);

/** The products switched off now: by configuration (`PRODUCTS_DISABLED`) or by a switch in D1. */
export async function disabledProducts(db: Db, config: Config): Promise<ReadonlySet<string>> {
  const switched = await cache.get(ALL, KILL_SWITCH_CACHE_MS, async () => {
    const rows = await killSwitchRows(db);
    return new Set(rows.filter((r) => r.disabled).map((r) => r.product));
  });
  if (config.PRODUCTS_DISABLED.length === 0) return switched ?? new Set();
  return new Set([...config.PRODUCTS_DISABLED, ...(switched ?? [])]);
}

export const isProductDisabled = async (db: Db, config: Config, product: Product) =>
  (await disabledProducts(db, config)).has(product);

/** Sets one product's switch and forgets this isolate's copy, so it bites here at once. */
export async function setKillSwitch(
  db: Db,
  row: { product: Product; disabled: boolean; reason: string | null; updatedBy: string },
): Promise<KillSwitchRow> {
  const values = { ...row, updatedAt: new Date().toISOString() };
  const [saved] = await db
    .insert(killSwitches)
    .values(values)
    .onConflictDoUpdate({ target: killSwitches.product, set: values })
    .returning();
  cache.invalidate();
  if (!saved) throw new Error("kill switch upsert returned no row");
  return saved;
}

export async function killSwitchOf(db: Db, product: Product): Promise<KillSwitchRow | undefined> {
  const [row] = await db.select().from(killSwitches).where(eq(killSwitches.product, product)).limit(1);
  return row;
}
