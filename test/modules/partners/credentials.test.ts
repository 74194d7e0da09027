import { describe, expect, it } from "vitest";
import { call, requestToken, tokenFor } from "../../support/http";
import { provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

const createOwned = async (_owner: TestPartner, token: string) => {
  const r = await call("POST", "/v1/partner/credentials", {
    token,
    json: { params: { description: "owned" } },
  });
  return r.body.result.id as string;
};

securitySuite({ method: "GET", path: "/v1/partner/credentials", product: null, scope: "partner:read" });
securitySuite({
  method: "POST",
  path: "/v1/partner/credentials",
  product: null,
  scope: "partner:write",
  json: { params: { description: "x" } },
  okStatus: 201,
});
securitySuite({
  method: "DELETE",
  path: "/v1/partner/credentials/{id}",
  product: null,
  scope: "partner:write",
  createOwned,
});

describe("credential rotation", () => {
  it("creates a working key pair, shows the secret once, revokes the old pair", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const created = await call("POST", "/v1/partner/credentials", {
      token,
      json: { id: crypto.randomUUID(), params: { description: "new billing server" } },
    });
    expect(created.res.status).toBe(201);
    const fresh = created.body.result;
    expect(fresh).toMatchObject({
      object: "credential",
      status: "active",
      description: "new billing server",
    });
    expect(fresh.consumer_key).toMatch(/^ck_test_[\w-]{24}$/);
    expect(fresh.consumer_secret).toMatch(/^cs_test_[\w-]{43}$/);

    const viaNew = await requestToken({
      consumerKey: fresh.consumer_key,
      consumerSecret: fresh.consumer_secret,
    });
    expect(viaNew.res.status).toBe(200);

    const list = await call("GET", "/v1/partner/credentials", { token });
    expect(list.body.result.data).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain(fresh.consumer_secret);
    expect(list.body.result.data[0].id).toBe(fresh.id); // newest first

    const old = list.body.result.data[1];
    const revoked = await call("DELETE", `/v1/partner/credentials/${old.id}`, {
      token: viaNew.body.access_token,
    });
    expect(revoked.body.result).toMatchObject({ id: old.id, status: "revoked" });
    expect(revoked.body.result.revoked_at).toBeTruthy();
    expect((await requestToken(p)).body.error).toBe("invalid_client");
    const again = await call("GET", "/v1/partner", { token: viaNew.body.access_token });
    expect(again.res.status).toBe(200);
  });
});
