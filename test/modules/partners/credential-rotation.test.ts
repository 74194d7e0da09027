import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { partnerCredentials } from "../../../src/modules/partners/storage";
import { call, requestToken, tokenFor } from "../../support/http";
import { db, provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

const createOwned = async (_owner: TestPartner, token: string) => {
  const r = await call("POST", "/v1/partner/credentials", {
    token,
    json: { params: { description: "owned" } },
  });
  return r.body.result.id as string;
};

securitySuite({
  method: "POST",
  path: "/v1/partner/credentials/{id}/rotate",
  product: null,
  scope: "partner:write",
  json: { params: { overlap_seconds: 60 } },
  okStatus: 201,
  createOwned,
});

const keyOf = async (id: string) =>
  (await db.select().from(partnerCredentials).where(eq(partnerCredentials.id, id)))[0];

async function firstKeyId(p: TestPartner, token: string) {
  const list = await call("GET", "/v1/partner/credentials", { token });
  return list.body.result.data.find((k: { consumer_key: string }) => k.consumer_key === p.consumerKey)
    .id as string;
}

describe("POST /v1/partner/credentials/{id}/rotate", () => {
  it("issues the successor (secret once) and ends the old key after the overlap; both work meanwhile", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const id = await firstKeyId(p, token);
    const key = crypto.randomUUID();
    const before = Date.now();
    const rotated = await call("POST", `/v1/partner/credentials/${id}/rotate`, {
      token,
      headers: { "Idempotency-Key": key },
      json: { params: { overlap_seconds: 3600 } },
    });
    expect(rotated.res.status).toBe(201);
    const { previous: old, ...credential } = rotated.body.result;
    expect(credential.consumer_secret).toMatch(/^cs_test_/);
    expect(credential.status).toBe("active");
    expect(old).toMatchObject({ id, status: "active", consumer_key: p.consumerKey });
    const ends = Date.parse(old.expires_at);
    expect(ends).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(ends).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect((await keyOf(id))?.expiresAt).toBe(old.expires_at);
    // Both keys obtain tokens during the overlap; the token endpoint wrote the old key's last use.
    expect((await requestToken(p)).res.status).toBe(200);
    const successor = { consumerKey: credential.consumer_key, consumerSecret: credential.consumer_secret };
    expect((await requestToken(successor)).res.status).toBe(200);
    // A replay answers the same credentials, without the secret.
    const replay = await call("POST", `/v1/partner/credentials/${id}/rotate`, {
      token,
      headers: { "Idempotency-Key": key },
      json: { params: { overlap_seconds: 3600 } },
    });
    expect(replay.body.result).toMatchObject({ id: credential.id, consumer_secret: null });
    const list = await call("GET", "/v1/partner/credentials", { token });
    expect(list.body.result.data).toHaveLength(2);
  });

  it("without a body the overlap is a day; with 0 the old key stops at once and reads as revoked", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const id = await firstKeyId(p, token);
    const day = await call("POST", `/v1/partner/credentials/${id}/rotate`, { token });
    expect(day.res.status).toBe(201);
    const ends = Date.parse(day.body.result.previous.expires_at) - Date.now();
    expect(ends).toBeGreaterThan(86_400_000 - 60_000);
    expect(ends).toBeLessThanOrEqual(86_400_000);

    const q = await provisionPartner();
    const qToken = await tokenFor(q);
    const qId = await firstKeyId(q, qToken);
    const now = await call("POST", `/v1/partner/credentials/${qId}/rotate`, {
      token: qToken,
      json: { params: { overlap_seconds: 0 } },
    });
    expect(now.res.status).toBe(201);
    const refused = await requestToken(q);
    expect(refused.res.status).toBe(401);
    expect(refused.body.error).toBe("invalid_client");
    const successor = now.body.result;
    const fresh = await tokenFor({
      ...q,
      consumerKey: successor.consumer_key,
      consumerSecret: successor.consumer_secret,
    });
    const list = await call("GET", "/v1/partner/credentials", { token: fresh });
    const old = list.body.result.data.find((k: { id: string }) => k.id === qId);
    expect(old.status).toBe("revoked");
    expect(old.revoked_at).toBe(old.expires_at);
    // A key past its end cannot be rotated again.
    const again = await call("POST", `/v1/partner/credentials/${qId}/rotate`, { token: fresh });
    expect(again.res.status).toBe(404);
    expect(again.body.error.code).toBe(30);
  });

  it("refuses an overlap out of range or of the wrong type, and another partner's key, changing nothing", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const id = await firstKeyId(p, token);
    for (const overlap of [-1, 604_801, 1.5, "3600", null]) {
      const r = await call("POST", `/v1/partner/credentials/${id}/rotate`, {
        token,
        json: { params: { overlap_seconds: overlap } },
      });
      expect(r.res.status, String(overlap)).toBe(400);
      // 3: not a number at all; 4: a number out of range.
      expect([3, 4]).toContain(r.body.error.code);
    }
    const other = await provisionPartner();
    const otherToken = await tokenFor(other);
    const foreign = await call("POST", `/v1/partner/credentials/${id}/rotate`, { token: otherToken });
    expect(foreign.res.status).toBe(404);
    const row = await keyOf(id);
    expect(row?.expiresAt).toBeNull();
    const list = await call("GET", "/v1/partner/credentials", { token });
    expect(list.body.result.data).toHaveLength(1);
  });
});
