import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { publishTerms } from "../../src/modules/onboarding/terms";
import { profileCache } from "../../src/modules/partners/profile";
import { sha256Hex } from "../../src/platform/lib/ids";
import { call, tokenFor } from "../support/http";
import { db, provisionPartner } from "../support/partners";
import { securitySuite } from "../support/security-suite";
import { sandboxCall } from "./support";

const SUITE_VERSION = "security-suite";
const SUITE_TEXT = "The terms the security suite accepts.";
const SUITE_SHA = await sha256Hex(SUITE_TEXT);

let published = 0;
/** A new current version (published a little later than the last), due by `acceptBy`. */
async function publish(acceptBy: Date) {
  published += 1;
  const version = `2026-12-${crypto.randomUUID().slice(0, 8)}`;
  const text = `Portico terms of service, version ${version}.\nClause ${published}: be excellent.`;
  const at = new Date(Date.now() - 60_000 + published);
  const doc = await publishTerms(
    db,
    { version, text, acceptBy: acceptBy.toISOString(), publishedAt: at.toISOString() },
    at,
  );
  profileCache.invalidate();
  return doc;
}

const acceptances = (partnerId: string) =>
  env.DB.prepare("SELECT * FROM terms_acceptances WHERE partner_id = ?")
    .bind(partnerId)
    .all<Record<string, unknown>>();

describe("terms of service", () => {
  it("serves the current version with its hash", async () => {
    const doc = await publish(new Date(Date.now() + 86_400_000));
    expect(doc.sha256).toBe(await sha256Hex(doc.text));
    const partner = await provisionPartner();
    const { res, body } = await call("GET", "/v1/terms", { token: await tokenFor(partner) });
    expect(res.status).toBe(200);
    expect(body.result).toEqual({ ...doc, accepted_at: null });
  });

  it("accepts one exact version, recording who, when, from where and the hash; once", async () => {
    const doc = await publish(new Date(Date.now() + 86_400_000));
    const partner = await provisionPartner();
    const token = await tokenFor(partner);
    const headers = { "CF-Connecting-IP": "198.51.100.7" };

    const wrongVersion = await call("POST", "/v1/terms/accept", {
      token,
      headers,
      json: { params: { version: "1999-01", sha256: doc.sha256 } },
    });
    expect(wrongVersion.res.status).toBe(409);
    expect(wrongVersion.body.error).toMatchObject({ code: 125, reason: "terms_version_mismatch" });
    const wrongHash = await call("POST", "/v1/terms/accept", {
      token,
      headers,
      json: { params: { version: doc.version, sha256: "0".repeat(64) } },
    });
    expect(wrongHash.res.status).toBe(422);
    expect(wrongHash.body.error).toMatchObject({ code: 126, reason: "terms_hash_mismatch" });
    expect((await acceptances(partner.id)).results).toEqual([]);

    const ok = await call("POST", "/v1/terms/accept", {
      token,
      headers,
      json: { params: { version: doc.version, sha256: doc.sha256.toUpperCase() } },
    });
    expect(ok.res.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.result).toMatchObject({
      object: "terms_acceptance",
      version: doc.version,
      sha256: doc.sha256,
      accepted_by: { kind: "credential", id: partner.consumerKey },
      ip: "198.51.100.7",
    });
    const rows = (await acceptances(partner.id)).results;
    expect(rows).toEqual([
      expect.objectContaining({
        version: doc.version,
        sha256: doc.sha256,
        accepted_by_kind: "credential",
        accepted_by: partner.consumerKey,
        ip: "198.51.100.7",
        accepted_at: ok.body.result.accepted_at,
      }),
    ]);

    const twice = await call("POST", "/v1/terms/accept", {
      token,
      json: { params: { version: doc.version, sha256: doc.sha256 } },
    });
    expect(twice.res.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 127, reason: "terms_already_accepted" });
    expect((await acceptances(partner.id)).results).toHaveLength(1);
    const read = await call("GET", "/v1/terms", { token });
    expect(read.body.result.accepted_at).toBe(ok.body.result.accepted_at);
  });

  it("after the deadline, refuses every other call with 403, code 24, until the partner accepts", async () => {
    const partner = await provisionPartner();
    const token = await tokenFor(partner);
    expect((await call("GET", "/v1/partner", { token })).res.status).toBe(200);

    // A new version still within its deadline: calls go on.
    const withNotice = await publish(new Date(Date.now() + 86_400_000));
    profileCache.invalidate(partner.id);
    expect((await call("GET", "/v1/partner", { token })).res.status).toBe(200);
    void withNotice;

    // One past its deadline: refused, except the terms calls.
    const overdue = await publish(new Date(Date.now() - 1000));
    profileCache.invalidate(partner.id);
    for (const path of ["/v1/partner", "/v1/balance", "/v1/payments"]) {
      const r = await call("GET", path, { token });
      expect(r.res.status, path).toBe(403);
      expect(r.body, path).toMatchObject({
        result: null,
        error: { code: 24, reason: "terms_acceptance_required" },
      });
      expect(r.body.error.message).toContain(overdue.version);
    }
    const post = await call("POST", "/v1/payments", {
      token,
      json: { params: { amount: 1000, currency: "UZS", payment_method_token: "pm_card_visa" } },
    });
    expect(post.body.error.code).toBe(24);
    expect((await call("GET", "/v1/terms", { token })).res.status).toBe(200);
    const accepted = await call("POST", "/v1/terms/accept", {
      token,
      json: { params: { version: overdue.version, sha256: overdue.sha256 } },
    });
    expect(accepted.res.status).toBe(201);
    // Lifted at once in this isolate: the acceptance clears the cached profile.
    expect((await call("GET", "/v1/partner", { token })).res.status).toBe(200);
  });

  it("does not exist in the sandbox Worker", async () => {
    for (const [method, path] of [
      ["GET", "/v1/terms"],
      ["POST", "/v1/terms/accept"],
    ] as const) {
      const r = await sandboxCall(method, path);
      expect(r.res.status, path).toBe(404);
      expect(r.body.error.code, path).toBe(31);
    }
  });

  it("never replaces a published version (code 130)", async () => {
    const doc = await publish(new Date(Date.now() + 86_400_000));
    await expect(publishTerms(db, { version: doc.version, text: "other text" })).rejects.toMatchObject({
      code: 130,
    });
  });

  securitySuite({ method: "GET", path: "/v1/terms", product: null, scope: "partner:read" });
  securitySuite({
    method: "POST",
    path: "/v1/terms/accept",
    product: null,
    scope: "partner:write",
    json: { params: { version: SUITE_VERSION, sha256: SUITE_SHA } },
    okStatus: 201,
    // The version the body names, made current (publishing it twice is refused: 130).
    prepare: async () => {
      await publishTerms(db, { version: SUITE_VERSION, text: SUITE_TEXT }).catch(() => undefined);
      profileCache.invalidate();
    },
  });
});
