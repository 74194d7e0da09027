import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import {
  EventTooLarge,
  MAX_EVENT_BYTES,
  type PorticoEvent,
  publishEvent,
} from "../../../src/platform/events/events";
import { db, provisionPartner } from "../../support/partners";

const event = (
  partnerId: string,
  object: Record<string, unknown> = { id: "p1", object: "payment" },
): PorticoEvent => ({
  id: crypto.randomUUID(),
  type: "payment.captured",
  partnerId,
  livemode: false,
  createdAt: new Date().toISOString(),
  object,
});

describe("publishEvent", () => {
  it("stores an event once and enqueues it each time it is published", async () => {
    const p = await provisionPartner();
    const send = vi.spyOn(env.EVENTS_QUEUE, "send");
    const e = event(p.id);
    expect(await publishEvent(db, env.EVENTS_QUEUE, e)).toEqual({ stored: true });
    expect(await publishEvent(db, env.EVENTS_QUEUE, e)).toEqual({ stored: false });
    const rows = await env.DB.prepare("SELECT type, partner_id, livemode, data FROM events WHERE id = ?")
      .bind(e.id)
      .all();
    expect(rows.results).toEqual([
      { type: "payment.captured", partner_id: p.id, livemode: 0, data: JSON.stringify({ object: e.object }) },
    ]);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send).toHaveBeenCalledWith({ eventId: e.id });
    send.mockRestore();
  });

  it("refuses a payload over 20 KB and stores nothing", async () => {
    const p = await provisionPartner();
    const big = event(p.id, { blob: "x".repeat(MAX_EVENT_BYTES) });
    await expect(publishEvent(db, env.EVENTS_QUEUE, big)).rejects.toBeInstanceOf(EventTooLarge);
    const row = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE id = ?")
      .bind(big.id)
      .first<{ n: number }>();
    expect(row?.n).toBe(0);
  });
});
