import { describe, expect, it } from "vitest";
import type { MeteredCall, MeteringMessage } from "../../../src/modules/billing/metering/model";
import {
  MAX_CALLS_PER_WINDOW,
  MAX_ENTRIES_PER_WINDOW,
  meterCall,
} from "../../../src/modules/billing/metering/window";
import { createLogger } from "../../../src/platform/lib/logger";

// The window alone: what each flush hands the queue. The way through the real queue and consumer
// is metering-exactly-once.test.ts.
function recordingQueue() {
  const sent: MeteringMessage[] = [];
  const queue = { send: async (m: MeteringMessage) => void sent.push(m) } as unknown as Queue;
  return { queue, sent };
}

const log = createLogger("error");
const call = (operation: string, scope?: string): MeteredCall => ({
  partnerId: "p1",
  hour: "2026-12-03T11:00:00Z",
  product: "payments",
  operation,
  outcome: "success",
  ...(scope ? { scope } : {}),
});
const total = (sent: MeteringMessage[]) =>
  sent.reduce((n, m) => n + m.counts.reduce((a, r) => a + r[5], 0) + m.keyed.length, 0);

describe("the metering window", () => {
  it("sums a row's calls as they arrive: one message for a window of one row", async () => {
    const { queue, sent } = recordingQueue();
    await Promise.all(Array.from({ length: 250 }, () => meterCall(queue, call("getPartner"), 200, log)));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.counts).toEqual([
      ["p1", "2026-12-03T11:00:00Z", "payments", "getPartner", "success", 250],
    ]);
  });

  it("closes at MAX_CALLS_PER_WINDOW calls however few rows, and counts every call once", async () => {
    const { queue, sent } = recordingQueue();
    const n = MAX_CALLS_PER_WINDOW * 2 + 7;
    // A long window: only the caps close the first two; the third closes on time.
    await Promise.all(Array.from({ length: n }, () => meterCall(queue, call("getPartner"), 300, log)));
    expect(sent.map((m) => m.counts[0]?.[5])).toEqual([MAX_CALLS_PER_WINDOW, MAX_CALLS_PER_WINDOW, 7]);
    expect(total(sent)).toBe(n);
  });

  it("closes at MAX_ENTRIES_PER_WINDOW rows and keyed calls, and a keyed call twice is one", async () => {
    const { queue, sent } = recordingQueue();
    const calls = [
      ...Array.from({ length: 60 }, (_, i) => call(`op${i}`)),
      call("createPayment", "scope-a"),
      call("createPayment", "scope-a"),
      ...Array.from({ length: 60 }, (_, i) => call("createPayment", `scope-${i}`)),
    ];
    await Promise.all(calls.map((c) => meterCall(queue, c, 300, log)));
    expect(sent[0] && sent[0].counts.length + sent[0].keyed.length).toBe(MAX_ENTRIES_PER_WINDOW);
    expect(sent.flatMap((m) => m.keyed.map((k) => k[0])).filter((s) => s === "scope-a")).toHaveLength(1);
    expect(total(sent)).toBe(60 + 1 + 60);
  });
});
