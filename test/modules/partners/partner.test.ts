import { describe, expect, it } from "vitest";
import { call, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

securitySuite({ method: "GET", path: "/v1/partner", product: null, scope: "partner:read" });

describe("GET /v1/partner", () => {
  it("returns the caller's own profile in the envelope", async () => {
    const p = await provisionPartner({ tier: "standard", products: ["payments", "cards"], dailyQuota: 5000 });
    const { res, body } = await call("GET", "/v1/partner", { token: await tokenFor(p) });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    expect(body.error).toBeNull();
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.result).toMatchObject({
      id: p.id,
      object: "partner",
      environment: "sandbox",
      livemode: false,
      status: "active",
      tier: "standard",
      products: ["payments", "cards"],
      limits: { requests_per_second: 100, daily_quota: 5000 },
    });
    expect(body.result.scopes).toEqual(
      expect.arrayContaining(["payments:write", "cards:read", "partner:read"]),
    );
    expect(body.result.scopes).not.toContain("lending:read");
  });

  it("reports the scopes of the token, which may be narrower than the contract", async () => {
    const p = await provisionPartner();
    const { body } = await call("GET", "/v1/partner", { token: await tokenFor(p, "partner:read") });
    expect(body.result.token_scopes).toEqual(["partner:read"]);
  });

  it("honours a contract's own rate limit over its tier's", async () => {
    const p = await provisionPartner({ tier: "sandbox", rateLimitPerSecond: 7 });
    const { res, body } = await call("GET", "/v1/partner", { token: await tokenFor(p) });
    expect(body.result.limits.requests_per_second).toBe(7);
    expect(res.headers.get("RateLimit-Limit")).toBe("7");
  });
});
