import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../../src/app";
import { SANDBOX_CUSTOMER_REF } from "../../../src/modules/accounts/connector/sandbox-data";
import { redeemCode } from "../../../src/modules/oauth/codes";
import { sandboxTotpCode } from "../../../src/modules/oauth/customer-identity/sandbox";
import { SANDBOX_CUSTOMERS } from "../../../src/modules/oauth/customer-identity/sandbox-customers";
import type { Env } from "../../../src/platform/env";
import { sha256Hex } from "../../../src/platform/lib/ids";
import {
  AZIZ,
  authorizeConsent,
  CustomerBrowser,
  consentFlow,
  csrfOf,
  newConsent,
  parParams,
  pkce,
  pushRequest,
  REDIRECT_URI,
  registerRedirects,
  type Send,
} from "../../support/consent-flow";
import { call, tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";

const ISSUER = env.ISSUER;
const NODIRA = SANDBOX_CUSTOMERS[1] ?? AZIZ;

async function pushed(overrides: Record<string, string | undefined> = {}) {
  const p = await provisionPartner({ name: "Acme Budgeting" });
  const token = await tokenFor(p);
  await registerRedirects(p.id);
  const consentId = await newConsent(token);
  const { challenge, verifier } = await pkce();
  const params = parParams(p, consentId, challenge, overrides);
  const { body } = await pushRequest(p, params);
  return { p, token, consentId, params, challenge, verifier, requestUri: body.request_uri as string };
}

const authorizePath = (clientId: string, requestUri: string) =>
  `/authorize?${new URLSearchParams({ client_id: clientId, request_uri: requestUri })}`;

/** The browser signed in and at `stage`, with the page's CSRF token. */
async function at(
  stage: "login" | "sca" | "consent",
  s: Awaited<ReturnType<typeof pushed>>,
  customer = AZIZ,
  send?: Send,
) {
  const browser = new CustomerBrowser(send);
  await browser.get(authorizePath(s.p.consumerKey, s.requestUri));
  let csrf = csrfOf(await (await browser.get("/authorize/login")).text());
  if (stage === "login") return { browser, csrf };
  await browser.post("/authorize/login", { csrf, login: customer.login, password: customer.password });
  if (stage === "sca") return { browser, csrf };
  const code = sandboxTotpCode(customer.totpSecret ?? "");
  await browser.post("/authorize/sca", { csrf, code });
  csrf = csrfOf(await (await browser.get("/authorize/consent")).text());
  return { browser, csrf };
}

const consentRow = (id: string) =>
  env.DB.prepare("SELECT status, customer_ref, authorised_at FROM consents WHERE id = ?").bind(id).first();
const eventsOf = async (partnerId: string, consentId: string) =>
  (
    await env.DB.prepare("SELECT type, enqueued_at FROM events WHERE partner_id = ? AND data LIKE ?")
      .bind(partnerId, `%${consentId}%`)
      .all()
  ).results;
const codesOf = async (consentId: string) =>
  (await env.DB.prepare("SELECT * FROM oauth_codes WHERE consent_id = ?").bind(consentId).all()).results;
const sessions = async (requestUri: string) =>
  (
    await env.DB.prepare(
      "SELECT stage, attempts, ended_at, customer_ref FROM oauth_authorisation_sessions WHERE request_hash = ?",
    )
      .bind(await sha256Hex(requestUri.split(":").at(-1) ?? ""))
      .all()
  ).results;

const isErrorPage = async (res: Response, status: number, text: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("Location")).toBeNull();
  expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
  expect(res.headers.get("Content-Security-Policy")).toContain("form-action 'none'");
  const html = await res.text();
  expect(html).toContain("This did not work");
  expect(html).toContain(text);
};

afterEach(() => vi.restoreAllMocks());

