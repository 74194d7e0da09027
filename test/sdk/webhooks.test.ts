// verifyWebhook: real deliveries from a gateway to a real HTTP receiver on this machine, verified
// with each endpoint's secret (HMAC) or public key (Ed25519); and the refusals, on deliveries
// signed here with node:crypto, independently of the SDK's WebCrypto code.
import { createHmac, generateKeyPairSync, randomBytes, randomUUID, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { Portico, verifyWebhook, WebhookVerificationError } from "../../sdk/typescript/src/index";
import { DEMO } from "../browser/support/partner";
import { startWebhookReceiver } from "../node/webhook-receiver";

async function refusal(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(WebhookVerificationError);
    return e as WebhookVerificationError;
  }
  throw new Error("the delivery verified");
}

describe("verifyWebhook on deliveries signed with node:crypto", () => {
  const key = randomBytes(32);
  const secret = `whsec_${key.toString("base64")}`;
  const now = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    id: "0192f4d0-0000-7000-8000-000000000001",
    type: "payment.captured",
    created_at: "2026-11-23T08:15:30.123Z",
    livemode: false,
    data: { object: { id: "0192f4c9-0000-7000-8000-000000000002", object: "payment", status: "captured" } },
  });
  const hmac = (k: Buffer, id: string, ts: number, content: string | Buffer) =>
    `v1,${createHmac("sha256", k).update(`${id}.${ts}.`).update(content).digest("base64")}`;
  const delivery = (signature: string, ts = now, id = "evt_1") => ({
    "webhook-id": id,
    "webhook-timestamp": String(ts),
    "webhook-signature": signature,
  });

  it("answers the parsed event for a string body, bytes, Headers, and Node's header record", async () => {
    const headers = delivery(hmac(key, "evt_1", now, body));
    const event = await verifyWebhook(secret, headers, body);
    expect(event).toMatchObject({ type: "payment.captured", data: { object: { status: "captured" } } });
    expect(await verifyWebhook(secret, new Headers(headers), new TextEncoder().encode(body))).toEqual(event);
    const nodeStyle = {
      "Webhook-Id": "evt_1",
      "WEBHOOK-TIMESTAMP": String(now),
      "webhook-signature": [headers["webhook-signature"]],
    };
    expect(await verifyWebhook(secret, nodeStyle, Buffer.from(body))).toEqual(event);
  });

  it("verifies the raw bytes: a body that is not valid UTF-8 is not re-encoded", async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"id":"e","type":"ping","data":{"object":{"x":"'),
      Buffer.from([0xff]),
      Buffer.from('"}}}'),
    ]);
    const headers = delivery(hmac(key, "evt_1", now, bytes));
    await expect(verifyWebhook(secret, headers, bytes)).resolves.toMatchObject({ type: "ping" });
    // Decoded and encoded again, the byte changes: the signature no longer matches.
    const e = await refusal(verifyWebhook(secret, headers, bytes.toString("utf8")));
    expect(e.reason).toBe("invalid_signature");
  });

  it("accepts a delivery when any one signature verifies (a rotation signs with both secrets)", async () => {
    const old = randomBytes(32);
    const both = `${hmac(old, "evt_1", now, body)} ${hmac(key, "evt_1", now, body)}`;
    await expect(verifyWebhook(secret, delivery(both), body)).resolves.toMatchObject({
      type: "payment.captured",
    });
    await expect(
      verifyWebhook([`whsec_${old.toString("base64")}`], delivery(both), body),
    ).resolves.toBeTruthy();
  });

  it("refuses a changed body, another secret, another id, and garbage signatures", async () => {
    const signed = delivery(hmac(key, "evt_1", now, body));
    expect((await refusal(verifyWebhook(secret, signed, body.replace("captured", "refunded")))).reason).toBe(
      "invalid_signature",
    );
    const other = `whsec_${randomBytes(32).toString("base64")}`;
    expect((await refusal(verifyWebhook(other, signed, body))).reason).toBe("invalid_signature");
    const moved = { ...signed, "webhook-id": "evt_2" };
    expect((await refusal(verifyWebhook(secret, moved, body))).reason).toBe("invalid_signature");
    for (const garbage of [
      "v1,",
      "v1,!!!",
      "v2,AAAA",
      "nonsense",
      hmac(key, "evt_1", now, body).replace("v1,", "v1a,"),
    ]) {
      expect((await refusal(verifyWebhook(secret, delivery(garbage), body))).reason).toBe(
        "invalid_signature",
      );
    }
  });

  it("refuses a timestamp further from the clock than the tolerance (default 5 minutes)", async () => {
    // The verifier's clock pinned to the signing time: a slow run must not move the boundary.
    const clock = { now: now * 1000 };
    const stale = now - 301;
    const headers = delivery(hmac(key, "evt_1", stale, body), stale);
    const e = await refusal(verifyWebhook(secret, headers, body, clock));
    expect(e.reason).toBe("timestamp_out_of_tolerance");
    await expect(
      verifyWebhook(secret, headers, body, { ...clock, toleranceSeconds: 600 }),
    ).resolves.toBeTruthy();
    const future = now + 301;
    const ahead = delivery(hmac(key, "evt_1", future, body), future);
    expect((await refusal(verifyWebhook(secret, ahead, body, clock))).reason).toBe(
      "timestamp_out_of_tolerance",
    );
    // Milliseconds are not Unix seconds.
    const ms = delivery(hmac(key, "evt_1", now * 1000, body), now * 1000);
    expect((await refusal(verifyWebhook(secret, ms, body, clock))).reason).toBe("invalid_timestamp");
  });

  it("refuses missing headers, a timestamp that is not seconds, a bad secret and a body that is not JSON", async () => {
    const signed = delivery(hmac(key, "evt_1", now, body));
    const { "webhook-signature": _, ...unsigned } = signed;
    expect((await refusal(verifyWebhook(secret, unsigned, body))).reason).toBe("missing_header");
    expect(
      (await refusal(verifyWebhook(secret, { ...signed, "webhook-timestamp": "soon" }, body))).reason,
    ).toBe("invalid_timestamp");
    for (const bad of ["sk_live_123", "whsec_", "whsec_@@@", "whpk_AAAA", "whsk_AAAA"]) {
      expect((await refusal(verifyWebhook(bad, signed, body))).reason).toBe("invalid_secret");
    }
    expect((await refusal(verifyWebhook([], signed, body))).reason).toBe("invalid_secret");
    const text = "not json";
    expect((await refusal(verifyWebhook(secret, delivery(hmac(key, "evt_1", now, text)), text))).reason).toBe(
      "invalid_payload",
    );
  });

  it("verifies v1a Ed25519 signatures with the endpoint's whpk_ public key", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
    const signature = `v1a,${sign(null, Buffer.from(`evt_1.${now}.${body}`), privateKey).toString("base64")}`;
    const event = await verifyWebhook(`whpk_${raw.toString("base64")}`, delivery(signature), body);
    expect(event.type).toBe("payment.captured");
    expect((await refusal(verifyWebhook(secret, delivery(signature), body))).reason).toBe(
      "invalid_signature",
    );
  });
});

