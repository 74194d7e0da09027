import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { kycConnectorFor } from "../../../src/modules/kyc/connector";
import { HttpKycConnector } from "../../../src/modules/kyc/connector/http";
import { SandboxKycConnector } from "../../../src/modules/kyc/connector/sandbox";
import type { KycClaim } from "../../../src/modules/kyc/connector/types";
import { loadConfig } from "../../../src/platform/env";
import { CircuitBreaker } from "../../../src/platform/upstream";
import { refusal, testUpstream } from "../../support/upstream";
import { receiver } from "../../support/webhooks";

// The HTTP KYC connector, against the real local HTTP server of the test set-up.

const connector = (url: string, breaker = new CircuitBreaker(3, 60_000)) =>
  new HttpKycConnector(testUpstream("kyc", url, breaker));

const claim: KycClaim = {
  identifier: { type: "account_number", value: "20208000900100000001" },
  claimed: { full_name: "Aziz Karimov", birth_date: "1990-05-17" },
};
const answer = JSON.stringify({ found: true, checks: { full_name: "match", birth_date: "no_match" } });

describe("HttpKycConnector", () => {
  it("sends the claim and maps the bank's per-field answer", async () => {
    const server = receiver();
    await server.script({ body: answer });
    expect(await connector(server.url).verify(claim)).toEqual({
      found: true,
      checks: { full_name: "match", birth_date: "no_match" },
    });
    const [sent] = await server.received();
    expect(JSON.parse(sent?.body ?? "")).toEqual({
      identifier: { type: "account_number", value: "20208000900100000001" },
      full_name: "Aziz Karimov",
      birth_date: "1990-05-17",
    });
  });

  it("retries 503 twice, then succeeds", async () => {
    const server = receiver();
    await server.script({ fail: 2, status: 503, body: answer });
    expect((await connector(server.url).verify(claim)).found).toBe(true);
    expect((await server.received()).map((r) => r.answered)).toEqual([503, 503, 200]);
  });

  it("a 400 is 1005 without a retry", async () => {
    const server = receiver();
    await server.script({ fail: 5, status: 400 });
    const err = await refusal(connector(server.url).verify(claim));
    expect([err.code, err.status]).toEqual([1005, 502]);
    expect((await server.received()).length).toBe(1);
  });

  it("an empty answer is 1004", async () => {
    for (const body of ["", "null"]) {
      const server = receiver();
      await server.script({ body });
      expect((await refusal(connector(server.url).verify(claim))).code).toBe(1004);
    }
  });

  it("an answer off the contract, or missing a field that was sent, is 1005", async () => {
    for (const body of [
      JSON.stringify({ found: "yes", checks: {} }),
      JSON.stringify({ found: true, checks: { full_name: "match" } }),
      JSON.stringify({ found: true, checks: { full_name: "maybe", birth_date: "match" } }),
    ]) {
      const server = receiver();
      await server.script({ body });
      const err = await refusal(connector(server.url).verify(claim));
      expect(err.code).toBe(1005);
      expect(err.message).not.toContain("Aziz");
    }
  });

  it("three failed calls open the breaker: the next is 91 without reaching the server", async () => {
    const server = receiver();
    await server.script({ fail: 100, status: 500 });
    const breaker = new CircuitBreaker(3, 60_000);
    for (let i = 0; i < 3; i++)
      expect((await refusal(connector(server.url, breaker).verify(claim))).code).toBe(1005);
    const before = (await server.received()).length;
    const err = await refusal(connector(server.url, breaker).verify(claim));
    expect([err.code, err.status]).toEqual([91, 503]);
    expect((await server.received()).length).toBe(before);
  });
});

describe("kycConnectorFor", () => {
  it("the simulator in the sandbox, HTTP when configured, and never the simulator in production", () => {
    const config = loadConfig(env);
    expect(kycConnectorFor(config)).toBeInstanceOf(SandboxKycConnector);
    expect(
      kycConnectorFor({ ...config, UPSTREAM_URLS: { kyc: "https://bank.example/kyc/" } }),
    ).toBeInstanceOf(HttpKycConnector);
    expect(() => kycConnectorFor({ ...config, ENVIRONMENT: "production" })).toThrowError(
      expect.objectContaining({ code: 91, message: "The bank's kyc system is unavailable; retry later" }),
    );
  });
});
