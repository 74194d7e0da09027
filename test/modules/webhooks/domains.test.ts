import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { profileCache } from "../../../src/modules/partners/profile";
import { setAllowLists } from "../../../src/modules/partners/storage";
import { MAX_WEBHOOK_DOMAINS, parseWebhookDomains } from "../../../src/modules/partners/webhook-domains";
import { type DeliveryDeps, deliver } from "../../../src/modules/webhooks/delivery";
import { ensureDeliveries } from "../../../src/modules/webhooks/storage";
import { type Env, loadConfig } from "../../../src/platform/env";
import { storeEvent } from "../../../src/platform/events/events";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { basic, call, fetchWithEnv, tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";

// The contract's webhook_domains: production endpoints only on the hosts it lists (when it lists any).

const PRODUCTION: Partial<Env> = { ENVIRONMENT: "production", WEBHOOK_ALLOW_LOOPBACK: "false" };
const DOMAINS = ["hooks.acme.example", "*.acme.net"];
const app = createApp();

/** A request to the gateway configured as production. */
function production(method: string, path: string, token: string, json?: unknown) {
  return fetchWithEnv(app, PRODUCTION, path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(method === "POST" ? { "Idempotency-Key": crypto.randomUUID() } : {}),
      ...(json === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
}

async function productionPartner(webhookDomains: string[]) {
  const p = await provisionPartner({ environment: "production", webhookDomains });
  const t = await fetchWithEnv(app, PRODUCTION, "/oauth2/token", {
    method: "POST",
    headers: {
      Authorization: basic(p.consumerKey, p.consumerSecret),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  if (t.res.status !== 200) throw new Error(`production token: ${JSON.stringify(t.body)}`);
  return { p, token: t.body.access_token as string };
}

const endpointUrls = async (partnerId: string) =>
  (
    await env.DB.prepare("SELECT url FROM webhook_endpoints WHERE partner_id = ? ORDER BY id")
      .bind(partnerId)
      .all<{ url: string }>()
  ).results.map((r) => r.url);

function expectUrlRefused(r: { res: Response; body: { error: Record<string, unknown>; result: unknown } }) {
  expect(r.res.status).toBe(400);
  expect(r.body.result).toBeNull();
  expect(r.body.error).toMatchObject({ code: 4, reason: "validation", field: "params.url" });
  expect(r.body.error.message).toBe(
    "Validation Error. Field: params.url, message: URL not allowed: the host is not one of the contract's webhook domains (webhook_domains in GET /v1/partner)",
  );
}

describe("the contract's webhook domains", () => {
  it("are checked and canonical when the contract is written", () => {
    expect(parseWebhookDomains(["Hooks.Acme.example", "*.acme.net"])).toEqual(DOMAINS);
    expect(() => parseWebhookDomains(["hooks.acme.example", "HOOKS.acme.example"])).toThrow(
      "webhook domain listed twice: hooks.acme.example",
    );
    expect(() => parseWebhookDomains(["*.com"])).toThrow("at least two labels");
    expect(() => parseWebhookDomains(["https://hooks.acme.example"])).toThrow("not a host name");
    const many = Array.from({ length: MAX_WEBHOOK_DOMAINS + 1 }, (_, i) => `h${i}.acme.example`);
    expect(() => parseWebhookDomains(many)).toThrow(`at most ${MAX_WEBHOOK_DOMAINS}`);
  });

  it("in production, an endpoint may use a listed host, exactly or below a wildcard", async () => {
    const { p, token } = await productionPartner(DOMAINS);
    for (const url of ["https://hooks.acme.example/in", "https://a.acme.net/h", "https://b.c.acme.net./h"]) {
      const r = await production("POST", "/v1/webhook_endpoints", token, { params: { url } });
      expect(r.res.status, url).toBe(200);
    }
    expect(await endpointUrls(p.id)).toEqual([
      "https://hooks.acme.example/in",
      "https://a.acme.net/h",
      "https://b.c.acme.net./h",
    ]);
  });

  it("in production, a host the list does not name is refused (400, code 4, params.url) and nothing is stored", async () => {
    const { p, token } = await productionPartner(DOMAINS);
    for (const url of [
      "https://acme.net/h",
      "https://evil.example/h",
      "https://hooks.acme.example.evil.example/h",
      "https://x.hooks.acme.example/h",
      "https://acme.net.evil.example/h",
    ]) {
      expectUrlRefused(await production("POST", "/v1/webhook_endpoints", token, { params: { url } }));
    }
    expect(await endpointUrls(p.id)).toEqual([]);
    // The URL rules still come first: a private host is refused for being private.
    const priv = await production("POST", "/v1/webhook_endpoints", token, {
      params: { url: "https://10.0.0.1/h" },
    });
    expect(priv.body.error.message).toContain("the host is a private address");
  });

  it("in production, changing an endpoint to an unlisted host is refused and the URL stays", async () => {
    const { p, token } = await productionPartner(DOMAINS);
    const made = await production("POST", "/v1/webhook_endpoints", token, {
      params: { url: "https://hooks.acme.example/in" },
    });
    const id = made.body.result.id as string;
    const refused = await production("PATCH", `/v1/webhook_endpoints/${id}`, token, {
      params: { url: "https://evil.example/in", description: "moved" },
    });
    expectUrlRefused(refused);
    const stored = await env.DB.prepare("SELECT url, description FROM webhook_endpoints WHERE id = ?")
      .bind(id)
      .first();
    expect(stored).toEqual({ url: "https://hooks.acme.example/in", description: null });
    const moved = await production("PATCH", `/v1/webhook_endpoints/${id}`, token, {
      params: { url: "https://z.acme.net/in" },
    });
    expect(moved.res.status).toBe(200);
    expect(await endpointUrls(p.id)).toEqual(["https://z.acme.net/in"]);
  });

  it("in production, an empty list allows any public host", async () => {
    const { token } = await productionPartner([]);
    const r = await production("POST", "/v1/webhook_endpoints", token, {
      params: { url: "https://anything.example/h" },
    });
    expect(r.res.status).toBe(200);
  });

  it("in the sandbox, the list is not applied", async () => {
    const p = await provisionPartner({ webhookDomains: DOMAINS });
    const token = await tokenFor(p);
    const r = await call("POST", "/v1/webhook_endpoints", {
      token,
      json: { params: { url: "https://evil.example/h" } },
    });
    expect(r.res.status).toBe(200);
    expect(await endpointUrls(p.id)).toEqual(["https://evil.example/h"]);
  });

  it("in production, a delivery to an endpoint whose host left the list is refused like any refused URL", async () => {
    const { p, token } = await productionPartner(DOMAINS);
    const made = await production("POST", "/v1/webhook_endpoints", token, {
      params: { url: "https://hooks.acme.example/in" },
    });
    const endpointId = made.body.result.id as string;
    await setAllowLists(db, p.id, { webhookDomains: parseWebhookDomains(["other.example"]) });
    profileCache.invalidate(p.id);

    const eventId = uuidv7();
    await storeEvent(db, {
      id: eventId,
      type: "payment.captured",
      partnerId: p.id,
      livemode: true,
      createdAt: new Date().toISOString(),
      object: { id: "pay_1", object: "payment" },
    });
    const [delivery] = await ensureDeliveries(db, [{ id: uuidv7(), eventId, endpointId, partnerId: p.id }]);
    if (!delivery) throw new Error("no delivery");
    const deps: DeliveryDeps = {
      db,
      config: loadConfig({ ...env, ...PRODUCTION } as Env),
      deliveries: env.WEBHOOKS_QUEUE,
      events: env.EVENTS_QUEUE,
      deadLetters: env.DEAD_LETTERS,
    };
    const decision = await deliver(deps, delivery.id, 1);
    expect(decision.kind).toBe("give_up");
    const attempt = await env.DB.prepare(
      "SELECT status_code, error, outcome FROM webhook_attempts WHERE delivery_id = ?",
    )
      .bind(delivery.id)
      .first();
    expect(attempt).toEqual({
      status_code: null,
      error:
        "url refused: the host is not one of the contract's webhook domains (webhook_domains in GET /v1/partner)",
      outcome: "failed",
    });
  });
});
