import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { accountsConnectorFor } from "../../../src/modules/accounts/connector";
import { HttpAccountsConnector } from "../../../src/modules/accounts/connector/http";
import { SandboxAccountsConnector } from "../../../src/modules/accounts/connector/sandbox";
import { loadConfig } from "../../../src/platform/env";
import { CircuitBreaker } from "../../../src/platform/upstream";
import { call, fetchWithEnv, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import { refusal, testUpstream } from "../../support/upstream";
import { receiver } from "../../support/webhooks";

// The HTTP core banking connector, against the real local HTTP server of the test set-up.

const connector = (url: string, breaker = new CircuitBreaker(3, 60_000)) =>
  new HttpAccountsConnector(testUpstream("accounts", url, breaker));

const ACCOUNT = {
  id: "01917f2c-e800-7000-8000-00000000b001",
  account_type: "current",
  currency: "UZS",
  nickname: "Main",
  holder_name: "Test Holder",
  account_number_last4: "4321",
  status: "active",
  opened_on: "2020-01-02",
};

describe("HttpAccountsConnector", () => {
  it("maps the bank's answers to accounts, balances, transactions and consent registrations", async () => {
    const server = receiver();
    const bank = connector(server.url);
    await server.script({ body: JSON.stringify({ accounts: [ACCOUNT] }) });
    expect(await bank.listAccounts("cus 1")).toEqual([{ ...ACCOUNT, object: "account" }]);

    const balance = { currency: "UZS", booked: 100, available: 90, as_of: "2026-10-01T10:00:00+05:00" };
    await server.script({ body: JSON.stringify(balance) });
    expect(await bank.balance("cus 1", ACCOUNT.id)).toEqual({
      object: "balance",
      account_id: ACCOUNT.id,
      ...balance,
    });

    const transaction = {
      id: "01917f2c-e800-7000-8000-00000000c001",
      amount: 500,
      currency: "UZS",
      direction: "debit",
      status: "booked",
      description: "Shop",
      transacted_at: "2026-10-01T10:00:00+05:00",
    };
    await server.script({ body: JSON.stringify({ transactions: [transaction], has_more: true }) });
    expect(await bank.transactions("cus 1", ACCOUNT.id, { limit: 1 })).toEqual({
      data: [{ ...transaction, object: "transaction", account_id: ACCOUNT.id }],
      has_more: true,
    });

    await server.script({ body: JSON.stringify({ authorisation_url: "https://bank.example/consent/1" }) });
    const registration = {
      consentId: "c-1",
      scopes: ["accounts"] as const,
      expiresAt: "2026-12-01T00:00:00.000Z",
    };
    expect(await bank.registerConsent(registration)).toEqual({
      authorisationUrl: "https://bank.example/consent/1",
    });
    const sent = (await server.received()).at(-1);
    expect(JSON.parse(sent?.body ?? "")).toEqual({
      consent_id: "c-1",
      scopes: ["accounts"],
      expires_at: "2026-12-01T00:00:00.000Z",
    });
  });

  it("retries 503 twice, then succeeds", async () => {
    const server = receiver();
    await server.script({ fail: 2, status: 503, body: JSON.stringify({ accounts: [] }) });
    expect(await connector(server.url).listAccounts("cus")).toEqual([]);
    expect((await server.received()).map((r) => r.answered)).toEqual([503, 503, 200]);
  });

  it("a 400 is 1005 without a retry", async () => {
    const server = receiver();
    await server.script({ fail: 5, status: 400 });
    const err = await refusal(connector(server.url).listAccounts("cus"));
    expect([err.code, err.status]).toEqual([1005, 502]);
    expect((await server.received()).length).toBe(1);
  });

  it("an empty answer is 1004; an answer off the contract is 1005", async () => {
    for (const body of ["", "null"]) {
      const server = receiver();
      await server.script({ body });
      expect((await refusal(connector(server.url).listAccounts("cus"))).code).toBe(1004);
    }
    const server = receiver();
    await server.script({ body: JSON.stringify({ accounts: [{ ...ACCOUNT, currency: "???" }] }) });
    const err = await refusal(connector(server.url).listAccounts("cus"));
    expect(err.code).toBe(1005);
    expect(err.message).not.toContain("Test Holder");
  });

  it("three failed calls open the breaker: the next is 91 without reaching the server", async () => {
    const server = receiver();
    await server.script({ fail: 100, status: 500 });
    const breaker = new CircuitBreaker(3, 60_000);
    for (let i = 0; i < 3; i++)
      expect((await refusal(connector(server.url, breaker).listAccounts("cus"))).code).toBe(1005);
    const before = (await server.received()).length;
    const err = await refusal(connector(server.url, breaker).listAccounts("cus"));
    expect([err.code, err.status]).toEqual([91, 503]);
    expect((await server.received()).length).toBe(before);
  });
});

describe("accountsConnectorFor", () => {
  it("the simulator in the sandbox, HTTP when configured, and never the simulator in production", () => {
    const config = loadConfig(env);
    expect(accountsConnectorFor(config)).toBeInstanceOf(SandboxAccountsConnector);
    const configured = { ...config, UPSTREAM_URLS: { accounts: "https://bank.example/core/" } };
    expect(accountsConnectorFor(configured)).toBeInstanceOf(HttpAccountsConnector);
    const production = { ...config, ENVIRONMENT: "production" as const };
    expect(() => accountsConnectorFor(production)).toThrowError(
      expect.objectContaining({
        code: 91,
        message: "The bank's accounts system is unavailable; retry later",
      }),
    );
  });

  it("a failing core banking system reaches the partner as 502, code 1005", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const created = await call("POST", "/v1/consents", {
      token,
      json: { params: { scopes: ["accounts"], expires_at: new Date(Date.now() + 86_400_000).toISOString() } },
    });
    await call("POST", `/v1/sandbox/consents/${created.body.result.id}/authorise`, { token });
    const server = receiver();
    await server.script({ fail: 1, status: 400 });
    const r = await fetchWithEnv(
      createApp(),
      { UPSTREAM_URLS: JSON.stringify({ accounts: `${server.url}/` }) },
      "/v1/accounts",
      { headers: { Authorization: `Bearer ${token}`, "Consent-Id": created.body.result.id } },
    );
    expect(r.res.status).toBe(502);
    expect(r.body.error).toMatchObject({ code: 1005, reason: "upstream_failed" });
  });
});
