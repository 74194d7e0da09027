// After the last kill: the asynchronous work runs out. The cron is fired as the platform fires
// it (every few seconds here instead of every minute) until the D1 outbox is sent and consumed,
// every delivery has succeeded and every payout is final, or the time runs out.
import { performance } from "node:perf_hooks";
import type { Gateway } from "./gateway";
import { all, openD1 } from "./storage";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const OPEN_WORK = `SELECT
  (SELECT COUNT(*) FROM events WHERE enqueued_at IS NULL OR fanned_out_at IS NULL) AS events,
  (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending') AS deliveries,
  (SELECT COUNT(*) FROM payouts WHERE status IN ('queued', 'sent')) AS payouts`;

export async function settle(gateway: Gateway, persistTo: string, timeoutMs: number) {
  const started = performance.now();
  let last = "";
  while (performance.now() - started < timeoutMs) {
    await gateway.runCron().catch(() => undefined);
    const d1 = openD1(persistTo);
    const [open] = all(d1, OPEN_WORK);
    d1.close();
    const now = `${open?.events} events, ${open?.deliveries} deliveries, ${open?.payouts} payouts open`;
    if (now !== last) console.log(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${now}`);
    last = now;
    if (Number(open?.events) + Number(open?.deliveries) + Number(open?.payouts) === 0) {
      return { done: true, ms: performance.now() - started };
    }
    await sleep(3000);
  }
  return { done: false, ms: performance.now() - started };
}