describe("verifyWebhook on a gateway's deliveries to a receiver on this machine", () => {
  // The browser layer's gateway: it delivers to loopback receivers (test/browser/support/gateway.ts).
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let portico: Portico;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    portico = new Portico({ baseUrl: inject("gatewayUrl"), ...DEMO });
  });
  afterAll(async () => {
    await receiver?.close();
  });

  /** A path of its own on the receiver, and what arrived there. */
  function hook() {
    const id = randomUUID();
    return {
      url: `${receiver.url}/hook/${id}`,
      async arrived(count: number) {
        return vi.waitFor(
          async () => {
            const res = await fetch(`${receiver.url}/control/${id}`);
            const { received } = (await res.json()) as {
              received: { headers: Record<string, string>; body: string }[];
            };
            if (received.length < count) throw new Error(`${received.length} of ${count} deliveries so far`);
            return received;
          },
          { timeout: 30_000, interval: 250 },
        );
      },
    };
  }

  it("a payment's payment.captured reaches both endpoints and verifies with each one's key", async () => {
    const hmacHook = hook();
    const edHook = hook();
    const hmac = await portico.request("POST", "/v1/webhook_endpoints", {
      body: { params: { url: hmacHook.url, events: ["payment.captured"] } },
    });
    const ed = await portico.request("POST", "/v1/webhook_endpoints", {
      body: { params: { url: edHook.url, events: ["payment.captured"], signing: "ed25519" } },
    });
    expect(hmac.secret).toMatch(/^whsec_/);
    expect(ed.signing.public_key).toMatch(/^whpk_/);

    const payment = await portico.request("POST", "/v1/payments", {
      body: { params: { amount: 150_000, currency: "UZS", payment_method_token: "pm_card_visa" } },
    });
    expect(payment.status).toBe("captured");

    const [delivered] = await hmacHook.arrived(1);
    const event = await verifyWebhook(hmac.secret ?? "", delivered?.headers ?? {}, delivered?.body ?? "");
    expect(event).toMatchObject({
      id: delivered?.headers["webhook-id"],
      type: "payment.captured",
      livemode: false,
      data: { object: { id: payment.id, object: "payment", status: "captured" } },
    });

    const [signed] = await edHook.arrived(1);
    const edEvent = await verifyWebhook(
      ed.signing.public_key ?? "",
      signed?.headers ?? {},
      signed?.body ?? "",
    );
    expect(edEvent).toMatchObject({
      id: event.id,
      type: "payment.captured",
      data: { object: { id: payment.id } },
    });

    // Each delivery is refused with the other's key, with a changed body, and an hour later.
    const refused = [
      verifyWebhook(hmac.secret ?? "", signed?.headers ?? {}, signed?.body ?? ""),
      verifyWebhook(
        hmac.secret ?? "",
        delivered?.headers ?? {},
        (delivered?.body ?? "").replace("captured", "canceled"),
      ),
    ];
    for (const r of refused) expect((await refusal(r)).reason).toBe("invalid_signature");
    const later = (Number(delivered?.headers["webhook-timestamp"]) + 3600) * 1000;
    const stale = await refusal(
      verifyWebhook(hmac.secret ?? "", delivered?.headers ?? {}, delivered?.body ?? "", { now: later }),
    );
    expect(stale.reason).toBe("timestamp_out_of_tolerance");
  });

  it("the endpoint's test delivery (ping) verifies too", async () => {
    const pingHook = hook();
    const endpoint = await portico.request("POST", "/v1/webhook_endpoints", {
      body: { params: { url: pingHook.url, events: ["payout.paid"] } },
    });
    await portico.request("POST", "/v1/webhook_endpoints/{id}/test", {
      params: { path: { id: endpoint.id } },
    });
    const [delivered] = await pingHook.arrived(1);
    const event = await verifyWebhook(endpoint.secret ?? "", delivered?.headers ?? {}, delivered?.body ?? "");
    expect(event.type).toBe("ping");
  });
});
