import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../src";
import { ensureDeliveries } from "../../../src/modules/webhooks/storage";
import { storeEvent } from "../../../src/platform/events/events";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";
import { createEndpoint, receiver } from "../../support/webhooks";

// The delivery consumer, driven by hand: each message is acked or retried on its own.

async function deliveryTo(url: string) {
  const p = await provisionPartner();
  const endpoint = await createEndpoint(await tokenFor(p), { url });
  const eventId = uuidv7();
  await storeEvent(db, {
    id: eventId,
    type: "payment.captured",
    partnerId: p.id,
    livemode: false,
    createdAt: new Date().toISOString(),
    object: { id: "pay_1", object: "payment" },
  });
  const [delivery] = await ensureDeliveries(db, [
    { id: uuidv7(), eventId, endpointId: endpoint.id, partnerId: p.id },
  ]);
  if (!delivery) throw new Error("no delivery");
  return delivery.id;
}

const message = (id: string, deliveryId: string, attempts = 1) => ({
  id,
  timestamp: new Date(),
  attempts,
  body: { deliveryId },
});

async function consume(messages: ReturnType<typeof message>[]) {
  const batch = createMessageBatch("portico-sandbox-webhooks", messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

describe("the delivery consumer", () => {
  it("acks the delivered message and retries only the failed one, after the schedule's delay", async () => {
    const good = receiver();
    const bad = receiver();
    await bad.script({ fail: 1, status: 500 });
    const badDelivery = await deliveryTo(bad.url);
    const result = await consume([
      message("m-good", await deliveryTo(good.url)),
      message("m-bad", badDelivery),
    ]);
    expect(result.ackAll).toBe(false);
    expect(result.retryBatch.retry).toBe(false);
    expect(result.explicitAcks).toEqual(["m-good"]);
    // (the test harness keeps no delay: the schedule's is checked on the recorded attempt)
    expect(result.retryMessages).toEqual([{ msgId: "m-bad" }]);
    const attempt = await env.DB.prepare(
      "SELECT attempted_at, next_retry_at FROM webhook_attempts WHERE delivery_id = ?",
    )
      .bind(badDelivery)
      .first<{ attempted_at: string; next_retry_at: string }>();
    expect(
      Date.parse(attempt?.next_retry_at ?? "") - Date.parse(attempt?.attempted_at ?? ""),
    ).toBeGreaterThanOrEqual(1000);
  });

  it("the last attempt is acked and handed to the dead letters", async () => {
    const bad = receiver();
    await bad.script({ fail: 10, status: 500 });
    const deliveryId = await deliveryTo(bad.url);
    const result = await consume([message("m-last", deliveryId, 4)]);
    expect(result.explicitAcks).toEqual(["m-last"]);
    const row = await env.DB.prepare("SELECT status, attempts FROM webhook_deliveries WHERE id = ?")
      .bind(deliveryId)
      .first();
    expect(row).toEqual({ status: "failed", attempts: 1 });
  });

  it("a message for a delivery already made is acked without sending again", async () => {
    const hook = receiver();
    const deliveryId = await deliveryTo(hook.url);
    await consume([message("m-1", deliveryId)]);
    const again = await consume([message("m-2", deliveryId)]);
    expect(again.explicitAcks).toEqual(["m-2"]);
    expect((await hook.received()).length).toBe(1);
  });

  it("a URL refused at delivery time (saved before the rules changed) is final and logged", async () => {
    const hook = receiver();
    const deliveryId = await deliveryTo(hook.url);
    await env.DB.prepare(
      "UPDATE webhook_endpoints SET url = 'http://10.1.2.3/hook' WHERE id = (SELECT endpoint_id FROM webhook_deliveries WHERE id = ?)",
    )
      .bind(deliveryId)
      .run();
    const result = await consume([message("m-ssrf", deliveryId)]);
    expect(result.explicitAcks).toEqual(["m-ssrf"]);
    const attempt = await env.DB.prepare(
      "SELECT status_code, error, outcome FROM webhook_attempts WHERE delivery_id = ?",
    )
      .bind(deliveryId)
      .first();
    expect(attempt).toMatchObject({ status_code: null, outcome: "failed" });
    expect(String(attempt?.error)).toContain("url refused");
  });

  it("an endpoint failing for 5 days is disabled and announces endpoint.disabled", async () => {
    const bad = receiver();
    await bad.script({ fail: 10, status: 500 });
    const deliveryId = await deliveryTo(bad.url);
    const sixDaysAgo = new Date(Date.now() - 6 * 86_400_000).toISOString();
    await env.DB.prepare(
      "UPDATE webhook_endpoints SET failing_since = ? WHERE id = (SELECT endpoint_id FROM webhook_deliveries WHERE id = ?)",
    )
      .bind(sixDaysAgo, deliveryId)
      .run();
    await consume([message("m-old", deliveryId)]);
    const endpoint = await env.DB.prepare(
      "SELECT id, partner_id, status, disabled_reason FROM webhook_endpoints WHERE id = (SELECT endpoint_id FROM webhook_deliveries WHERE id = ?)",
    )
      .bind(deliveryId)
      .first<{ id: string; partner_id: string; status: string; disabled_reason: string }>();
    expect(endpoint).toMatchObject({
      status: "disabled",
      disabled_reason: "no successful delivery for 120 hours",
    });
    const announced = await env.DB.prepare(
      "SELECT data FROM events WHERE partner_id = ? AND type = 'endpoint.disabled'",
    )
      .bind(endpoint?.partner_id)
      .first<{ data: string }>();
    expect(JSON.parse(announced?.data ?? "{}").object).toMatchObject({
      id: endpoint?.id,
      status: "disabled",
    });

    // A success clears the run: a re-enabled endpoint starts counting afresh.
    const good = receiver();
    const fresh = await deliveryTo(good.url);
    await consume([message("m-ok", fresh)]);
    const row = await env.DB.prepare(
      "SELECT failing_since FROM webhook_endpoints WHERE id = (SELECT endpoint_id FROM webhook_deliveries WHERE id = ?)",
    )
      .bind(fresh)
      .first();
    expect(row).toEqual({ failing_since: null });
  });

  it("a timeout is an attempt like any other: recorded and retried", async () => {
    const slow = receiver();
    await slow.script({ delayMs: 5000 });
    const deliveryId = await deliveryTo(slow.url);
    const result = await consume([message("m-slow", deliveryId)]);
    expect(result.retryMessages).toEqual([{ msgId: "m-slow" }]);
    const attempt = await env.DB.prepare(
      "SELECT status_code, error FROM webhook_attempts WHERE delivery_id = ?",
    )
      .bind(deliveryId)
      .first();
    expect(attempt).toEqual({ status_code: null, error: "timeout" });
  });
});
