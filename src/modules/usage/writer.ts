import type { Db } from "../../platform/db/client";
import type { Logger } from "../../platform/lib/logger";
import type { RequestRecord } from "./model";
import { insertRequests } from "./storage";

/** The most rows one write holds: one D1 batch of 20 statements of 5 rows. */
export const MAX_ROWS_PER_WRITE = 100;

/** The rows of one window of an isolate, and their write (settled once they are stored or dropped). */
interface Window {
  rows: RequestRecord[];
  written: Promise<void>;
  close: () => void;
}

// The open window per database binding (a test's other D1 has its own), for the isolate's life.
const open = new WeakMap<Db, Window>();

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

function openWindow(db: Db, delayMs: number, log: Logger): Window {
  let release = () => {};
  const closed = new Promise<void>((resolve) => {
    release = resolve;
  });
  const window: Window = {
    rows: [],
    close: () => {
      // Closed windows take no more rows: the next row opens a new one.
      if (open.get(db) === window) open.delete(db);
      release();
    },
    written: closed.then(() => write(db, window.rows, log)),
  };
  setTimeout(() => window.close(), delayMs);
  return window;
}

/**
 * Hands a row to this isolate's next write and answers that write, for the caller's `waitUntil`.
 * With `delayMs` 0 every row is its own write. Otherwise the first row of a window opens it for
 * `delayMs`, and the rows that arrive meanwhile go with it in one D1 batch: a commit per window,
 * not per request. A window is written at once when it holds MAX_ROWS_PER_WRITE rows. Every
 * request of a window holds the window's write in its `waitUntil`, so the runtime keeps it alive
 * until the rows are stored. Never rejects: a failed write is logged by its error's name and its
 * rows dropped.
 */
export function writeRow(db: Db, row: RequestRecord, delayMs: number, log: Logger): Promise<void> {
  if (delayMs === 0) return write(db, [row], log);
  let window = open.get(db);
  if (!window) {
    window = openWindow(db, delayMs, log);
    open.set(db, window);
  }
  window.rows.push(row);
  if (window.rows.length >= MAX_ROWS_PER_WRITE) window.close();
  return window.written;
}
