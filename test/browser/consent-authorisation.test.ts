import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Client } from "openapi-fetch";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sandboxTotpCode } from "../../src/modules/oauth/customer-identity/sandbox";
import { SANDBOX_CUSTOMERS } from "../../src/modules/oauth/customer-identity/sandbox-customers";
import type { paths } from "../generated/portico-api";
import { computedStyle, launchChromium, watchedPage } from "./support/browser";
import { sql } from "./support/control";
import { DEMO, demoClient, once } from "./support/partner";

// The customer's consent authorisation in Chromium: the partner pushes the request (PAR), the
// customer signs in at the bank's pages, answers the TOTP code and approves or rejects, and lands
// on the partner's callback (a local server on another origin: the forms' redirect is cross-origin).

const origin = inject("gatewayUrl");
const control = inject("gatewayControl");
const [aziz] = SANDBOX_CUSTOMERS;
let browser: Browser;
let client: Client<paths>;
let callback: Server;
let redirectUri: string;

beforeAll(async () => {
  callback = createServer((_req, res) => {
    res
      .writeHead(200, { "Content-Type": "text/html; charset=utf-8" })
      .end("<!doctype html><title>Partner</title><p>back");
  });
  await new Promise<void>((resolve) => callback.listen(0, "127.0.0.1", resolve));
  redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
  [browser, client] = await Promise.all([launchChromium(), demoClient(origin)]);
  const [credential] = await sql<{ partner_id: string }>(
    control,
    "SELECT partner_id FROM partner_credentials WHERE consumer_key = ?",
    DEMO.consumerKey,
  );
  const now = new Date().toISOString();
  await sql(
    control,
    "INSERT INTO oauth_clients (partner_id, redirect_uris, created_at, updated_at) VALUES (?, ?, ?, ?) " +
      "ON CONFLICT (partner_id) DO UPDATE SET redirect_uris = excluded.redirect_uris",
    credential?.partner_id,
    JSON.stringify([redirectUri]),
    now,
    now,
  );
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => callback?.close(resolve));
});

/** A consent of the demo partner and its pushed request: the /authorize URL to send the customer to. */
async function pushed() {
  const created = await client.POST("/v1/consents", {
    params: { header: once() },
    body: {
      params: {
        scopes: ["accounts", "balances"],
        expires_at: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
    },
  });
  const consentId = created.data?.result?.id ?? "";
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(12).toString("base64url");
  const res = await fetch(`${origin}/oauth2/par`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${Buffer.from(`${DEMO.consumerKey}:${DEMO.consumerSecret}`).toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      response_type: "code",
      client_id: DEMO.consumerKey,
      redirect_uri: redirectUri,
      consent_id: consentId,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      state,
    }),
  });
  const body = (await res.json()) as { request_uri?: string };
  if (res.status !== 201 || !body.request_uri)
    throw new Error(`PAR answered ${res.status}: ${JSON.stringify(body)}`);
  const query = new URLSearchParams({ client_id: DEMO.consumerKey, request_uri: body.request_uri });
  return { consentId, state, url: `${origin}/authorize?${query}` };
}

/** Chromium reports a 400 page's status in the console; anything else is a problem. */
const beyond400 = (problems: string[]) =>
  problems.filter((p) => !p.includes("the server responded with a status of 400"));

const consentStatus = async (id: string) =>
  (await client.GET("/v1/consents/{id}", { params: { path: { id } } })).data?.result?.status;

describe("the consent authorisation pages in Chromium", () => {
  it("sign in, the TOTP code, Approve: the partner's callback gets code, state and iss; the consent is Authorised", async () => {
    const flow = await pushed();
    const { page, problems, foreign, listening } = await watchedPage(browser, origin);
    await page.goto(flow.url);
    await page.waitForURL(`${origin}/authorize/login`);
    expect(await page.locator("h1").textContent()).toBe("Sign in to your bank");
    // The stylesheet loaded from this origin under the CSP: an unstyled button would not be blue.
    const signIn = page.getByRole("button", { name: "Sign in" });
    expect(await computedStyle(signIn, "background-color")).toBe("rgb(31, 111, 235)");

    await page.getByLabel("Customer id").fill(aziz?.login ?? "");
    await page.getByLabel("Password").fill(aziz?.password ?? "");
    await signIn.click();
    await page.waitForURL(`${origin}/authorize/sca`);
    await page.getByLabel("One-time code").fill(sandboxTotpCode(aziz?.totpSecret ?? ""));
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.waitForURL(`${origin}/authorize/consent`);
    expect(await page.locator("h1").textContent()).toMatch(/^Allow .+ to see your account information\?$/);
    expect(await page.locator("ul.scopes li").allTextContents()).toEqual([
      "Your accounts: their type, currency, nickname and holder",
      "The balances of your accounts",
    ]);
    expect(await listening()).toBe(true);

    await page.getByRole("button", { name: "Approve" }).click();
    await page.waitForURL(`${redirectUri}?*`);
    const back = new URL(page.url());
    expect(back.searchParams.get("state")).toBe(flow.state);
    expect(back.searchParams.get("code")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(back.searchParams.get("iss")).toBeTruthy();
    expect(await consentStatus(flow.consentId)).toBe("Authorised");
    expect(problems).toEqual([]);
    expect(foreign).toEqual([`GET ${page.url()}`]);
  });

  it("Reject: access_denied on the callback; the consent is Rejected; the link does not work twice", async () => {
    const flow = await pushed();
    const { page, problems } = await watchedPage(browser, origin);
    await page.goto(flow.url);
    await page.waitForURL(`${origin}/authorize/login`);
    await page.getByLabel("Customer id").fill(aziz?.login ?? "");
    await page.getByLabel("Password").fill(aziz?.password ?? "");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${origin}/authorize/sca`);
    await page.getByLabel("One-time code").fill(sandboxTotpCode(aziz?.totpSecret ?? ""));
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.waitForURL(`${origin}/authorize/consent`);
    await page.getByRole("button", { name: "Reject" }).click();
    await page.waitForURL(`${redirectUri}?*`);
    const back = new URL(page.url());
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe(flow.state);
    expect(await consentStatus(flow.consentId)).toBe("Rejected");

    const again = await page.goto(flow.url);
    expect(again?.status()).toBe(400);
    expect(page.url()).toBe(flow.url);
    expect(await page.locator("p.error").textContent()).toBe(
      "This authorisation link is unknown, expired or already used",
    );
    expect(beyond400(problems)).toEqual([]);
  });

  it("a wrong password shows the page again with the tries left", async () => {
    const flow = await pushed();
    const { page, problems } = await watchedPage(browser, origin);
    await page.goto(flow.url);
    await page.waitForURL(`${origin}/authorize/login`);
    await page.getByLabel("Customer id").fill(aziz?.login ?? "");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("p.error").waitFor();
    expect(await page.locator("p.error").textContent()).toBe(
      "The customer id or password is not right (2 tries left)",
    );
    expect(await consentStatus(flow.consentId)).toBe("AwaitingAuthorisation");
    expect(beyond400(problems)).toEqual([]);
  });
});