describe("the consent authorisation: PAR → /authorize → login → SCA → consent", () => {
  it("approve: back to the redirect URI with code, state and iss; the consent Authorised with its event; a single-use code", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const flow = await consentFlow(p, token);
    expect(`${flow.location.origin}${flow.location.pathname}`).toBe(REDIRECT_URI);
    expect([...flow.location.searchParams.keys()].sort()).toEqual(["code", "iss", "state"]);
    expect(flow.location.searchParams.get("state")).toBe(flow.params.state);
    expect(flow.location.searchParams.get("iss")).toBe(ISSUER);
    const code = flow.location.searchParams.get("code") ?? "";
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(await consentRow(flow.consentId)).toMatchObject({
      status: "Authorised",
      customer_ref: SANDBOX_CUSTOMER_REF,
    });
    const events = await eventsOf(p.id, flow.consentId);
    expect(events.map((e) => e.type)).toEqual(["consent.authorised"]);
    expect(events[0]?.enqueued_at).not.toBeNull();

    const [row] = await codesOf(flow.consentId);
    expect(row).toMatchObject({
      code_hash: await sha256Hex(code),
      partner_id: p.id,
      client_id: p.consumerKey,
      customer_ref: SANDBOX_CUSTOMER_REF,
      redirect_uri: REDIRECT_URI,
      scope: "accounts balances transactions",
      code_challenge: flow.challenge,
      nonce: flow.params.nonce,
      used_at: null,
    });
    expect(Date.parse(String(row?.expires_at)) - Date.parse(String(row?.created_at))).toBe(60_000);
    expect(JSON.stringify(row)).not.toContain(code);
    expect((await redeemCode(db, code)).ok).toBe(true);
    expect(await redeemCode(db, code)).toMatchObject({ ok: false, reason: "reused" });

    const [session] = await sessions(flow.requestUri);
    expect(session?.ended_at).not.toBeNull();
    expect(flow.browser.cookie).toBeUndefined();
  });

  it("the consent API tells the partner what the customer did", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const flow = await consentFlow(p, token);
    const { body } = await call("GET", `/v1/consents/${flow.consentId}`, { token });
    expect(body.result).toMatchObject({ status: "Authorised", authorisation_url: null });
    expect(body.result.authorised_at).not.toBeNull();
    expect(JSON.stringify(body)).not.toContain(SANDBOX_CUSTOMER_REF);
  });

  it("reject: access_denied with state and iss; the consent Rejected with its event, no code", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const flow = await consentFlow(p, token, { decision: "reject" });
    expect(Object.fromEntries(flow.location.searchParams)).toEqual({
      error: "access_denied",
      error_description: "The customer rejected the consent",
      state: flow.params.state,
      iss: ISSUER,
    });
    expect((await consentRow(flow.consentId))?.status).toBe("Rejected");
    expect((await eventsOf(p.id, flow.consentId)).map((e) => e.type)).toEqual(["consent.rejected"]);
    expect(await codesOf(flow.consentId)).toEqual([]);
  });

  it("without state the redirect carries none; a redirect URI's own query is kept", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    await registerRedirects(p.id, [`${REDIRECT_URI}?tenant=7`]);
    const consentId = await newConsent(token);
    const { challenge } = await pkce();
    const params = parParams(p, consentId, challenge, {
      state: undefined,
      redirect_uri: `${REDIRECT_URI}?tenant=7`,
    });
    const { body } = await pushRequest(p, params);
    const { location } = await authorizeConsent({ clientId: p.consumerKey, requestUri: body.request_uri });
    expect([...location.searchParams.keys()].sort()).toEqual(["code", "iss", "tenant"]);
    expect(location.searchParams.get("tenant")).toBe("7");
  });
});

