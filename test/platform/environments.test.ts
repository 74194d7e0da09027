import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { WWW_AUTHENTICATE } from "../../src/modules/partners/authenticate";
import type { Env } from "../../src/platform/env";
import { basic, fetchWithEnv, tokenFor } from "../support/http";
import { provisionPartner } from "../support/partners";

// The same code configured as production (same keys and https issuer here, so only the environment differs).
const production: Partial<Env> = { ENVIRONMENT: "production", WEBHOOK_ALLOW_LOOPBACK: "false" };
const app = createApp();

const send = (path: string, init: RequestInit) => fetchWithEnv(app, production, path, init);

describe("sandbox and production never mix", () => {
  it("production refuses a sandbox consumer key with a clear error", async () => {
    const p = await provisionPartner();
    const r = await send("/oauth2/token", {
      method: "POST",
      headers: {
        Authorization: basic(p.consumerKey, p.consumerSecret),
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    expect(r.res.status).toBe(401);
    expect(r.body).toEqual({
      error: "invalid_client",
      error_description: "This is a sandbox credential; the production environment does not accept it",
    });
  });

  it("production refuses a sandbox token, even one signed by a key it trusts", async () => {
    const p = await provisionPartner();
    const r = await send("/v1/partner", { headers: { Authorization: `Bearer ${await tokenFor(p)}` } });
    expect(r.res.status).toBe(401);
    expect(r.res.headers.get("WWW-Authenticate")).toBe(WWW_AUTHENTICATE.invalid);
    expect(r.body.error).toMatchObject({
      code: 13,
      message: "The credential belongs to the sandbox environment; this is production",
    });
  });
});
