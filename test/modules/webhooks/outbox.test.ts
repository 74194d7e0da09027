import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type DeliveryDeps, deliver } from "../../../src/modules/webhooks/delivery";
import { ensureDeliveries } from "../../../src/modules/webhooks/storage";
import { loadConfig } from "../../../src/platform/env";
import { storeEvent } from "../../../src/platform/events/events";
import { uuidv7 } from "../../../src/platform/lib/ids";
import {
  drainsOnce,
  type EventsQueue,
  eventRows,
  failingQueue,
  hangingQueue,
  partnerWithHook,
} from "../../support/outbox";
import { db } from "../../support/partners";
import { createEndpoint, receiver, until } from "../../support/webhooks";

// `endpoint.disabled` through the one event outbox: the endpoint is disabled and its event
// stored in one batch, once, however many failing deliveries decide it at the same time.

const deps = (events: EventsQueue): DeliveryDeps => ({
  db,
  config: loadConfig(env),
  deliveries: env.WEBHOOKS_QUEUE,
  events,
  deadLetters: env.DEAD_LETTERS,
});

/** A partner watching its events on the real receiver, and a second endpoint that answers 410 Gone. */
async function goneEndpoint(deliveries = 1) {
  const s = await partnerWithHook();
  const gone = receiver();
  await gone.script({ fail: 100, status: 410 });
  const endpoint = await createEndpoint(s.token, { url: gone.url, events: ["payment.captured"] });
  const ids: string[] = [];
  for (let i = 0; i < deliveries; i++) {
    const eventId = uuidv7();
    await storeEvent(db, {
      id: eventId,
      type: "payment.captured",
      partnerId: s.p.id,
      livemode: false,
      createdAt: new Date().toISOString(),
      object: { id: `pay_${i}`, object: "payment" },
    });
    const [delivery] = await ensureDeliveries(db, [
      { id: uuidv7(), eventId, endpointId: endpoint.id, partnerId: s.p.id },
    ]);
    if (!delivery) throw new Error("no delivery");
    ids.push(delivery.id);
  }
  return { ...s, endpointId: endpoint.id, deliveryIds: ids };
}

const endpointStatus = async (id: string) =>
  (
    await env.DB.prepare("SELECT status FROM webhook_endpoints WHERE id = ?")
      .bind(id)
      .first<{ status: string }>()
  )?.status;

describe("the event outbox: webhook endpoints", () => {
  it("disables the endpoint when the send fails; the drainer delivers endpoint.disabled once", async () => {
    const s = await goneEndpoint();
    const decision = await deliver(deps(failingQueue), s.deliveryIds[0] ?? "", 1);
    expect(decision.kind).toBe("disable_endpoint");
    expect(await endpointStatus(s.endpointId)).toBe("disabled");
    await drainsOnce(s.p.id, "endpoint.disabled", s.arrived);
  });

  it("delivers once an endpoint.disabled whose process died after the commit, before the send", async () => {
    const s = await goneEndpoint();
    const hanging = hangingQueue();
    const answer = deliver(deps(hanging.queue), s.deliveryIds[0] ?? "", 1);
    await until(async () => (await eventRows(s.p.id, "endpoint.disabled")).length === 1);
    expect(await endpointStatus(s.endpointId)).toBe("disabled");
    await drainsOnce(s.p.id, "endpoint.disabled", s.arrived);
    hanging.release();
    expect((await answer).kind).toBe("disable_endpoint");
  });

  it("announces the endpoint disabled once when several failing deliveries decide it at once", async () => {
    const s = await goneEndpoint(4);
    const decisions = await Promise.all(s.deliveryIds.map((id) => deliver(deps(failingQueue), id, 1)));
    expect(decisions.map((d) => d.kind)).toContain("disable_endpoint");
    expect(await endpointStatus(s.endpointId)).toBe("disabled");
    await drainsOnce(s.p.id, "endpoint.disabled", s.arrived);
  });
});
