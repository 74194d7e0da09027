import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SANDBOX_CUSTOMER_REF } from "../../../src/modules/accounts/connector/sandbox-data";
import { customerIdentityFor } from "../../../src/modules/oauth/customer-identity";
import { HttpCustomerIdentity } from "../../../src/modules/oauth/customer-identity/http";
import {
  SandboxCustomerIdentity,
  sandboxTotpCode,
} from "../../../src/modules/oauth/customer-identity/sandbox";
import {
  SANDBOX_CUSTOMERS,
  SANDBOX_MAIN_CUSTOMER_REF,
} from "../../../src/modules/oauth/customer-identity/sandbox-customers";
import { loadConfig } from "../../../src/platform/env";
import { refusal, testUpstream } from "../../support/upstream";
import { receiver } from "../../support/webhooks";

const [aziz, nodira] = SANDBOX_CUSTOMERS;
const AT = Date.parse("2026-06-01T12:00:00Z");

describe("the sandbox customer identity system", () => {
  const identity = new SandboxCustomerIdentity(SANDBOX_CUSTOMERS, () => AT);

  it("the main test customer is the accounts sandbox's customer, so accounts read after his authorisation", () => {
    expect(SANDBOX_MAIN_CUSTOMER_REF).toBe(SANDBOX_CUSTOMER_REF);
    expect(aziz?.customerRef).toBe(SANDBOX_CUSTOMER_REF);
  });

  it("authenticates a test customer by login (any case) and password", async () => {
    expect(await identity.authenticate("Aziz ", aziz?.password ?? "")).toEqual({
      ok: true,
      customer: { customerRef: SANDBOX_CUSTOMER_REF, displayName: "Aziz Karimov" },
    });
  });

  it("refuses a wrong password and an unknown login alike", async () => {
    const refused = { ok: false, reason: "invalid_credentials" };
    expect(await identity.authenticate("aziz", "wrong")).toEqual(refused);
    expect(await identity.authenticate("aziz", `${aziz?.password}x`)).toEqual(refused);
    expect(await identity.authenticate("aziz", "")).toEqual(refused);
    expect(await identity.authenticate("nobody", aziz?.password ?? "")).toEqual(refused);
    expect(await identity.authenticate("nodira", aziz?.password ?? "")).toEqual(refused);
  });

  it("the second factor: the TOTP code of now, or one step either side; nothing else", async () => {
    const ref = SANDBOX_CUSTOMER_REF;
    const { challengeId } = await identity.startChallenge(ref);
    const secret = aziz?.totpSecret ?? "";
    expect(await identity.verifyChallenge(ref, challengeId, sandboxTotpCode(secret, AT))).toBe(true);
    expect(await identity.verifyChallenge(ref, challengeId, sandboxTotpCode(secret, AT - 30_000))).toBe(true);
    expect(await identity.verifyChallenge(ref, challengeId, sandboxTotpCode(secret, AT + 30_000))).toBe(true);
    expect(await identity.verifyChallenge(ref, challengeId, sandboxTotpCode(secret, AT - 120_000))).toBe(
      false,
    );
    expect(await identity.verifyChallenge(ref, "another", sandboxTotpCode(secret, AT))).toBe(false);
    expect(await identity.verifyChallenge(ref, challengeId, "12345")).toBe(false);
    expect(await identity.verifyChallenge(ref, challengeId, "abcdef")).toBe(false);
  });

  it("the customer who always fails the second factor: no code is right", async () => {
    const ref = nodira?.customerRef ?? "";
    expect((await identity.authenticate("nodira", nodira?.password ?? "")).ok).toBe(true);
    const { challengeId } = await identity.startChallenge(ref);
    for (const code of ["000000", "123456", sandboxTotpCode(aziz?.totpSecret ?? "", AT)])
      expect(await identity.verifyChallenge(ref, challengeId, code)).toBe(false);
  });

  it("the sandbox has no upstream: the simulator; production without one refuses (91)", () => {
    expect(customerIdentityFor(loadConfig(env))).toBeInstanceOf(SandboxCustomerIdentity);
    const production = { ...loadConfig(env), ENVIRONMENT: "production" as const };
    expect(() => customerIdentityFor(production)).toThrow(expect.objectContaining({ code: 91 }));
    const configured = {
      ...loadConfig(env),
      UPSTREAM_URLS: { customer_identity: "https://idp.bank.example/v1/" },
    };
    expect(customerIdentityFor(configured)).toBeInstanceOf(HttpCustomerIdentity);
  });
});

// Against the real local HTTP server of the test set-up, as the other HTTP connectors' tests.
const http = (url: string) => new HttpCustomerIdentity(testUpstream("customer_identity", url));

describe("the customer identity system over HTTP", () => {
  it("posts the login and password in the body, and reads the customer", async () => {
    const server = receiver();
    await server.script({
      body: JSON.stringify({ authenticated: true, customer_ref: "cust-42", display_name: "A. C." }),
    });
    expect(await http(server.url).authenticate("alice", "pw")).toEqual({
      ok: true,
      customer: { customerRef: "cust-42", displayName: "A. C." },
    });
    const [sent] = await server.received();
    expect(JSON.parse(sent?.body ?? "")).toEqual({ login: "alice", password: "pw" });
  });

  it("reads the bank's refusal as a refusal", async () => {
    const server = receiver();
    await server.script({ body: JSON.stringify({ authenticated: false }) });
    expect(await http(server.url).authenticate("alice", "wrong")).toEqual({
      ok: false,
      reason: "invalid_credentials",
    });
  });

  it("starts a challenge, and verifies a code sent in the body", async () => {
    const start = receiver();
    await start.script({ body: JSON.stringify({ challenge_id: "ch-1" }) });
    expect(await http(start.url).startChallenge("cust 42")).toEqual({ challengeId: "ch-1" });
    const verify = receiver();
    await verify.script({ body: JSON.stringify({ verified: false }) });
    expect(await http(verify.url).verifyChallenge("cust 42", "ch-1", "654321")).toBe(false);
    const [sent] = await verify.received();
    expect(JSON.parse(sent?.body ?? "")).toEqual({ code: "654321" });
  });

  it("an answer off the contract is a failed answer (1005), and a 400 too", async () => {
    const odd = receiver();
    await odd.script({ body: JSON.stringify({ authenticated: "yes" }) });
    expect((await refusal(http(odd.url).authenticate("alice", "pw"))).code).toBe(1005);
    const bad = receiver();
    await bad.script({ fail: 5, status: 400 });
    expect((await refusal(http(bad.url).verifyChallenge("c", "ch", "1"))).code).toBe(1005);
  });
});
