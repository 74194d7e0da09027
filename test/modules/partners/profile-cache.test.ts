import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { partnerContracts } from "../../../src/modules/partners/storage";
import { call, tokenFor } from "../../support/http";
import { db, provisionPartner, suspendPartner } from "../../support/partners";

afterEach(() => {
  vi.useRealTimers();
});

describe("partner profile cache", () => {
  it("serves verification from the cache, and a suspension bites within the TTL (≤ 60 s)", async () => {
    const ttl = Number(env.PROFILE_CACHE_TTL_SECONDS);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-22T12:00:00.000Z"));
    const p = await provisionPartner();
    const token = await tokenFor(p);
    expect((await call("GET", "/v1/partner", { token })).res.status).toBe(200);

    await suspendPartner(p.id);
    // Still cached: the request did not read D1, or it would have seen the suspension.
    vi.setSystemTime(new Date(Date.parse("2026-11-22T12:00:00.000Z") + (ttl - 1) * 1000));
    expect((await call("GET", "/v1/partner", { token })).res.status).toBe(200);

    vi.setSystemTime(new Date(Date.parse("2026-11-22T12:00:00.000Z") + (ttl + 1) * 1000));
    const refused = await call("GET", "/v1/partner", { token });
    expect(refused.res.status).toBe(403);
    expect(refused.body.error.code).toBe(14);
  });

  it("a token verified once still expires on time", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-22T14:00:00.000Z"));
    const p = await provisionPartner();
    const token = await tokenFor(p);
    expect((await call("GET", "/v1/partner", { token })).res.status).toBe(200);
    vi.setSystemTime(new Date("2026-11-22T14:59:59.000Z"));
    expect((await call("GET", "/v1/partner", { token })).res.status).toBe(200);
    vi.setSystemTime(new Date("2026-11-22T15:00:00.000Z"));
    const expired = await call("GET", "/v1/partner", { token });
    expect(expired.res.status).toBe(401);
    expect(expired.body.error.code).toBe(12);
  });

  it("picks up a contract change within the TTL", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-22T13:00:00.000Z"));
    const p = await provisionPartner({ tier: "standard" });
    const token = await tokenFor(p);
    expect((await call("GET", "/v1/partner", { token })).body.result.tier).toBe("standard");
    await db.update(partnerContracts).set({ tier: "enterprise" }).where(eq(partnerContracts.partnerId, p.id));
    vi.setSystemTime(new Date("2026-11-22T13:01:01.000Z"));
    const after = await call("GET", "/v1/partner", { token });
    expect(after.body.result.tier).toBe("enterprise");
    expect(after.res.headers.get("RateLimit-Limit")).toBe("1000");
  });
});
