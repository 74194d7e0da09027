import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyEd25519 } from "../../../src/modules/webhooks/signing";
import { call, tokenFor } from "../../support/http";
import { provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";
import { createEndpoint, receiver, until } from "../../support/webhooks";

const visa = { amount: 25_000, currency: "UZS", payment_method_token: "pm_card_visa" };

async function setup() {
  const p = await provisionPartner();
  const token = await tokenFor(p);
  const pay = async (params: Record<string, unknown> = visa) =>
    (await call("POST", "/v1/payments", { token, json: { params } })).body.result;
  const eventOf = async (type: string, objectId: string) =>
    until(async () => {
      const list = await call("GET", `/v1/events?type=${type}&limit=100`, { token });
      return list.body.result.data.find(
        (e: { data: { object: { id: string } } }) => e.data.object.id === objectId,
      );
    });
  const attempts = async (eventId: string) =>
    (await call("GET", `/v1/events/${eventId}/attempts`, { token })).body.result.data;
  return { p, token, pay, eventOf, attempts };
}

/** Standard Webhooks headers as the receiver saw them. */
const swHeaders = (h: Record<string, string>) => ({
  "webhook-id": h["webhook-id"] ?? "",
  "webhook-timestamp": h["webhook-timestamp"] ?? "",
  "webhook-signature": h["webhook-signature"] ?? "",
});

const ownedEndpoint = async (_o: TestPartner, token: string) =>
  (await createEndpoint(token, { url: receiver().url })).id;
const ownedEvent = async (_o: TestPartner, token: string) => {
  const endpoint = await createEndpoint(token, { url: receiver().url });
  return (await call("POST", `/v1/webhook_endpoints/${endpoint.id}/test`, { token })).body.result.id;
};

for (const route of [
  {
    method: "POST",
    path: "/v1/webhook_endpoints",
    scope: "webhooks:write",
    json: { params: { url: "https://hooks.example.com/x" } },
  },
  { method: "GET", path: "/v1/webhook_endpoints", scope: "webhooks:read" },
  { method: "GET", path: "/v1/webhook_endpoints/{id}", scope: "webhooks:read", createOwned: ownedEndpoint },
  {
    method: "PATCH",
    path: "/v1/webhook_endpoints/{id}",
    scope: "webhooks:write",
    json: { params: { description: "x" } },
    createOwned: ownedEndpoint,
  },
  {
    method: "DELETE",
    path: "/v1/webhook_endpoints/{id}",
    scope: "webhooks:write",
    createOwned: ownedEndpoint,
  },
  {
    method: "POST",
    path: "/v1/webhook_endpoints/{id}/rotate_secret",
    scope: "webhooks:write",
    createOwned: ownedEndpoint,
  },
  {
    method: "POST",
    path: "/v1/webhook_endpoints/{id}/test",
    scope: "webhooks:write",
    createOwned: ownedEndpoint,
  },
  {
    method: "POST",
    path: "/v1/webhook_endpoints/{id}/recover",
    scope: "webhooks:write",
    json: { params: { since: "2026-01-01T00:00:00Z" } },
    createOwned: ownedEndpoint,
  },
  { method: "GET", path: "/v1/events", scope: "events:read" },
  { method: "GET", path: "/v1/events/{id}", scope: "events:read", createOwned: ownedEvent },
  { method: "GET", path: "/v1/events/{id}/attempts", scope: "events:read", createOwned: ownedEvent },
  { method: "POST", path: "/v1/events/{id}/resend", scope: "webhooks:write", createOwned: ownedEvent },
]) {
  securitySuite({ ...route, product: null });
}

describe("webhook endpoints", () => {
  it("returns the secret once; a replay and every read show it never again", async () => {
    const { token } = await setup();
    const key = crypto.randomUUID();
    const params = {
      url: "https://hooks.example.com/portico",
      events: ["payment.captured"],
      description: "prod",
    };
    const first = await call("POST", "/v1/webhook_endpoints", {
      token,
      json: { params },
      headers: { "Idempotency-Key": key },
    });
    expect(first.res.status).toBe(200);
    expect(first.body.result).toMatchObject({
      object: "webhook_endpoint",
      url: "https://hooks.example.com/portico",
      events: ["payment.captured"],
      status: "enabled",
      signing: { algorithm: "hmac_sha256", public_key: null },
    });
    expect(first.body.result.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const replay = await call("POST", "/v1/webhook_endpoints", {
      token,
      json: { params },
      headers: { "Idempotency-Key": key },
    });
    expect(replay.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.body.result).toEqual({ ...first.body.result, secret: null });
    const got = await call("GET", `/v1/webhook_endpoints/${first.body.result.id}`, { token });
    expect(JSON.stringify(got.body)).not.toContain(first.body.result.secret);
    const stored = await env.DB.prepare("SELECT * FROM webhook_endpoints WHERE id = ?")
      .bind(first.body.result.id)
      .first();
    expect(JSON.stringify(stored)).not.toContain(first.body.result.secret.slice(6));
  });

  it("refuses hostile URLs and bad input with the envelope, and saves nothing", async () => {
    const { p, token } = await setup();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ url: "http://10.0.0.1/hook" }, 4, "params.url"],
      [{ url: "http://169.254.169.254/latest/meta-data" }, 4, "params.url"],
      [{ url: "https://user:pw@hooks.example.com/" }, 4, "params.url"],
      [{ url: "http://[::ffff:127.0.0.1]/" }, 4, "params.url"],
      [{ url: "http://metadata.google.internal/" }, 4, "params.url"],
      [{ url: "not a url" }, 4, "params.url"],
      [{ url: 42 }, 3, "params.url"],
      [{}, 4, "params.url"],
      [{ url: "https://hooks.example.com/", events: ["payment.nope"] }, 4, "params.events.0"],
      [{ url: "https://hooks.example.com/", events: "payment.captured" }, 3, "params.events"],
      [{ url: "https://hooks.example.com/", signing: "rsa" }, 4, "params.signing"],
    ];
    for (const [params, code, field] of cases) {
      const r = await call("POST", "/v1/webhook_endpoints", { token, json: { params } });
      expect(r.res.status, JSON.stringify(params)).toBe(400);
      expect(r.body.error, JSON.stringify(params)).toMatchObject({ code, field });
      expect(r.body.error.message).not.toContain("pw@");
    }
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM webhook_endpoints WHERE partner_id = ?")
      .bind(p.id)
      .first();
    expect(rows?.n).toBe(0);
  });

  it("updates, disables, lists and deletes; another partner sees none of it", async () => {
    const { token } = await setup();
    const a = await createEndpoint(token, { url: "https://a.example.com/h" });
    const b = await createEndpoint(token, { url: "https://b.example.com/h" });
    const patched = await call("PATCH", `/v1/webhook_endpoints/${a.id}`, {
      token,
      json: { params: { events: ["payout.paid"], description: "payouts", status: "disabled" } },
    });
    expect(patched.body.result).toMatchObject({
      events: ["payout.paid"],
      description: "payouts",
      status: "disabled",
    });
    const bad = await call("PATCH", `/v1/webhook_endpoints/${a.id}`, {
      token,
      json: { params: { url: "http://127.0.0.1.nip.io.localhost/" } },
    });
    expect(bad.body.error.code).toBe(4);
    const list = await call("GET", "/v1/webhook_endpoints?limit=1", { token });
    expect(list.body.result.data.map((e: { id: string }) => e.id)).toEqual([b.id]);
    expect(list.body.result.has_more).toBe(true);
    const deleted = await call("DELETE", `/v1/webhook_endpoints/${b.id}`, { token });
    expect(deleted.body.result).toEqual({ id: b.id, object: "webhook_endpoint", deleted: true });
    expect((await call("GET", `/v1/webhook_endpoints/${b.id}`, { token })).body.error.code).toBe(30);

    const other = await setup();
    expect((await call("GET", "/v1/webhook_endpoints", { token: other.token })).body.result.data).toEqual([]);
    expect((await call("GET", "/v1/events", { token: other.token })).body.result.data).toEqual([]);
  });
});

