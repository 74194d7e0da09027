// The README's demo flow through the SDK, against the real gateway the browser layer starts
// (test/browser/global-setup.ts) with its demo partner: every call typed from the generated document.
import { beforeAll, describe, expect, inject, it, vi } from "vitest";
import {
  ConflictError,
  NotFoundError,
  Portico,
  type PorticoError,
  ValidationError,
} from "../../sdk/typescript/src/index";
import { DEMO } from "../browser/support/partner";

const origin = inject("gatewayUrl");
/** Every request the SDK sent, as it left: method and URL. */
const sent: { method: string; url: URL }[] = [];
let portico: Portico;

beforeAll(() => {
  portico = new Portico({
    baseUrl: origin,
    ...DEMO,
    fetch: (request) => {
      sent.push({ method: request.method, url: new URL(request.url) });
      return fetch(request);
    },
  });
});

const card = (token: string, extra: { capture?: boolean } = {}) => ({
  params: { amount: 150_000, currency: "UZS" as const, payment_method_token: token, ...extra },
});

async function rejection(promise: Promise<unknown>): Promise<PorticoError> {
  try {
    await promise;
  } catch (e) {
    return e as PorticoError;
  }
  throw new Error("the call succeeded");
}

/** The ledger's entries for one object, walked with the pagination iterator. */
async function entriesOf(reference: string) {
  const entries = [];
  for await (const entry of portico.paginate("/v1/ledger/entries", { query: { reference, limit: 1 } })) {
    entries.push(entry);
  }
  return entries;
}

