import { z } from "@hono/zod-openapi";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import type { Env } from "../../src/platform/env";
import { envelopeResponse, ok } from "../../src/platform/envelope";
import { v1Route } from "../../src/platform/http/define";
import { basic, fetchWithEnv, tokenFor } from "../support/http";
import { provisionPartner } from "../support/partners";

// A product route as the payments work will declare them, mounted on a fresh app.
const app = createApp();
app.openapi(
  v1Route(
    { product: "payments", scope: "payments:read" },
    {
      method: "get",
      path: "/v1/entitlement-probe",
      operationId: "probeEntitlement",
      responses: {
        200: {
          description: "ok",
          content: { "application/json": { schema: envelopeResponse(z.object({ ok: z.boolean() })) } },
        },
      },
    },
  ),
  (c) => ok(c, { ok: true }),
);

const send = (path: string, init: RequestInit, overrides: Partial<Env> = {}) =>
  fetchWithEnv(app, overrides, path, init);

describe("product and scope entitlement", () => {
  it("refuses an unlicensed product (21) before a missing scope, and admits an entitled call", async () => {
    const unlicensed = await provisionPartner({ products: ["cards"] });
    const r1 = await send("/v1/entitlement-probe", {
      headers: { Authorization: `Bearer ${await tokenFor(unlicensed)}` },
    });
    expect(r1.res.status).toBe(403);
    expect(r1.body.error).toMatchObject({
      code: 21,
      message: "The contract does not license the product: payments",
    });

    const licensed = await provisionPartner({ products: ["payments"] });
    const narrow = await tokenFor(licensed, "payments:write");
    const r2 = await send("/v1/entitlement-probe", { headers: { Authorization: `Bearer ${narrow}` } });
    expect(r2.res.status).toBe(403);
    expect(r2.body.error?.code).toBe(20);
    expect(r2.res.headers.get("WWW-Authenticate")).toBe(
      'Bearer realm="oauth2-resource", error="insufficient_scope", scope="payments:read"',
    );

    const r3 = await send("/v1/entitlement-probe", {
      headers: { Authorization: `Bearer ${await tokenFor(licensed)}` },
    });
    expect(r3.res.status).toBe(200);
    expect(r3.body.error).toBeNull();
  });
});

describe("logs", () => {
  it("carry the request id and never a secret, password, token or card number", async () => {
    const p = await provisionPartner();
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
    const spies = [
      vi.spyOn(console, "log").mockImplementation(capture),
      vi.spyOn(console, "warn").mockImplementation(capture),
      vi.spyOn(console, "error").mockImplementation(capture),
    ];
    const debug = { LOG_LEVEL: "debug" };
    const tokenRes = await send(
      "/oauth2/token",
      {
        method: "POST",
        headers: {
          Authorization: basic(p.consumerKey, p.consumerSecret),
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({
          grant_type: "password",
          username: p.username,
          password: p.password,
        }).toString(),
      },
      debug,
    );
    const token = (tokenRes.body as unknown as { access_token: string }).access_token;
    await send(
      "/v1/partner",
      { headers: { Authorization: `Bearer ${token}`, "X-Request-Id": "trace-me-12345" } },
      debug,
    );
    await send(
      "/v1/partner/credentials",
      {
        method: "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
          "Idempotency-Key": crypto.randomUUID(),
        },
        body: JSON.stringify({ params: { description: "card 4111 1111 1111 1111" } }),
      },
      debug,
    );
    await send(
      "/oauth2/token",
      { method: "POST", headers: { Authorization: basic(p.consumerKey, "wrong-secret") } },
      debug,
    );
    for (const s of spies) s.mockRestore();

    const all = lines.join("\n");
    expect(lines.length).toBeGreaterThan(2);
    expect(all).toContain("trace-me-12345");
    for (const secret of [
      p.consumerSecret,
      p.password,
      token,
      "wrong-secret",
      "4111 1111 1111 1111",
      "4111111111111111",
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
