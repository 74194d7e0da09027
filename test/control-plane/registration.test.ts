import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { PRODUCTS } from "../../src/platform/catalog";
import { basic, call } from "../support/http";
import {
  freshIpv6,
  received,
  register,
  registration,
  sandboxCall,
  TURNSTILE_FAIL,
  TURNSTILE_PASS,
  turnstileAnswers,
  verificationEmail,
} from "./support";

const prodRegistration = (email: string) =>
  env.DB.prepare("SELECT * FROM registrations WHERE contact_email = ?")
    .bind(email)
    .first<Record<string, unknown>>();
const registrationCount = async () =>
  (await env.DB.prepare("SELECT count(*) AS n FROM registrations").first<{ n: number }>())?.n ?? 0;
const sandboxPartnerCount = async () =>
  (await env.SANDBOX_DB.prepare("SELECT count(*) AS n FROM partners").first<{ n: number }>())?.n ?? 0;

beforeEach(async () => {
  await turnstileAnswers(TURNSTILE_PASS);
});

describe("POST /onboarding/register", () => {
  it("creates the registration in production and the sandbox partner in the sandbox Worker, credentials shown once", async () => {
    const params = registration();
    const ip = freshIpv6();
    const { res, body } = await register(params, ip);
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const result = body.result;
    expect(result).toMatchObject({
      object: "registration",
      company_name: params.company_name,
      country: "UZ",
      contact_email: params.contact_email,
      products: ["payments", "cards"],
      email_verified: false,
      sandbox: { environment: "sandbox", username: params.contact_email, products: [...PRODUCTS] },
    });
    expect(result.sandbox.consumer_key).toMatch(/^ck_test_/);
    const secret: string = result.sandbox.consumer_secret;

    // Production holds the registration and the sandbox partner's id, never its secret or a hash of it.
    const row = await prodRegistration(params.contact_email);
    expect(row).toMatchObject({
      status: "registered",
      sandbox_partner_id: result.sandbox.partner_id,
      registered_from_ip: ip,
    });
    expect(String(row?.password_hash)).toMatch(/^pbkdf2-sha256\$/);
    const prodPartner = await env.DB.prepare("SELECT id FROM partners WHERE id = ?")
      .bind(result.sandbox.partner_id)
      .first();
    expect(prodPartner).toBeNull();
    const prodDump = JSON.stringify(
      await env.DB.prepare("SELECT * FROM registrations WHERE id = ?").bind(result.id).all(),
    );
    expect(prodDump).not.toContain(secret);
    expect(prodDump).not.toContain(params.password);
    const sandboxHash = await env.SANDBOX_DB.prepare(
      "SELECT secret_hash FROM partner_credentials WHERE partner_id = ?",
    )
      .bind(result.sandbox.partner_id)
      .first<{ secret_hash: string }>();
    expect(sandboxHash?.secret_hash).toMatch(/^sha256\$/);
    expect(prodDump).not.toContain(sandboxHash?.secret_hash);
    const prodCredentials = await env.DB.prepare(
      "SELECT count(*) AS n FROM partner_credentials WHERE consumer_key = ?",
    )
      .bind(result.sandbox.consumer_key)
      .first<{ n: number }>();
    expect(prodCredentials?.n).toBe(0);

    // The sandbox Worker's D1: the partner, every sandbox product, the contact email as its user.
    const contract = await env.SANDBOX_DB.prepare(
      "SELECT p.environment, p.name, c.products, c.tier FROM partners p JOIN partner_contracts c ON c.partner_id = p.id WHERE p.id = ?",
    )
      .bind(result.sandbox.partner_id)
      .first<{ environment: string; name: string; products: string; tier: string }>();
    expect(contract).toMatchObject({ environment: "sandbox", name: params.company_name, tier: "sandbox" });
    expect(JSON.parse(contract?.products ?? "[]")).toEqual([...PRODUCTS]);
    const user = await env.SANDBOX_DB.prepare(
      "SELECT username, password_hash FROM partner_users WHERE partner_id = ?",
    )
      .bind(result.sandbox.partner_id)
      .first<{ username: string; password_hash: string }>();
    expect(user?.username).toBe(params.contact_email);
    expect(user?.password_hash).toMatch(/^pbkdf2-sha256\$/);
    expect(user?.password_hash).not.toBe(row?.password_hash);

    // The credentials work on the sandbox Worker: a password-grant token, then a sandbox call.
    const token = await sandboxCall("POST", "/oauth2/token", {
      headers: {
        Authorization: basic(result.sandbox.consumer_key, secret),
        "Content-Type": "application/json",
      },
      body: JSON.stringify({
        grant_type: "password",
        username: params.contact_email,
        password: params.password,
      }),
    });
    expect(token.res.status, JSON.stringify(token.body)).toBe(200);
    const me = await sandboxCall("GET", "/v1/partner", {
      headers: { Authorization: `Bearer ${token.body.access_token}` },
    });
    expect(me.res.status).toBe(200);
    expect(me.body.result).toMatchObject({
      id: result.sandbox.partner_id,
      environment: "sandbox",
      products: [...PRODUCTS],
    });

    // Turnstile was asked with the secret, the token and the client IP.
    const checks = await received("turnstile");
    expect(JSON.parse(checks.at(-1)?.body ?? "{}")).toEqual({
      secret: "test-turnstile-secret",
      response: params.turnstile_token,
      remoteip: ip,
    });
    // The verification email left through the outbox and the HTTP connector, with its bearer token.
    const mail = await verificationEmail(params.contact_email);
    expect(mail.headers.authorization).toBe("Bearer test-notify-token");
    expect(mail.body.text).toContain("https://portico.test/portal/verify?token=");
    expect(mail.body.text).not.toContain(params.password);
  });

  it("refuses a duplicate contact email (any case) and creates nothing", async () => {
    const params = registration();
    expect((await register(params)).res.status).toBe(201);
    const before = [await registrationCount(), await sandboxPartnerCount()];
    const again = await register({ ...params, contact_email: params.contact_email.toUpperCase() });
    expect(again.res.status).toBe(409);
    expect(again.body).toMatchObject({
      result: null,
      error: { code: 120, reason: "email_already_registered" },
    });
    expect([await registrationCount(), await sandboxPartnerCount()]).toEqual(before);
  });

  const long = "x".repeat(3000);
  const cases: [string, Record<string, unknown>, number, string][] = [
    ["missing company_name", { company_name: undefined }, 4, "params.company_name"],
    ["company_name of the wrong type", { company_name: 42 }, 3, "params.company_name"],
    ["company_name too long", { company_name: long }, 4, "params.company_name"],
    ["missing country", { country: undefined }, 4, "params.country"],
    ["country not ISO alpha-2", { country: "Uzbekistan" }, 4, "params.country"],
    ["missing contact_email", { contact_email: undefined }, 4, "params.contact_email"],
    ["contact_email not an email", { contact_email: "not-an-email" }, 4, "params.contact_email"],
    ["contact_email too long", { contact_email: `${"a".repeat(250)}@x.example` }, 4, "params.contact_email"],
    ["missing password", { password: undefined }, 4, "params.password"],
    ["password too short", { password: "Short1" }, 4, "params.password"],
    ["password without a digit", { password: "only-letters-here" }, 4, "params.password"],
    ["password too long", { password: `A1${long}` }, 4, "params.password"],
    ["missing products", { products: undefined }, 4, "params.products"],
    ["products not an array", { products: "payments" }, 3, "params.products"],
    ["an unknown product", { products: ["payments", "crypto"] }, 4, "params.products.1"],
    ["no product", { products: [] }, 4, "params.products"],
    ["missing use_case", { use_case: undefined }, 4, "params.use_case"],
    ["use_case too long", { use_case: long }, 4, "params.use_case"],
    ["missing turnstile_token", { turnstile_token: undefined }, 4, "params.turnstile_token"],
  ];
  for (const [name, change, code, field] of cases) {
    it(`refuses ${name} (code ${code}) and creates nothing`, async () => {
      const before = [await registrationCount(), await sandboxPartnerCount()];
      const checks = (await received("turnstile")).length;
      const { res, body } = await register(registration(change));
      expect(res.status).toBe(400);
      expect(body).toMatchObject({ result: null, error: { code, field } });
      expect([await registrationCount(), await sandboxPartnerCount()]).toEqual(before);
      expect((await received("turnstile")).length).toBe(checks);
    });
  }

  it("refuses a password containing the email's name", async () => {
    const { res, body } = await register(
      registration({ contact_email: "alice@acme.example", password: "alice-likes-2-cats" }),
    );
    expect(res.status).toBe(400);
    expect(body.error).toMatchObject({ code: 4, field: "params.password" });
  });

  it("refuses broken JSON (code 2) and a body that is not JSON (code 33)", async () => {
    const headers = { "CF-Connecting-IP": freshIpv6(), "Content-Type": "application/json" };
    const broken = await call("POST", "/onboarding/register", { body: "{", headers });
    expect(broken.res.status).toBe(400);
    expect(broken.body).toMatchObject({ result: null, error: { code: 2 } });
    const text = await call("POST", "/onboarding/register", {
      body: "company=acme",
      headers: { ...headers, "Content-Type": "text/plain" },
    });
    expect(text.res.status).toBe(415);
    expect(text.body.error.code).toBe(33);
  });

  it("refuses a failed Turnstile check with code 121 and creates nothing", async () => {
    await turnstileAnswers(TURNSTILE_FAIL);
    const before = [await registrationCount(), await sandboxPartnerCount()];
    const params = registration();
    const { res, body } = await register(params);
    expect(res.status).toBe(403);
    expect(body).toMatchObject({ result: null, error: { code: 121, reason: "turnstile_failed" } });
    expect(body.error.message).toContain("invalid-input-response");
    expect([await registrationCount(), await sandboxPartnerCount()]).toEqual(before);
    expect(await prodRegistration(params.contact_email)).toBeNull();
  });

  it("answers 502 (code 1005) when siteverify fails, and creates nothing", async () => {
    await turnstileAnswers(null, 500);
    const before = [await registrationCount(), await sandboxPartnerCount()];
    const { res, body } = await register(registration());
    expect(res.status).toBe(502);
    expect(body.error.code).toBe(1005);
    expect([await registrationCount(), await sandboxPartnerCount()]).toEqual(before);
  });

  it("limits registrations per client IP (the daily quota, code 41), counting refused attempts too", async () => {
    const ip = freshIpv6();
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) {
      answers.push((await register(registration(i === 0 ? { country: "bad" } : {}), ip)).res.status);
      // Apart by more than the 2-a-second window (its sliding estimate weighs the last second's too).
      await new Promise((r) => setTimeout(r, 1100));
    }
    expect(answers).toEqual([400, 201, 201]);
    const before = [await registrationCount(), await sandboxPartnerCount()];
    const refused = await register(registration(), ip);
    expect(refused.res.status).toBe(429);
    expect(refused.body).toMatchObject({ result: null, error: { code: 41, reason: "quota_exceeded" } });
    expect(Number(refused.res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect([await registrationCount(), await sandboxPartnerCount()]).toEqual(before);
    // Another address is not affected.
    expect((await register(registration())).res.status).toBe(201);
  });

  it("does not exist in the sandbox Worker", async () => {
    const { res, body } = await sandboxCall("POST", "/onboarding/register", {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ params: registration() }),
    });
    expect(res.status).toBe(404);
    expect(body.error.code).toBe(31);
  });
});
