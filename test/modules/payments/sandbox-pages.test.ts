import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { SandboxPaymentProvider } from "../../../src/modules/payments/connector/sandbox";
import type { Env } from "../../../src/platform/env";
import { BASE, call, tokenFor } from "../../support/http";
import { drain, paymentObject } from "../../support/objects";
import { provisionPartner } from "../../support/partners";

// The customer's side of a redirect: the pages behind next_action.url, signed, HTML, sandbox only.

const SECRET_METADATA = { customer_email: "alice@example.com", note: "<script>alert(1)</script>" };

async function setup() {
  const p = await provisionPartner({ name: "Acme <Shop> & Co", feeBps: 100 });
  const token = await tokenFor(p);
  const create = async (payment_method_token: string, capture = true) => {
    const key = crypto.randomUUID();
    const r = await call("POST", "/v1/payments", {
      token,
      json: {
        params: {
          amount: 125_050,
          currency: "UZS",
          payment_method_token,
          capture,
          metadata: SECRET_METADATA,
        },
      },
      headers: { "Idempotency-Key": key },
    });
    expect(r.res.status).toBe(200);
    const stub = paymentObject(p.id, key);
    const url = new URL(r.body.result.next_action.url);
    return { payment: r.body.result, stub, path: `${url.pathname}${url.search}`, url };
  };
  const get = async (id: string) => (await call("GET", `/v1/payments/${id}`, { token })).body.result;
  const entries = async (id: string) =>
    (await call("GET", `/v1/ledger/entries?reference=${id}`, { token })).body.result.data.map(
      (e: { kind: string; amount: number }) => `${e.kind}:${e.amount}`,
    );
  return { p, token, create, get, entries };
}

/** The page's path with `/<outcome>` before its query: where its button posts. */
const button = (path: string, outcome: string) => path.replace("?", `/${outcome}?`);

async function page(method: string, path: string) {
  const { res, body } = await call(method, path);
  return { res, html: typeof body === "string" ? body : JSON.stringify(body), body };
}