describe("GET /authorize", () => {
  it("sets the session cookie (__Host-, HttpOnly, Secure, SameSite=Lax) and sends the browser to the login page", async () => {
    const s = await pushed();
    const browser = new CustomerBrowser();
    const res = await browser.get(authorizePath(s.p.consumerKey, s.requestUri));
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/authorize/login");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-authz=")) ?? "";
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(await sessions(s.requestUri)).toEqual([
      { stage: "login", attempts: 0, ended_at: null, customer_ref: null },
    ]);
    const login = await browser.get("/authorize/login");
    expect(login.status).toBe(200);
    const html = await login.text();
    expect(html).toContain("<strong>Acme Budgeting</strong> asks to see your account information");
    expect(csrfOf(html)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("a request_uri used twice: the second use is an error page, never a redirect, and starts no session", async () => {
    const s = await pushed();
    const first = new CustomerBrowser();
    expect((await first.get(authorizePath(s.p.consumerKey, s.requestUri))).status).toBe(303);
    const second = new CustomerBrowser();
    const again = await second.get(authorizePath(s.p.consumerKey, s.requestUri));
    await isErrorPage(again, 400, "This authorisation link is unknown, expired or already used");
    expect(second.cookie).toBeUndefined();
    expect(await sessions(s.requestUri)).toHaveLength(1);
  });

  it("a HEAD of the link does not use it up", async () => {
    const s = await pushed();
    const head = await call("HEAD", authorizePath(s.p.consumerKey, s.requestUri));
    expect(head.res.status).toBe(200);
    expect(head.res.headers.get("Set-Cookie")).toBeNull();
    expect(await sessions(s.requestUri)).toEqual([]);
    expect((await new CustomerBrowser().get(authorizePath(s.p.consumerKey, s.requestUri))).status).toBe(303);
  });

  it("an expired request_uri is an error page", async () => {
    const s = await pushed();
    await env.DB.prepare("UPDATE oauth_par_requests SET expires_at = ? WHERE client_id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), s.p.consumerKey)
      .run();
    const res = await new CustomerBrowser().get(authorizePath(s.p.consumerKey, s.requestUri));
    await isErrorPage(res, 400, "This authorisation link is unknown, expired or already used");
    expect(await sessions(s.requestUri)).toEqual([]);
  });

  it("another client's request_uri is an error page, and leaves the request to its own client", async () => {
    const s = await pushed();
    const other = await provisionPartner();
    const res = await new CustomerBrowser().get(authorizePath(other.consumerKey, s.requestUri));
    await isErrorPage(res, 400, "This authorisation link is unknown, expired or already used");
    expect((await new CustomerBrowser().get(authorizePath(s.p.consumerKey, s.requestUri))).status).toBe(303);
  });

  it("missing or foreign parameters are an error page", async () => {
    const s = await pushed();
    const browser = new CustomerBrowser();
    await isErrorPage(await browser.get("/authorize"), 400, "client_id and request_uri are required");
    await isErrorPage(
      await browser.get(`/authorize?client_id=${s.p.consumerKey}`),
      400,
      "client_id and request_uri are required",
    );
    await isErrorPage(
      await browser.get(authorizePath(s.p.consumerKey, "https://attacker.example/req")),
      400,
      "request_uri is not one this bank issued",
    );
    await isErrorPage(
      await browser.get(authorizePath(s.p.consumerKey, "urn:ietf:params:oauth:request_uri:unknown")),
      400,
      "This authorisation link is unknown, expired or already used",
    );
    expect(browser.cookie).toBeUndefined();
  });

  it("only GET (and HEAD) on /authorize; the steps take GET and POST", async () => {
    for (const [method, path, allow] of [
      ["POST", "/authorize", "GET, HEAD"],
      ["PUT", "/authorize/login", "GET, HEAD, POST"],
      ["DELETE", "/authorize/consent", "GET, HEAD, POST"],
    ] as const) {
      const { res, body } = await call(method, path);
      expect(res.status).toBe(405);
      expect(res.headers.get("Allow")).toBe(allow);
      expect(body.error.code).toBe(5);
    }
  });
});

describe("the customer's pages", () => {
  it("each page carries the CSP: its own stylesheet only, no script, forms to itself and the partner's redirect origin", async () => {
    const s = await pushed();
    const { browser } = await at("login", s);
    const page = await browser.get("/authorize/login");
    expect(page.headers.get("Content-Security-Policy")).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; " +
        "form-action 'self' https://partner.example; frame-ancestors 'none'",
    );
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    expect(page.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const html = await page.text();
    expect(html).not.toMatch(/<script|style=|<style/);
    expect(html).toContain('<link rel="stylesheet" href="/authorize/assets/authorize.css">');
    const css = await call("GET", "/authorize/assets/authorize.css");
    expect(css.res.status).toBe(200);
    expect(css.res.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    expect(String(css.body)).toContain("button.primary");
  });

  it("the consent screen shows the partner, the consent's scopes and expiry, and Approve / Reject", async () => {
    const s = await pushed({ scope: "accounts balances" });
    const { browser } = await at("consent", s);
    const html = await (await browser.get("/authorize/consent")).text();
    expect(html).toContain("Allow Acme Budgeting to see your account information?");
    expect(html).toContain("Your accounts: their type, currency, nickname and holder");
    expect(html).toContain("The balances of your accounts");
    expect(html).not.toContain("The transactions of your accounts");
    const { body } = await call("GET", `/v1/consents/${s.consentId}`, { token: s.token });
    expect(html).toContain(`<time datetime="${body.result.expires_at}">`);
    expect(html).toContain('value="approve"');
    expect(html).toContain('value="reject"');
  });

  it("a form without the session's CSRF token, with another, or from another site is refused; nothing changes", async () => {
    const s = await pushed();
    const { browser, csrf } = await at("login", s);
    const fields = { login: AZIZ.login, password: AZIZ.password };
    await isErrorPage(await browser.post("/authorize/login", fields), 403, "did not come from this page");
    await isErrorPage(
      await browser.post("/authorize/login", { ...fields, csrf: `${csrf}x` }),
      403,
      "did not come from this page",
    );
    await isErrorPage(
      await browser.post(
        "/authorize/login",
        { ...fields, csrf },
        { "Sec-Fetch-Site": "cross-site", Origin: "https://attacker.example" },
      ),
      403,
      "did not come from this page",
    );
    expect(await sessions(s.requestUri)).toEqual([
      { stage: "login", attempts: 0, ended_at: null, customer_ref: null },
    ]);
    // The right form still works.
    expect((await browser.post("/authorize/login", { ...fields, csrf })).headers.get("Location")).toBe(
      "/authorize/sca",
    );
  });

  it("the consent screen's form is CSRF-checked too: a forged Approve authorises nothing", async () => {
    const s = await pushed();
    const { browser } = await at("consent", s);
    await isErrorPage(
      await browser.post("/authorize/consent", { decision: "approve" }),
      403,
      "did not come from this page",
    );
    expect((await consentRow(s.consentId))?.status).toBe("AwaitingAuthorisation");
    expect(await codesOf(s.consentId)).toEqual([]);
  });

  it("without a session cookie the steps are an error page", async () => {
    const browser = new CustomerBrowser();
    await isErrorPage(
      await browser.get("/authorize/consent"),
      400,
      "No authorisation is in progress in this browser",
    );
    await isErrorPage(
      await browser.post("/authorize/consent", { decision: "approve", csrf: "x" }),
      400,
      "No authorisation is in progress in this browser",
    );
  });

  it("a step cannot be skipped: the consent screen before the second factor leads back to it", async () => {
    const s = await pushed();
    const { browser, csrf } = await at("sca", s);
    const skip = await browser.get("/authorize/consent");
    expect(skip.status).toBe(303);
    expect(skip.headers.get("Location")).toBe("/authorize/sca");
    const forced = await browser.post("/authorize/consent", { csrf, decision: "approve" });
    expect(forced.headers.get("Location")).toBe("/authorize/sca");
    expect((await consentRow(s.consentId))?.status).toBe("AwaitingAuthorisation");
    expect(await codesOf(s.consentId)).toEqual([]);
  });

  it("a wrong password twice shows the page again with the tries left; a third ends the session with access_denied", async () => {
    const s = await pushed();
    const { browser, csrf } = await at("login", s);
    const wrong = { csrf, login: AZIZ.login, password: "not-it" };
    const first = await browser.post("/authorize/login", wrong);
    expect(first.status).toBe(400);
    expect(await first.text()).toContain("The customer id or password is not right (2 tries left)");
    const second = await browser.post("/authorize/login", { ...wrong, login: "nobody" });
    expect(await second.text()).toContain("(1 try left)");
    const third = await browser.post("/authorize/login", wrong);
    expect(third.status).toBe(303);
    const location = new URL(third.headers.get("Location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      error: "access_denied",
      error_description: "Too many failed attempts",
      state: s.params.state,
      iss: ISSUER,
    });
    expect(browser.cookie).toBeUndefined();
    const [session] = await sessions(s.requestUri);
    expect(session?.attempts).toBe(3);
    expect(session?.ended_at).not.toBeNull();
    expect((await consentRow(s.consentId))?.status).toBe("AwaitingAuthorisation");
    // The session is over: the right password changes nothing now.
    const late = await browser.post("/authorize/login", { csrf, login: AZIZ.login, password: AZIZ.password });
    expect(late.status).toBe(400);
  });

  it("the second factor: a wrong code counts, and the customer who always fails it ends with access_denied", async () => {
    const s = await pushed();
    const { browser, csrf } = await at("sca", s, NODIRA);
    expect(await sessions(s.requestUri)).toEqual([
      { stage: "sca", attempts: 0, ended_at: null, customer_ref: "sbx_customer_0002" },
    ]);
    const code = sandboxTotpCode(AZIZ.totpSecret ?? "");
    expect((await browser.post("/authorize/sca", { csrf, code })).status).toBe(400);
    expect((await browser.post("/authorize/sca", { csrf, code: "" })).status).toBe(400);
    const last = await browser.post("/authorize/sca", { csrf, code });
    expect(new URL(last.headers.get("Location") ?? "").searchParams.get("error")).toBe("access_denied");
    expect((await consentRow(s.consentId))?.status).toBe("AwaitingAuthorisation");
    expect(await codesOf(s.consentId)).toEqual([]);
  });

  it("an expired session sends the customer back with access_denied", async () => {
    const s = await pushed();
    const { browser } = await at("sca", s);
    await env.DB.prepare("UPDATE oauth_authorisation_sessions SET expires_at = ? WHERE request_hash = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), await sha256Hex(s.requestUri.split(":").at(-1) ?? ""))
      .run();
    const res = await browser.get("/authorize/sca");
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("Location") ?? "");
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("error_description")).toBe("The authorisation session expired");
    expect((await sessions(s.requestUri))[0]?.ended_at).not.toBeNull();
  });

  it("an answer is given once: a second Approve issues no second code", async () => {
    const s = await pushed();
    const { browser, csrf } = await at("consent", s);
    const cookie = browser.cookie;
    const first = await browser.post("/authorize/consent", { csrf, decision: "approve" });
    expect(new URL(first.headers.get("Location") ?? "").searchParams.get("code")).toBeTruthy();
    browser.cookie = cookie;
    const again = await browser.post("/authorize/consent", { csrf, decision: "approve" });
    await isErrorPage(again, 400, "No authorisation is in progress in this browser");
    expect(await codesOf(s.consentId)).toHaveLength(1);
  });

  it("a consent revoked while the customer reviewed it: access_denied, no code", async () => {
    const s = await pushed();
    const { browser, csrf } = await at("consent", s);
    await call("POST", `/v1/consents/${s.consentId}/revoke`, { token: s.token });
    const res = await browser.post("/authorize/consent", { csrf, decision: "approve" });
    const location = new URL(res.headers.get("Location") ?? "");
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("error_description")).toBe(
      "The consent is no longer awaiting authorisation",
    );
    expect((await consentRow(s.consentId))?.status).toBe("Revoked");
    expect(await codesOf(s.consentId)).toEqual([]);
  });

  it("neither the password nor the code nor the authorization code is ever logged", async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
    for (const level of ["log", "info", "warn", "error", "debug"] as const)
      vi.spyOn(console, level).mockImplementation(capture);
    const s = await pushed();
    const app = createApp();
    const send = async (request: Request) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(request, { ...env, LOG_LEVEL: "debug" } as Env, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    const { browser, csrf } = await at("login", s, AZIZ, send);
    const wrong = await browser.post("/authorize/login", {
      csrf,
      login: AZIZ.login,
      password: "typo-secret-1",
    });
    expect(wrong.status).toBe(400);
    await browser.post("/authorize/login", { csrf, login: AZIZ.login, password: AZIZ.password });
    const otp = sandboxTotpCode(AZIZ.totpSecret ?? "");
    expect((await browser.post("/authorize/sca", { csrf, code: otp })).status).toBe(303);
    const answered = await browser.post("/authorize/consent", { csrf, decision: "approve" });
    const code = new URL(answered.headers.get("Location") ?? "").searchParams.get("code") ?? "";
    expect(code).not.toBe("");
    const logged = lines.join("\n");
    // The flow's own lines were captured: their silence below means something.
    expect(logged).toContain("customer answered the consent");
    for (const secret of [AZIZ.password, "typo-secret-1", code, s.requestUri.split(":").at(-1) ?? ""])
      expect(logged).not.toContain(secret);
  });
});
