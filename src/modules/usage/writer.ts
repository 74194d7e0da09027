import type { Db } from "../../platform/db/client";
import { batchWindows } from "../../platform/lib/batch-window";
import type { Logger } from "../../platform/lib/logger";
import type { RequestRecord } from "./model";
import { insertRequests } from "./storage";

/** The most rows one write holds: one D1 batch of 20 statements of 5 rows. */
export const MAX_ROWS_PER_WRITE = 100;

async function write(db: Db, rows: readonly RequestRecord[], log: Logger): Promise<void> {
  try {
    await insertRequests(db, rows);
  } catch (err) {
    // Dropped, not retried: the log is best effort and must never pile up in an isolate.
    log.warn("request not recorded", {
      error: err instanceof Error ? err.name : "unknown",
      rows: rows.length,
    });
  }
}

// The open window per database binding (a test's other D1 has its own), for the isolate's life.
// A window's rows carry the logger of the request that brought them; the first one reports.
const addRow = batchWindows<Db, { row: RequestRecord; log: Logger }>(async (db, items) => {
  const log = items[0]?.log;
  if (log)
    await write(
      db,
      items.map((i) => i.row),
      log,
    );
}, MAX_ROWS_PER_WRITE);

/**
 * Hands a row to this isolate's next write and answers that write, for the caller's `waitUntil`.
 * With `delayMs` 0 every row is its own write. Otherwise the first row of a window opens it for
 * `delayMs`, and the rows that arrive meanwhile go with it in one D1 batch: a commit per window,
 * not per request (src/platform/lib/batch-window.ts). A window is written at once when it holds
 * MAX_ROWS_PER_WRITE rows. Never rejects: a failed write is logged by its error's name and its
 * rows dropped.
 */
export function writeRow(db: Db, row: RequestRecord, delayMs: number, log: Logger): Promise<void> {
  return addRow(db, { row, log }, delayMs);
}
