import { foldWindows } from "../../../platform/lib/batch-window";
import type { Logger } from "../../../platform/lib/logger";
import { addToDraft, emptyDraft, type MessageDraft, type MeteredCall, messageOfDraft } from "./model";

/**
 * The most entries (summed rows and keyed calls) one window holds: its message stays far below a
 * queue message's 128 KB, and its D1 batch (1 + a statement per row + 2 per keyed call) within a
 * consumer's statement budget. Un-keyed calls of one row cost no more than one.
 */
export const MAX_ENTRIES_PER_WINDOW = 100;
/** The most calls one window holds, summed or not: what an isolate killed mid-window can lose. */
export const MAX_CALLS_PER_WINDOW = 1000;

// The open window per queue binding, for the isolate's life, its calls summed as they arrive. A
// window carries the logger of the request that opened it, which reports a failed send.
const addCall = foldWindows<Queue, { call: MeteredCall; log: Logger }, MessageDraft & { log?: Logger }>({
  open: emptyDraft,
  add: (draft, { call, log }) => {
    draft.log ??= log;
    addToDraft(draft, call);
    return (
      draft.counts.size + draft.keyed.size >= MAX_ENTRIES_PER_WINDOW || draft.calls >= MAX_CALLS_PER_WINDOW
    );
  },
  flush: async (queue, draft) => {
    try {
      await queue.send(messageOfDraft(crypto.randomUUID(), draft));
    } catch (err) {
      // Not retried here (an isolate must never pile up counts); keyed calls are recounted by their replays.
      draft.log?.error("calls not metered", {
        error: err instanceof Error ? err.name : "unknown",
        calls: draft.calls,
      });
    }
  },
});

/**
 * Hands a call to this isolate's next METERING_QUEUE message and answers when it is sent, for the
 * caller's `waitUntil` (one message per `delayMs` window, src/platform/lib/batch-window.ts). Never rejects.
 */
export function meterCall(queue: Queue, call: MeteredCall, delayMs: number, log: Logger): Promise<void> {
  return addCall(queue, { call, log }, delayMs);
}
