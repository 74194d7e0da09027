import { asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiVersionUsage } from "../db/schema";

/** How often an isolate adds what it counted to D1, at most. */
export const USAGE_FLUSH_MS = 60_000;
/** Partner × version pairs an isolate counts before it flushes early (bounds its memory). */
const MAX_PENDING = 1_000;

export interface UsageCount {
  partnerId: string;
  version: string;
  calls: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

/**
 * One isolate's count of calls per partner and version. Counting is a Map update; what was
 * counted leaves in one D1 batch at most once per `flushMs` (the first call in a fresh isolate
 * flushes at once, so a new pair shows up promptly), handed to `waitUntil` by the caller so no
 * request waits for it. Calls counted since the last flush are lost if the isolate is evicted:
 * the figures are a lower bound, "last seen" within a minute or so of the truth.
 */
export class VersionUsage {
  private pending = new Map<string, UsageCount>();
  private lastFlush = Number.NEGATIVE_INFINITY;

  constructor(private readonly flushMs = USAGE_FLUSH_MS) {}

  /** Counts one call; returns what is due to be written now, if anything. */
  record(partnerId: string, version: string, now = Date.now()): UsageCount[] | undefined {
    const key = `${partnerId} ${version}`;
    const at = new Date(now).toISOString();
    const entry = this.pending.get(key);
    if (entry) {
      entry.calls += 1;
      entry.lastSeenAt = at;
    } else {
      this.pending.set(key, { partnerId, version, calls: 1, firstSeenAt: at, lastSeenAt: at });
    }
    if (now - this.lastFlush < this.flushMs && this.pending.size < MAX_PENDING) return undefined;
    this.lastFlush = now;
    const due = [...this.pending.values()];
    this.pending = new Map();
    return due;
  }

  /** Counts that could not be written go back to be written with the next flush. */
  restore(counts: readonly UsageCount[]) {
    for (const c of counts) {
      const key = `${c.partnerId} ${c.version}`;
      const entry = this.pending.get(key);
      if (!entry) this.pending.set(key, { ...c });
      else {
        entry.calls += c.calls;
        if (c.firstSeenAt < entry.firstSeenAt) entry.firstSeenAt = c.firstSeenAt;
      }
    }
  }
}

/** The isolate's counter. */
export const versionUsage = new VersionUsage();

/** Adds counted calls to the table, one upsert per partner and version, in one batch. */
export async function writeUsage(db: Db, counts: readonly UsageCount[]): Promise<void> {
  const [first, ...rest] = counts.map((c) =>
    db
      .insert(apiVersionUsage)
      .values(c)
      .onConflictDoUpdate({
        target: [apiVersionUsage.partnerId, apiVersionUsage.version],
        set: {
          calls: sql`${apiVersionUsage.calls} + excluded.calls`,
          firstSeenAt: sql`min(${apiVersionUsage.firstSeenAt}, excluded.first_seen_at)`,
          lastSeenAt: sql`max(${apiVersionUsage.lastSeenAt}, excluded.last_seen_at)`,
        },
      }),
  );
  if (first) await db.batch([first, ...rest]);
}

export interface PartnerVersionUsage {
  partner_id: string;
  version: string;
  calls: number;
  first_seen_at: string;
  last_seen_at: string;
}

/**
 * Which partners call which version: one row per partner and version, oldest version first and
 * within it the most recent caller first. `version` narrows to one version. For the platform
 * team's admin API ("who still calls the deprecated version?").
 */
export async function partnersByVersion(
  db: Db,
  opts: { version?: string } = {},
): Promise<PartnerVersionUsage[]> {
  const rows = await db
    .select()
    .from(apiVersionUsage)
    .where(opts.version === undefined ? undefined : eq(apiVersionUsage.version, opts.version))
    .orderBy(asc(apiVersionUsage.version), desc(apiVersionUsage.lastSeenAt), asc(apiVersionUsage.partnerId));
  return rows.map((r) => ({
    partner_id: r.partnerId,
    version: r.version,
    calls: r.calls,
    first_seen_at: r.firstSeenAt,
    last_seen_at: r.lastSeenAt,
  }));
}