/** The app under another configuration; the answer as text (the pages are HTML). */
async function fetchText(overrides: Partial<Env>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await createApp().fetch(
    new Request(`${BASE}${path}`, init),
    { ...env, ...overrides } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { res, text: await res.text() };
}

describe("the 3-D Secure page", () => {
  it("is a self-contained signed HTML page with the payment and three buttons, no personal data", async () => {
    const s = await setup();
    const { payment, url, path } = await s.create("pm_card_3ds");
    expect(url.origin).toBe(new URL(env.ISSUER).origin);
    expect(url.pathname).toBe(`/sandbox/3ds/${payment.id}`);
    expect(url.searchParams.get("sig")).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const { res, html } = await page("GET", path);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.get("Cache-Control")).toBe("no-store");

    expect(html).toContain("Portico sandbox");
    expect(html).toContain("1250.50 UZS");
    expect(html).toContain("VISA •••• 3220");
    expect(html).toContain("Acme &#60;Shop&#62; &#38; Co"); // the merchant, escaped
    const sig = encodeURIComponent(url.searchParams.get("sig") ?? "");
    for (const [outcome, label] of [
      ["success", "Authenticate (success)"],
      ["failure", "Fail authentication"],
      ["canceled", "Cancel"],
    ]) {
      expect(html).toContain(
        `<form method="post" action="/sandbox/3ds/${payment.id}/${outcome}?sig=${sig}"><button type="submit"`,
      );
      expect(html).toContain(`>${label}</button>`);
    }
    // No script, no external asset, no metadata, no first 6 digits.
    expect(html).not.toMatch(/<script|https?:\/\/|src=/i);
    expect(html).not.toContain("alice");
    expect(html).not.toContain("alert");
    expect(html).not.toContain("400000");

    const head = await call("HEAD", path);
    expect(head.res.status).toBe(200);
  });

  it("success authorizes and captures as the API's confirm would; a second press is 409 'already'", async () => {
    const s = await setup();
    const { payment, stub, path } = await s.create("pm_card_3ds");
    const done = await page("POST", button(path, "success"));
    expect(done.res.status).toBe(200);
    expect(done.res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(done.html).toContain("Payment completed");
    expect(done.html).toContain("<code>captured</code>");
    expect(await s.get(payment.id)).toMatchObject({
      status: "captured",
      amount_captured: 125_050,
      next_action: null,
      failure: null,
    });
    await drain(stub);
    expect(await s.entries(payment.id)).toEqual(["capture:125050"]);

    const again = await page("POST", button(path, "success"));
    expect(again.res.status).toBe(409);
    expect(again.html).toContain("This payment is already completed");
    const other = await page("POST", button(path, "failure"));
    expect(other.res.status).toBe(409);
    expect((await s.get(payment.id)).status).toBe("captured");
    await drain(stub);
    expect(await s.entries(payment.id)).toEqual(["capture:125050"]);

    // The page itself now says so, without buttons.
    const shown = await page("GET", path);
    expect(shown.res.status).toBe(200);
    expect(shown.html).toContain("This payment is already completed");
    expect(shown.html).not.toContain("<form");
  });

  it("success without capture leaves the payment authorized", async () => {
    const s = await setup();
    const { payment, path } = await s.create("pm_card_3ds", false);
    expect((await page("POST", button(path, "success"))).html).toContain("Payment authorized");
    expect(await s.get(payment.id)).toMatchObject({ status: "authorized", amount_capturable: 125_050 });
  });

  it("failure fails the payment with the API's decline; cancel cancels it", async () => {
    const s = await setup();
    const failing = await s.create("pm_card_3ds");
    const failed = await page("POST", button(failing.path, "failure"));
    expect(failed.res.status).toBe(200);
    expect(failed.html).toContain("Payment declined");
    expect(await s.get(failing.payment.id)).toMatchObject({
      status: "failed",
      failure: { code: "card_declined", reason: "do_not_honor" },
    });

    const canceling = await s.create("pm_card_3ds");
    const canceled = await page("POST", button(canceling.path, "canceled"));
    expect(canceled.html).toContain("Payment canceled");
    expect((await s.get(canceling.payment.id)).status).toBe("canceled");
    await drain(canceling.stub);
    expect(await s.entries(canceling.payment.id)).toEqual([]);
  });
});

describe("the bank redirect page", () => {
  it("shows the payment and its two buttons; approve captures as simulate would", async () => {
    const s = await setup();
    const { payment, stub, url, path } = await s.create("pm_bank_redirect");
    expect(url.pathname).toBe(`/sandbox/bank/${payment.id}`);
    const shown = await page("GET", path);
    expect(shown.res.status).toBe(200);
    expect(shown.html).toContain(">Approve payment</button>");
    expect(shown.html).toContain(">Decline payment</button>");
    expect(shown.html).toContain(`action="/sandbox/bank/${payment.id}/succeeded?sig=`);
    expect(shown.html).toContain(`action="/sandbox/bank/${payment.id}/failed?sig=`);
    expect(shown.html).not.toContain("alice");

    const done = await page("POST", button(path, "succeeded"));
    expect(done.res.status).toBe(200);
    expect(await s.get(payment.id)).toMatchObject({ status: "captured", next_action: null });
    await drain(stub);
    expect(await s.entries(payment.id)).toEqual(["capture:125050"]);
    expect((await page("POST", button(path, "failed"))).res.status).toBe(409);
  });

  it("decline fails it; a payment the merchant canceled meanwhile is 409 and stays canceled", async () => {
    const s = await setup();
    const declining = await s.create("pm_bank_redirect");
    expect((await page("POST", button(declining.path, "failed"))).html).toContain("Payment declined");
    expect(await s.get(declining.payment.id)).toMatchObject({
      status: "failed",
      failure: { reason: "do_not_honor" },
    });

    const canceled = await s.create("pm_bank_redirect");
    await call("POST", `/v1/payments/${canceled.payment.id}/cancel`, {
      token: s.token,
      json: { params: {} },
    });
    const late = await page("POST", button(canceled.path, "succeeded"));
    expect(late.res.status).toBe(409);
    expect(late.html).toContain("This payment is already canceled");
    expect(late.html).toContain("nothing was changed");
    expect((await s.get(canceled.payment.id)).status).toBe("canceled");
  });
});

describe("signatures", () => {
  it("a missing, wrong, other payment's or other page's signature is 404 and changes nothing", async () => {
    const s = await setup();
    const { payment, path } = await s.create("pm_card_3ds");
    const bank = await s.create("pm_bank_redirect");
    const sig = new URL(`${BASE}${path}`).searchParams.get("sig") ?? "";
    const bankSig = new URL(`${BASE}${bank.path}`).searchParams.get("sig") ?? "";
    const wrong = `${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`;
    const unknown = await page("GET", `/sandbox/3ds/${crypto.randomUUID()}?sig=${sig}`);
    expect(unknown.res.status).toBe(404);
    for (const bad of [
      `/sandbox/3ds/${payment.id}`,
      `/sandbox/3ds/${payment.id}?sig=`,
      `/sandbox/3ds/${payment.id}?sig=${wrong}`,
      `/sandbox/3ds/${payment.id}?sig=${bankSig}`,
      `/sandbox/bank/${payment.id}?sig=${sig}`,
      `/sandbox/3ds/${bank.payment.id}?sig=${bankSig}`,
    ]) {
      const shown = await page("GET", bad);
      expect(shown.res.status, bad).toBe(404);
      expect(shown.res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
      // The same page whether or not the payment exists.
      expect(shown.html).toBe(unknown.html);
      expect(shown.html).not.toContain(payment.id);
      const [pagePath, query] = bad.split("?");
      const outcome = pagePath?.startsWith("/sandbox/bank") ? "succeeded" : "success";
      const pressed = await page("POST", `${pagePath}/${outcome}${query === undefined ? "" : `?${query}`}`);
      expect(pressed.res.status, bad).toBe(404);
    }
    expect((await s.get(payment.id)).status).toBe("requires_action");
    expect((await s.get(bank.payment.id)).status).toBe("pending");
  });

  it("without the platform's data key: no signature in the URL, and the pages answer 404", async () => {
    const plain = new SandboxPaymentProvider("https://sandbox.example");
    const signed = new SandboxPaymentProvider("https://sandbox.example", env.WEBHOOK_SECRETS_KEY);
    const request = {
      paymentId: "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee",
      idempotencyKey: "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee:1",
      signals: { method: "card" as const, card: null },
      amount: 100,
      currency: "UZS" as const,
      paymentMethodToken: "pm_card_3ds",
      capture: true,
      now: Date.now(),
    };
    expect(await plain.authorize(request)).toMatchObject({
      action: { url: "https://sandbox.example/sandbox/3ds/0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee" },
    });
    expect(await signed.authorize(request)).toMatchObject({
      action: {
        url: expect.stringMatching(/\/sandbox\/3ds\/0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee\?sig=[\w-]{43}$/),
      },
    });

    const s = await setup();
    const { payment, path } = await s.create("pm_card_3ds");
    expect((await fetchText({ WEBHOOK_SECRETS_KEY: "" }, path)).res.status).toBe(404);
    expect(
      (await fetchText({ WEBHOOK_SECRETS_KEY: "" }, button(path, "success"), { method: "POST" })).res.status,
    ).toBe(404);
    expect((await s.get(payment.id)).status).toBe("requires_action");
  });
});

describe("routing", () => {
  it("answers GET (and HEAD) on the page and POST on its buttons; other methods 405", async () => {
    const s = await setup();
    const { payment, path } = await s.create("pm_card_3ds");
    const put = await call("PUT", path);
    expect(put.res.status).toBe(405);
    expect(put.body.error.code).toBe(5);
    expect(put.res.headers.get("Allow")).toBe("GET, HEAD");
    const postPage = await call("POST", path);
    expect(postPage.res.status).toBe(405);
    const del = await call("DELETE", button(path, "success"));
    expect(del.res.status).toBe(405);
    expect(del.res.headers.get("Allow")).toBe("POST");
    const getButton = await call("GET", button(path, "success"));
    expect(getButton.res.status).toBe(405);
    expect((await call("POST", button(path, "approve"))).res.status).toBe(404);
    expect((await call("GET", `/sandbox/3ds`)).res.status).toBe(404);
    expect((await s.get(payment.id)).status).toBe("requires_action");
  });

  it("does not exist in production", async () => {
    const s = await setup();
    const { payment, path } = await s.create("pm_card_3ds");
    const production: Partial<Env> = { ENVIRONMENT: "production", WEBHOOK_ALLOW_LOOPBACK: "false" };
    for (const [method, p] of [
      ["GET", path],
      ["POST", button(path, "success")],
      ["GET", `/sandbox/bank/${payment.id}`],
    ] as const) {
      const r = await fetchText(production, p, { method });
      expect(r.res.status).toBe(404);
      expect(JSON.parse(r.text).error.code).toBe(31);
    }
    expect((await s.get(payment.id)).status).toBe("requires_action");
  });

  it("payments switched off: 503 page, nothing changes", async () => {
    const s = await setup();
    const { payment, path } = await s.create("pm_card_3ds");
    const r = await fetchText({ PRODUCTS_DISABLED: "payments" }, button(path, "success"), { method: "POST" });
    expect(r.res.status).toBe(503);
    expect(r.text).toContain("Payments are paused");
    expect((await s.get(payment.id)).status).toBe("requires_action");
  });
});
