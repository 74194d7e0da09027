import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { signVerificationToken } from "../../src/modules/onboarding/verification-link";
import { call } from "../support/http";
import {
  register,
  registration,
  TURNSTILE_PASS,
  tokenOfLink,
  turnstileAnswers,
  verificationEmail,
} from "./support";

const verifiedAt = async (id: string) =>
  (
    await env.DB.prepare("SELECT email_verified_at FROM registrations WHERE id = ?")
      .bind(id)
      .first<{ email_verified_at: string | null }>()
  )?.email_verified_at;

async function registered() {
  const params = registration();
  const { body } = await register(params);
  const mail = await verificationEmail(params.contact_email);
  return {
    id: body.result.id as string,
    email: params.contact_email,
    token: tokenOfLink(mail.body.text ?? ""),
  };
}

const verify = (token: string) => call("GET", `/onboarding/verify?token=${encodeURIComponent(token)}`);

beforeAll(async () => {
  await turnstileAnswers(TURNSTILE_PASS);
});

describe("GET /onboarding/verify", () => {
  it("verifies the contact email with the emailed link, once", async () => {
    const { id, token } = await registered();
    expect(await verifiedAt(id)).toBeNull();
    const first = await verify(token);
    expect(first.res.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.result).toMatchObject({ object: "email_verification", registration_id: id });
    expect(await verifiedAt(id)).toBe(first.body.result.email_verified_at);

    const again = await verify(token);
    expect(again.res.status).toBe(409);
    expect(again.body).toMatchObject({
      result: null,
      error: { code: 124, reason: "verification_link_used" },
    });
    expect(await verifiedAt(id)).toBe(first.body.result.email_verified_at);
  });

  it("refuses an altered link (code 122) and changes nothing", async () => {
    const { id, token } = await registered();
    const parts = token.split(".");
    const mac = parts[3] ?? "";
    const tampered = [
      [parts[0], parts[1], parts[2], `${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`].join("."),
      [parts[0], String(Number(parts[1]) + 86_400), parts[2], mac].join("."),
      [crypto.randomUUID(), parts[1], parts[2], mac].join("."),
      "not-a-token",
      `${token}.x`,
    ];
    for (const t of tampered) {
      const r = await verify(t);
      expect(r.res.status, t).toBe(400);
      expect(r.body).toMatchObject({
        result: null,
        error: { code: 122, reason: "verification_link_invalid" },
      });
    }
    expect(await verifiedAt(id)).toBeNull();
    expect((await verify(token)).res.status).toBe(200);
  });

  it("refuses an expired link (code 123) and changes nothing", async () => {
    const { id, email } = await registered();
    const row = await env.DB.prepare("SELECT verification_nonce FROM registrations WHERE id = ?")
      .bind(id)
      .first<{ verification_nonce: string }>();
    const expired = await signVerificationToken(env.WEBHOOK_SECRETS_KEY ?? "", {
      registrationId: id,
      email,
      expiresAt: new Date(Date.now() - 1000).toISOString(),
      nonce: row?.verification_nonce ?? "",
    });
    const r = await verify(expired);
    expect(r.res.status).toBe(410);
    expect(r.body).toMatchObject({ result: null, error: { code: 123, reason: "verification_link_expired" } });
    expect(await verifiedAt(id)).toBeNull();
  });

  it("refuses a missing token (code 4)", async () => {
    const r = await call("GET", "/onboarding/verify");
    expect(r.res.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 4, field: "token" });
  });

  it("keeps the link out of the stored event", async () => {
    const { id, token } = await registered();
    const event = await env.DB.prepare("SELECT data, type FROM events WHERE partner_id = ?")
      .bind(id)
      .first<{ data: string; type: string }>();
    expect(event?.type).toBe("onboarding.verification_email");
    expect(JSON.parse(event?.data ?? "{}")).toEqual({ object: { registration_id: id } });
    expect(event?.data).not.toContain(token.split(".")[3]);
  });
});
