import { batchWindows } from "../../../platform/lib/batch-window";
import type { Logger } from "../../../platform/lib/logger";
import { type MeteredCall, messageOf } from "./model";

/**
 * The most calls one window holds: its message stays far below a queue message's 128 KB, and its
 * D1 batch (1 + a statement per row + 2 per keyed call) within a consumer's statement budget.
 */
export const MAX_CALLS_PER_WINDOW = 100;

// The open window per queue binding, for the isolate's life. A window's calls carry the logger of
// the request that brought them; the first one reports a failed send.
const addCall = batchWindows<Queue, { call: MeteredCall; log: Logger }>(async (queue, items) => {
  try {
    await queue.send(
      messageOf(
        crypto.randomUUID(),
        items.map((i) => i.call),
      ),
    );
  } catch (err) {
    // Not retried here (an isolate must never pile up counts); keyed calls are recounted by their replays.
    items[0]?.log.error("calls not metered", {
      error: err instanceof Error ? err.name : "unknown",
      calls: items.length,
    });
  }
}, MAX_CALLS_PER_WINDOW);

/**
 * Hands a call to this isolate's next METERING_QUEUE message and answers when it is sent, for the
 * caller's `waitUntil` (one message per `delayMs` window, src/platform/lib/batch-window.ts). Never rejects.
 */
export function meterCall(queue: Queue, call: MeteredCall, delayMs: number, log: Logger): Promise<void> {
  return addCall(queue, { call, log }, delayMs);
}