describe("the demo flow through @portico/sdk", () => {
  it("a token, then who am I", async () => {
    const token = await portico.token();
    expect(token.split(".")).toHaveLength(3);
    const partner = await portico.request("GET", "/v1/partner");
    expect(partner).toMatchObject({ environment: "sandbox", tier: "sandbox" });
    expect(partner.token_scopes).toContain("payments:write");
    // One token for both: cached, not fetched per call.
    expect(sent.filter((s) => s.url.pathname === "/oauth2/token")).toHaveLength(1);
  });

  it("a second consumer secret: 201 with the secret once, the replay without it, then revoked", async () => {
    const key = crypto.randomUUID();
    const body = { params: { description: "sdk test" } };
    const created = await portico.send("POST", "/v1/partner/credentials", { body, idempotencyKey: key });
    expect(created).toMatchObject({
      status: 201,
      replayed: false,
      result: { status: "active", description: "sdk test" },
    });
    expect(created.result.consumer_secret).toMatch(/^cs_test_/);
    const replay = await portico.send("POST", "/v1/partner/credentials", { body, idempotencyKey: key });
    expect(replay).toMatchObject({
      status: 201,
      replayed: true,
      result: { id: created.result.id, consumer_secret: null },
    });
    const revoked = await portico.request("DELETE", "/v1/partner/credentials/{id}", {
      params: { path: { id: created.result.id } },
    });
    expect(revoked).toMatchObject({ id: created.result.id, status: "revoked" });
    const listed = await portico.request("GET", "/v1/partner/credentials");
    expect(listed.data.find((c) => c.id === created.result.id)?.status).toBe("revoked");
  });

  it("3-D Secure, authorized only: confirm, capture part, refund part, then pay out and settle", async () => {
    const created = await portico.request("POST", "/v1/payments", {
      body: card("pm_card_3ds", { capture: false }),
    });
    expect(created).toMatchObject({ status: "requires_action", amount: 150_000, capture: false });
    expect(created.next_action).toMatchObject({ type: "redirect" });
    const path = { path: { id: created.id } };

    const confirmed = await portico.request("POST", "/v1/payments/{id}/confirm", {
      params: path,
      body: { params: { authentication_result: "success" } },
    });
    expect(confirmed).toMatchObject({ id: created.id, status: "authorized", amount_capturable: 150_000 });

    const captured = await portico.request("POST", "/v1/payments/{id}/capture", {
      params: path,
      body: { params: { amount: 100_000 } },
    });
    expect(captured).toMatchObject({ status: "captured", amount_captured: 100_000, amount_capturable: 0 });

    // Capturing again: the payment's state forbids it, thrown as a ConflictError with its code.
    const again = await rejection(
      portico.request("POST", "/v1/payments/{id}/capture", { params: path, body: { params: { amount: 1 } } }),
    );
    expect(again).toBeInstanceOf(ConflictError);
    expect(again).toMatchObject({ status: 409, code: 60, reason: "invalid_state_transition" });

    const refund = await portico.request("POST", "/v1/payments/{id}/refunds", {
      params: path,
      body: { params: { amount: 40_000, reason: "requested_by_customer" } },
    });
    expect(refund).toMatchObject({ payment_id: created.id, amount: 40_000, status: "succeeded" });
    expect(
      await portico.request("GET", "/v1/refunds/{id}", { params: { path: { id: refund.id } } }),
    ).toMatchObject({
      id: refund.id,
      status: "succeeded",
    });

    // The postings leave the payment's outbox a moment after its answer: read them before paying out.
    const entries = await vi.waitFor(
      async () => {
        const found = await entriesOf(created.id);
        if (found.length < 1) throw new Error("no capture entry yet");
        return found;
      },
      { timeout: 15_000, interval: 250 },
    );
    expect(entries[0]).toMatchObject({
      kind: "capture",
      amount: 100_000,
      postings: expect.arrayContaining([
        { account: "partner_available", direction: "credit", amount: 98_500 },
      ]),
    });
    await vi.waitFor(
      async () => {
        if ((await entriesOf(refund.id)).length < 1) throw new Error("no refund entry yet");
      },
      { timeout: 15_000, interval: 250 },
    );
    const balance = await portico.request("GET", "/v1/balance");
    const available = balance.available.find((b) => b.currency === "UZS")?.amount ?? 0;
    expect(available).toBeGreaterThanOrEqual(58_500);

    const payout = await portico.request("POST", "/v1/payouts", {
      body: { params: { amount: 50_000, currency: "UZS", destination_token: "dest_tok_ok" } },
    });
    expect(payout).toMatchObject({ amount: 50_000, status: "queued" });
    const paid = await portico.request("POST", "/v1/sandbox/payouts/{id}/simulate", {
      params: { path: { id: payout.id } },
      body: { params: { outcome: "paid" } },
    });
    expect(paid).toMatchObject({ id: payout.id, status: "paid" });
    expect(
      await portico.request("GET", "/v1/payouts/{id}", { params: { path: { id: payout.id } } }),
    ).toMatchObject({ id: payout.id, status: "paid" });
  });

  it("the same call sent again with the same Idempotency-Key answers the same payment, replayed", async () => {
    const key = crypto.randomUUID();
    const first = await portico.send("POST", "/v1/payments", {
      body: card("pm_card_visa"),
      idempotencyKey: key,
    });
    const second = await portico.send("POST", "/v1/payments", {
      body: card("pm_card_visa"),
      idempotencyKey: key,
    });
    expect(first).toMatchObject({ status: 200, replayed: false, idempotencyKey: key });
    expect(second).toMatchObject({ status: 200, replayed: true, idempotencyKey: key, id: first.id });
    expect(second.result).toEqual(first.result);
    expect(second.requestId).not.toBe(first.requestId);
    // Without a key of the caller's, each call is a new payment.
    const third = await portico.request("POST", "/v1/payments", { body: card("pm_card_visa") });
    expect(third.id).not.toBe(first.result.id);
  });

  it("a validation error is thrown as a ValidationError with its code and field; the key stays free", async () => {
    const key = crypto.randomUUID();
    const e = await rejection(
      portico.request("POST", "/v1/payments", {
        body: { params: { amount: -5, currency: "UZS", payment_method_token: "pm_card_visa" } },
        idempotencyKey: key,
      }),
    );
    expect(e).toBeInstanceOf(ValidationError);
    expect(e).toMatchObject({
      kind: "validation",
      status: 400,
      code: 4,
      reason: "validation",
      field: "params.amount",
    });
    expect(e.requestId).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    expect(e.details).toMatchObject({ docs: "/docs#error-4" });
    // Refused before it executed, so nothing was stored: the fixed request goes with the same key.
    const fixed = await portico.send("POST", "/v1/payments", {
      body: card("pm_card_visa"),
      idempotencyKey: key,
    });
    expect(fixed).toMatchObject({ replayed: false, result: { status: "captured" } });

    const missing = await rejection(
      portico.request("GET", "/v1/payments/{id}", { params: { path: { id: crypto.randomUUID() } } }),
    );
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: 404, code: 30 });
  });

  it("lists page after page with the pagination iterator, following starting_after", async () => {
    const created = [];
    for (let i = 0; i < 5; i++)
      created.push(await portico.request("POST", "/v1/payments", { body: card("pm_card_visa") }));
    const newestFirst = created.map((p) => p.id).reverse();

    const from = sent.length;
    const seen: string[] = [];
    for await (const payment of portico.paginate("/v1/payments", {
      query: { status: "captured", limit: 2 },
    })) {
      seen.push(payment.id);
      expect(payment.status).toBe("captured");
      if (seen.length === 5) break;
    }
    expect(seen).toEqual(newestFirst);
    // Three pages of two: each after the last id of the one before; breaking out fetched no more.
    // (A 429 retried would send the same URL again: count distinct pages.)
    const pages = [...new Set(sent.slice(from).map((s) => s.url.search))].map((q) =>
      Object.fromEntries(new URLSearchParams(q)),
    );
    expect(pages).toEqual([
      { status: "captured", limit: "2" },
      { status: "captured", limit: "2", starting_after: newestFirst[1] },
      { status: "captured", limit: "2", starting_after: newestFirst[3] },
    ]);

    // To the end: every page but the last says has_more, and the walk stops at the one that does not.
    const before = sent.length;
    const pagesWalked = [];
    for await (const page of portico.pages("/v1/payments", { query: { status: "captured", limit: 2 } })) {
      pagesWalked.push(page);
    }
    const all = pagesWalked.flatMap((p) => p.data.map((d) => d.id));
    expect(pagesWalked.length).toBe(Math.ceil(all.length / 2));
    expect(new Set(sent.slice(before).map((s) => s.url.search)).size).toBe(pagesWalked.length);
    expect(pagesWalked.slice(0, -1).every((p) => p.has_more && p.data.length === 2)).toBe(true);
    expect(pagesWalked.at(-1)?.has_more).toBe(false);
    expect(new Set(all).size).toBe(all.length);
    // Newest first: UUID v7 ids sort by creation time.
    expect([...all].sort().reverse()).toEqual(all);
    expect(all.slice(0, 5)).toEqual(newestFirst);
  });
});
