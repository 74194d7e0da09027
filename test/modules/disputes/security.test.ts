import { describe, expect, it } from "vitest";
import { PRODUCTS } from "../../../src/platform/catalog";
import { call, tokenFor } from "../../support/http";
import { fund, provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";
import { PDF, visa } from "./support";

const ownedPayment = async (_o: TestPartner, token: string) =>
  (await call("POST", "/v1/payments", { token, json: { params: visa } })).body.result.id;
const ownedDispute = async (o: TestPartner, token: string) => {
  await fund(o.id, 200_000);
  const paymentId = await ownedPayment(o, token);
  return (await call("POST", `/v1/sandbox/payments/${paymentId}/dispute`, { token })).body.result.id;
};

const read = { product: "payments", scope: "payments:read" } as const;
const write = { product: "payments", scope: "payments:write" } as const;

securitySuite({ method: "GET", path: "/v1/disputes", ...read });
securitySuite({ method: "GET", path: "/v1/disputes/{id}", ...read, createOwned: ownedDispute });
securitySuite({
  method: "POST",
  path: "/v1/disputes/{id}/evidence",
  ...write,
  json: { params: { product_description: "x" } },
  createOwned: ownedDispute,
});
securitySuite({ method: "POST", path: "/v1/disputes/{id}/accept", ...write, createOwned: ownedDispute });
securitySuite({
  method: "POST",
  path: "/v1/disputes/{id}/evidence/documents",
  ...write,
  okStatus: 201,
  json: { params: { filename: "a.pdf", content_type: "application/pdf", content_base64: PDF } },
  createOwned: ownedDispute,
});
securitySuite({
  method: "POST",
  path: "/v1/sandbox/payments/{id}/dispute",
  ...write,
  createOwned: ownedPayment,
});
securitySuite({
  method: "POST",
  path: "/v1/sandbox/disputes/{id}/simulate",
  ...write,
  json: { params: { outcome: "won" } },
  createOwned: async (o, token) => {
    const id = await ownedDispute(o, token);
    await call("POST", `/v1/disputes/${id}/evidence`, {
      token,
      json: { params: { product_description: "x", submit: true } },
    });
    return id;
  },
});

// The document download carries two ids, which the shared suite cannot fill: its checks, by hand.
describe("security: GET /v1/disputes/{id}/evidence/documents/{document_id}", () => {
  const owned = async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const disputeId = await ownedDispute(p, token);
    const doc = await call("POST", `/v1/disputes/${disputeId}/evidence/documents`, {
      token,
      json: { params: { filename: "a.pdf", content_type: "application/pdf", content_base64: PDF } },
    });
    return { p, token, path: `/v1/disputes/${disputeId}/evidence/documents/${doc.body.result.id}` };
  };

  it("refuses no token, garbage, another scope and an unlicensed product; answers its partner only", async () => {
    const o = await owned();
    const none = await call("GET", o.path);
    expect([none.res.status, none.body.error.code]).toEqual([401, 10]);
    const garbage = await call("GET", o.path, { token: "not-a-jwt" });
    expect([garbage.res.status, garbage.body.error.code]).toEqual([401, 11]);
    const scoped = await call("GET", o.path, { token: await tokenFor(o.p, "events:read") });
    expect([scoped.res.status, scoped.body.error.code]).toEqual([403, 20]);
    const unlicensed = await provisionPartner({ products: PRODUCTS.filter((x) => x !== "payments") });
    const noProduct = await call("GET", o.path, { token: await tokenFor(unlicensed) });
    expect([noProduct.res.status, noProduct.body.error.code]).toEqual([403, 21]);
    const other = await call("GET", o.path, { token: await tokenFor(await provisionPartner()) });
    expect([other.res.status, other.body.error.code]).toEqual([404, 30]);
    const mine = await call("GET", o.path, { token: o.token });
    expect(mine.res.status).toBe(200);
    expect(mine.res.headers.get("Cache-Control")).toBe("private, no-store");
    const post = await call("POST", o.path, { token: o.token });
    expect(post.res.status).toBe(405);
  });
});
