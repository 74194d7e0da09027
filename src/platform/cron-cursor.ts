import { eq } from "drizzle-orm";
import type { Db } from "./db/client";
import { cronCursors } from "./db/schema";

/**
 * One run's slice of a list a cron job walks in turns (docs/cron.md, cursors): up to `limit` keys
 * after where the last run stopped, wrapping round to the start when the list ends, never a key
 * twice in a run. The cursor moves to the slice's last key; every key comes round within
 * ⌈n / limit⌉ runs. `after(db, key, n)` lists keys greater than `key`, in order.
 */
export async function nextSlice(
  db: Db,
  job: string,
  limit: number,
  after: (db: Db, key: string, n: number) => Promise<string[]>,
  now: number,
): Promise<string[]> {
  const [row] = await db
    .select({ after: cronCursors.after })
    .from(cronCursors)
    .where(eq(cronCursors.job, job));
  const from = row?.after ?? "";
  const slice = await after(db, from, limit);
  if (slice.length < limit && from !== "") {
    const wrapped = await after(db, "", limit - slice.length);
    slice.push(...wrapped.filter((key) => key <= from && !slice.includes(key)));
  }
  const last = slice[slice.length - 1] ?? "";
  const updatedAt = new Date(now).toISOString();
  await db
    .insert(cronCursors)
    .values({ job, after: last, updatedAt })
    .onConflictDoUpdate({ target: cronCursors.job, set: { after: last, updatedAt } });
  return slice;
}
