import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CARD_APPLICANT } from "../support/applicants";
import { BASE, call, tokenFor } from "../support/http";
import { fund, provisionPartner } from "../support/partners";
import { createEndpoint, receiver, until } from "../support/webhooks";

/**
 * Over real HTTP a POST without a body still has a (zero-length) body stream, unlike a
 * `fetch` with no body at all. Each variant a client can send: no body, `Content-Length: 0`,
 * a form or JSON content type with nothing after it.
 */
const EMPTY = {
  "no body": {},
  "zero-length body stream and no Content-Type (as curl -X POST sends it)": { body: new Uint8Array(0) },
  "zero-length body (fetch stamps it text/plain)": { body: "" },
  "zero-length form body (as curl -d '' sends it)": {
    body: "",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  },
  "JSON content type, empty body": { body: "", headers: { "Content-Type": "application/json" } },
} as const;

async function bodyless(path: string, token: string, variant: keyof typeof EMPTY, method = "POST") {
  const { body, headers } = { body: undefined, headers: {}, ...EMPTY[variant] };
  const res = await SELF.fetch(`${BASE}${path}`, {
    method,
    body,
    headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": crypto.randomUUID(), ...headers },
  });
  return { res, body: (await res.json()) as { result: Record<string, unknown> | null; error: unknown } };
}

async function setup() {
  const p = await provisionPartner();
  return { p, token: await tokenFor(p) };
}

describe.each(Object.keys(EMPTY) as (keyof typeof EMPTY)[])("a POST with %s", (variant) => {
  it("rotates a webhook secret and sends a test event: the operations that take no body", async () => {
    const s = await setup();
    const hook = receiver();
    const endpoint = await createEndpoint(s.token, { url: hook.url });
    const rotated = await bodyless(`/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, s.token, variant);
    expect(rotated.res.status).toBe(200);
    expect(rotated.body.result?.secret).toMatch(/^whsec_/);
    expect(rotated.body.result?.secret).not.toBe(endpoint.secret);
    const tested = await bodyless(`/v1/webhook_endpoints/${endpoint.id}/test`, s.token, variant);
    expect(tested.res.status).toBe(200);
    expect(tested.body.error).toBeNull();
    // The test event really goes out, to the real receiver.
    await until(async () => (await hook.received()).length > 0);
  });

  it("cancels an authorized payment: it is canceled, not left authorized", async () => {
    const s = await setup();
    const created = await call("POST", "/v1/payments", {
      token: s.token,
      json: {
        params: { amount: 5000, currency: "UZS", payment_method_token: "pm_card_visa", capture: false },
      },
    });
    expect(created.body.result.status).toBe("authorized");
    const id = created.body.result.id as string;
    const canceled = await bodyless(`/v1/payments/${id}/cancel`, s.token, variant);
    expect(canceled.res.status).toBe(200);
    expect(canceled.body.result?.status).toBe("canceled");
    const read = await call("GET", `/v1/payments/${id}`, { token: s.token });
    expect(read.body.result.status).toBe("canceled");
  });

  it("settles a payout at once with the destination's own outcome, as the README's demo does", async () => {
    const s = await setup();
    await fund(s.p.id, 80_000);
    const created = await call("POST", "/v1/payouts", {
      token: s.token,
      json: { params: { amount: 50_000, currency: "UZS", destination_token: "dest_tok_ok" } },
    });
    expect(created.res.status).toBe(200);
    const simulated = await bodyless(
      `/v1/sandbox/payouts/${created.body.result.id}/simulate`,
      s.token,
      variant,
    );
    expect(simulated.res.status).toBe(200);
    expect(simulated.body.result?.status).toBe("paid");
    const balance = await call("GET", "/v1/balance", { token: s.token });
    expect(balance.body.result.available).toContainEqual(
      expect.objectContaining({ currency: "UZS", amount: 30_000 }),
    );
  });

  it("completes a physical card application in the sandbox", async () => {
    const s = await setup();
    const p = await provisionPartner({ dataAccess: ["name", "phone", "documents", "birth_date", "address"] });
    const token = await tokenFor(p);
    const ordered = await call("POST", "/v1/cards/applications", {
      token,
      json: {
        params: {
          type: "physical",
          currency: "UZS",
          applicant: { ...CARD_APPLICANT, address: "Tashkent, Amir Temur 1" },
        },
      },
    });
    expect(ordered.body.result.status).toBe("in_progress");
    const simulated = await bodyless(
      `/v1/sandbox/cards/applications/${ordered.body.result.id}/simulate`,
      token,
      variant,
    );
    expect(simulated.res.status).toBe(200);
    expect(simulated.body.result?.status).toBe("completed");
    expect(s.p.id).not.toBe(p.id);
  });

  it("is code 4 naming `params` where the operation needs parameters, and creates nothing", async () => {
    const s = await setup();
    const refused = await bodyless("/v1/payments", s.token, variant);
    expect(refused.res.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 4, reason: "validation", field: "params" });
    const list = await call("GET", "/v1/payments", { token: s.token });
    expect(list.body.result.data).toEqual([]);
  });

  it("a PATCH with nothing to change is code 4, never a 500", async () => {
    const s = await setup();
    const hook = receiver();
    const endpoint = await createEndpoint(s.token, { url: hook.url });
    const patched = await bodyless(`/v1/webhook_endpoints/${endpoint.id}`, s.token, variant, "PATCH");
    expect(patched.res.status).toBe(400);
    expect(patched.body.error).toMatchObject({ code: 4, field: "params" });
    const read = await call("GET", `/v1/webhook_endpoints/${endpoint.id}`, { token: s.token });
    expect(read.body.result.url).toBe(hook.url);
  });
});

describe("bodies that are not bodyless", () => {
  it("whitespace or a truncated object is malformed JSON, code 2", async () => {
    const s = await setup();
    for (const body of [" ", "{", '{"params":']) {
      const r = await call("POST", "/v1/payments", {
        token: s.token,
        body,
        headers: { "Content-Type": "application/json" },
      });
      expect(r.res.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 2, reason: "invalid_json" });
    }
  });

  it("a body of another media type is 415, code 33; empty, its type does not matter", async () => {
    const s = await setup();
    const typed = (body: string) =>
      call("POST", "/v1/payments", { token: s.token, body, headers: { "Content-Type": "text/plain" } });
    const refused = await typed("amount=5000");
    expect(refused.res.status).toBe(415);
    expect(refused.body.error).toMatchObject({ code: 33, reason: "unsupported_media_type" });
    const empty = await typed("");
    expect(empty.res.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 4, field: "params" });
  });

  it('no body, `{}` and `{"params":{}}` are one request under one Idempotency-Key', async () => {
    const s = await setup();
    const created = await call("POST", "/v1/payments", {
      token: s.token,
      json: {
        params: { amount: 5000, currency: "UZS", payment_method_token: "pm_card_visa", capture: false },
      },
    });
    const key = crypto.randomUUID();
    const cancel = (body: string) =>
      call("POST", `/v1/payments/${created.body.result.id}/cancel`, {
        token: s.token,
        body,
        headers: { "Content-Type": "application/json", "Idempotency-Key": key },
      });
    const first = await cancel("");
    expect(first.body.result.status).toBe("canceled");
    for (const body of ["{}", '{"params":{}}']) {
      const again = await cancel(body);
      expect(again.res.status).toBe(200);
      expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
      expect(again.body).toEqual(first.body);
    }
  });
});