describe("delivery, end to end", () => {
  it("a payment's captured event arrives signed, verifies with standardwebhooks, and is logged", async () => {
    const s = await setup();
    const hook = receiver();
    const endpoint = await createEndpoint(s.token, { url: hook.url, events: ["payment.captured"] });
    const payment = await s.pay();

    const [got] = await until(async () => {
      const list = await hook.received();
      return list.length > 0 ? list : undefined;
    });
    if (!got) throw new Error("nothing received");
    const payload = new Webhook(endpoint.secret).verify(got.body, swHeaders(got.headers)) as {
      id: string;
      type: string;
      data: { object: { id: string; status: string } };
    };
    expect(payload).toMatchObject({ type: "payment.captured", livemode: false });
    expect(payload.data.object).toMatchObject({ id: payment.id, status: "captured" });
    expect(got.headers["webhook-id"]).toBe(payload.id);
    expect(got.headers["content-type"]).toBe("application/json");
    expect(() => new Webhook(endpoint.secret).verify(`${got.body} `, swHeaders(got.headers))).toThrow();

    const event = await until(async () => {
      const e = (await call("GET", `/v1/events/${payload.id}`, { token: s.token })).body.result;
      return e?.delivery_status === "succeeded" ? e : undefined;
    });
    expect(event).toMatchObject({ id: payload.id, type: "payment.captured", data: payload.data });
    const attempts = await s.attempts(payload.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      endpoint_id: endpoint.id,
      status_code: 200,
      outcome: "succeeded",
      error: null,
    });
    // Only what the endpoint subscribed to: the payment's other events never came.
    expect((await hook.received()).length).toBe(1);
  });

  it("a receiver failing twice gets the event on the third attempt; every attempt is in the log", async () => {
    const s = await setup();
    const hook = receiver();
    await hook.script({ fail: 2, status: 500 });
    const endpoint = await createEndpoint(s.token, { url: hook.url, events: ["payment.captured"] });
    const payment = await s.pay();
    const received = await until(async () => {
      const list = await hook.received();
      return list.length >= 3 ? list : undefined;
    });
    expect(received.map((r) => r.answered)).toEqual([500, 500, 200]);
    const ids = new Set(received.map((r) => r.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    for (const r of received) new Webhook(endpoint.secret).verify(r.body, swHeaders(r.headers));

    const event = await s.eventOf("payment.captured", payment.id);
    const attempts = await until(async () => {
      const list = await s.attempts(event.id);
      return list.length === 3 ? list : undefined;
    });
    expect(attempts.map((a: { status_code: number; outcome: string }) => [a.status_code, a.outcome])).toEqual(
      [
        [500, "retry"],
        [500, "retry"],
        [200, "succeeded"],
      ],
    );
    expect(attempts[0].response_excerpt).toContain("scripted failure");
    expect(attempts[0].next_retry_at).not.toBeNull();
    const endpointNow = await call("GET", `/v1/webhook_endpoints/${endpoint.id}`, { token: s.token });
    expect(endpointNow.body.result.status).toBe("enabled");
  });

  it("a receiver whose answer never ends: delivered, only an excerpt read and kept", async () => {
    const s = await setup();
    const hook = receiver();
    // 2xx, then a body that goes on for ever: reading it whole would end in the timeout and a
    // retry; the delivery reads the excerpt's bytes and cancels the rest.
    await hook.script({ body: `"${"é".repeat(2048)}`, endless: true });
    await createEndpoint(s.token, { url: hook.url, events: ["payment.captured"] });
    const payment = await s.pay();
    const event = await s.eventOf("payment.captured", payment.id);
    const [attempt] = await until(async () => {
      const list = await s.attempts(event.id);
      return list.length === 1 ? list : undefined;
    });
    expect(attempt).toMatchObject({ status_code: 200, outcome: "succeeded" });
    expect(attempt.response_excerpt).toBe(`"${"é".repeat(255)}`);
  });

  it("rotating the secret mid-stream: both secrets verify during the overlap", async () => {
    const s = await setup();
    const hook = receiver();
    const endpoint = await createEndpoint(s.token, { url: hook.url, events: ["payment.captured"] });
    await s.pay();
    await until(async () => ((await hook.received()).length === 1 ? true : undefined));

    const rotated = await call("POST", `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, {
      token: s.token,
    });
    const next = rotated.body.result.secret as string;
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.body.result.signing.previous_expires_at) - Date.now()).toBeGreaterThan(
      23 * 3600_000,
    );

    await s.pay();
    const [before, after] = await until(async () => {
      const list = await hook.received();
      return list.length === 2 ? list : undefined;
    });
    if (!before || !after) throw new Error("missing deliveries");
    expect(before.headers["webhook-signature"]?.split(" ")).toHaveLength(1);
    expect(after.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    for (const secret of [next, endpoint.secret])
      new Webhook(secret).verify(after.body, swHeaders(after.headers));
    expect(() => new Webhook(next).verify(before.body, swHeaders(before.headers))).toThrow();
  });

  it("an Ed25519 endpoint signs with v1a; its public key from the API verifies", async () => {
    const s = await setup();
    const hook = receiver();
    const endpoint = await createEndpoint(s.token, { url: hook.url, signing: "ed25519" });
    expect(endpoint.secret).toMatch(/^whsk_/);
    const publicKey = (await call("GET", `/v1/webhook_endpoints/${endpoint.id}`, { token: s.token })).body
      .result.signing.public_key as string;
    expect(publicKey).toMatch(/^whpk_/);
    await call("POST", `/v1/webhook_endpoints/${endpoint.id}/test`, { token: s.token });
    const [got] = await until(async () => {
      const list = await hook.received();
      return list.length > 0 ? list : undefined;
    });
    if (!got) throw new Error("nothing received");
    const h = swHeaders(got.headers);
    expect(h["webhook-signature"]).toMatch(/^v1a,/);
    expect(
      await verifyEd25519(
        publicKey,
        h["webhook-id"],
        Number(h["webhook-timestamp"]),
        got.body,
        h["webhook-signature"],
      ),
    ).toBe(true);
    expect(
      await verifyEd25519(
        publicKey,
        h["webhook-id"],
        Number(h["webhook-timestamp"]),
        `${got.body}x`,
        h["webhook-signature"],
      ),
    ).toBe(false);
    expect(JSON.parse(got.body)).toMatchObject({
      type: "ping",
      data: { object: { endpoint_id: endpoint.id } },
    });
  });

  it("after the last attempt the delivery is dead-lettered; recover sends it again", async () => {
    const s = await setup();
    const hook = receiver();
    await hook.script({ fail: 4, status: 503 });
    const endpoint = await createEndpoint(s.token, { url: hook.url, events: ["payment.captured"] });
    const since = new Date(Date.now() - 1000).toISOString();
    const payment = await s.pay();
    const event = await s.eventOf("payment.captured", payment.id);
    const failed = await until(async () => {
      const e = (await call("GET", `/v1/events/${event.id}`, { token: s.token })).body.result;
      return e.delivery_status === "failed" ? e : undefined;
    });
    expect(failed.delivery_status).toBe("failed");
    // 1 + the schedule's 3 retries (WEBHOOK_RETRY_DELAYS in the test config), nothing more.
    expect((await s.attempts(event.id)).map((a: { outcome: string }) => a.outcome)).toEqual([
      "retry",
      "retry",
      "retry",
      "failed",
    ]);
    const byStatus = await call("GET", "/v1/events?delivery_status=failed", { token: s.token });
    expect(byStatus.body.result.data.map((e: { id: string }) => e.id)).toContain(event.id);

    const recovered = await call("POST", `/v1/webhook_endpoints/${endpoint.id}/recover`, {
      token: s.token,
      json: { params: { since } },
    });
    expect(recovered.body.result).toMatchObject({ object: "recovery", deliveries: 1 });
    await until(async () => {
      const e = (await call("GET", `/v1/events/${event.id}`, { token: s.token })).body.result;
      return e.delivery_status === "succeeded";
    });
    expect((await hook.received()).map((r) => r.answered)).toEqual([503, 503, 503, 503, 200]);
  }, 60_000);

  it("410 Gone disables the endpoint and announces endpoint.disabled; 3xx is a failure, never followed", async () => {
    const s = await setup();
    const gone = receiver();
    await gone.script({ after: 410 });
    const watcher = receiver();
    const endpoint = await createEndpoint(s.token, { url: gone.url, events: ["payment.captured"] });
    const watch = await createEndpoint(s.token, { url: watcher.url, events: ["endpoint.disabled"] });
    await s.pay();
    const disabled = await until(async () => {
      const e = (await call("GET", `/v1/webhook_endpoints/${endpoint.id}`, { token: s.token })).body.result;
      return e.status === "disabled" ? e : undefined;
    });
    expect(disabled.disabled_reason).toContain("410");
    const [note] = await until(async () => {
      const list = await watcher.received();
      return list.length > 0 ? list : undefined;
    });
    if (!note) throw new Error("no endpoint.disabled");
    const payload = new Webhook(watch.secret).verify(note.body, swHeaders(note.headers)) as {
      type: string;
      data: { object: { id: string } };
    };
    expect(payload).toMatchObject({ type: "endpoint.disabled", data: { object: { id: endpoint.id } } });
    expect(JSON.stringify(payload)).not.toContain("whsec_");
    expect((await gone.received()).length).toBe(1);

    const moved = receiver();
    await moved.script({ fail: 1, status: 301 });
    await createEndpoint(s.token, { url: moved.url, events: ["payment.captured"] });
    await s.pay();
    const answers = await until(async () => {
      const list = await moved.received();
      return list.length >= 2 ? list : undefined;
    });
    expect(answers.map((r) => r.answered)).toEqual([301, 200]);
  });

  it("honours Retry-After on 429", async () => {
    const s = await setup();
    const hook = receiver();
    await hook.script({ fail: 1, status: 429, retryAfter: "2" });
    await createEndpoint(s.token, { url: hook.url, events: ["payment.captured"] });
    const payment = await s.pay();
    const event = await s.eventOf("payment.captured", payment.id);
    const [first] = await until(async () => {
      const list = await s.attempts(event.id);
      return list.length === 2 ? list : undefined;
    });
    expect(first.status_code).toBe(429);
    // The recorded schedule, not the wall clock: the retry was set 2 s out, not the default 1 s.
    expect(Date.parse(first.next_retry_at) - Date.parse(first.attempted_at)).toBeGreaterThanOrEqual(2000);
  });

  it("resend delivers an event again under the same webhook-id", async () => {
    const s = await setup();
    const hook = receiver();
    await createEndpoint(s.token, { url: hook.url, events: ["payment.captured"] });
    const payment = await s.pay();
    const event = await s.eventOf("payment.captured", payment.id);
    await until(async () => ((await hook.received()).length === 1 ? true : undefined));
    const resent = await call("POST", `/v1/events/${event.id}/resend`, { token: s.token });
    expect(resent.body.result).toEqual({ object: "resend", event_id: event.id, deliveries: 1 });
    const both = await until(async () => {
      const list = await hook.received();
      return list.length === 2 ? list : undefined;
    });
    expect(both.map((r) => r.headers["webhook-id"])).toEqual([event.id, event.id]);
    const unknown = await call("POST", `/v1/events/${event.id}/resend`, {
      token: s.token,
      json: { params: { endpoint_id: crypto.randomUUID() } },
    });
    expect(unknown.body.error.code).toBe(30);
  });
});

describe("GET /v1/events", () => {
  it("filters by type and created range, newest first, with cursor pagination", async () => {
    const s = await setup();
    const from = new Date(Date.now() - 1000).toISOString();
    const payment = await s.pay({ ...visa, capture: false });
    await call("POST", `/v1/payments/${payment.id}/capture`, { token: s.token });
    const authorized = await s.eventOf("payment.authorized", payment.id);
    const captured = await s.eventOf("payment.captured", payment.id);
    const all = await call("GET", `/v1/events?created[gte]=${from}`, { token: s.token });
    expect(all.body.result.data.map((e: { id: string }) => e.id)).toEqual([captured.id, authorized.id]);
    const page = await call("GET", `/v1/events?limit=1&starting_after=${captured.id}`, { token: s.token });
    expect(page.body.result.data.map((e: { id: string }) => e.id)).toEqual([authorized.id]);
    const none = await call("GET", `/v1/events?created[lte]=${from}`, { token: s.token });
    expect(none.body.result.data).toEqual([]);
    expect((await call("GET", "/v1/events?type=payment.nope", { token: s.token })).body.error.code).toBe(4);
    expect((await call("GET", "/v1/events?created[gte]=yesterday", { token: s.token })).body.error.code).toBe(
      4,
    );
    expect(authorized.delivery_status).toBe("none");
  });
});
