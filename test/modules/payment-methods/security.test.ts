import { describe, expect, it } from "vitest";
import { call } from "../../support/http";
import type { TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";
import { consent, customerOf, partnerWithKey, tokenOf } from "./helpers";

const ownCustomer = async (_owner: TestPartner, token: string) => customerOf(token);

securitySuite({
  method: "POST",
  path: "/v1/customers",
  product: "payments",
  scope: "payments:write",
  json: { params: { metadata: { ref: "u-1" } } },
});
securitySuite({ method: "GET", path: "/v1/customers", product: "payments", scope: "payments:read" });
for (const [method, scope, json] of [
  ["GET", "payments:read", undefined],
  ["PATCH", "payments:write", { params: { name: "A" } }],
  ["DELETE", "payments:write", undefined],
] as const) {
  securitySuite({
    method,
    path: "/v1/customers/{id}",
    product: "payments",
    scope,
    ...(json ? { json } : {}),
    createOwned: ownCustomer,
    unknownId: unknownCustomer,
  });
}
securitySuite({
  method: "GET",
  path: "/v1/customers/{id}/payment_methods",
  product: "payments",
  scope: "payments:read",
  createOwned: ownCustomer,
  unknownId: unknownCustomer,
});

/** A customer id nobody has, of the form customer ids take. */
function unknownCustomer() {
  return `cus_${crypto.randomUUID().replace(/-/g, "")}`;
}

// The attach needs a fresh single-use token of the entitled partner: `prepare` makes one.
const attachBody = { token: "pm_none" };
securitySuite({
  method: "POST",
  path: "/v1/customers/{id}/payment_methods",
  product: "payments",
  scope: "payments:write",
  json: {
    get params() {
      return { payment_method_token: attachBody.token, consent };
    },
  },
  prepare: async (p) => {
    const { token } = await import("../../support/http").then(async (h) => ({ token: await h.tokenFor(p) }));
    const made = await call("POST", "/v1/partner/publishable_keys", { token, json: { params: {} } });
    attachBody.token = await tokenOf(made.body.result.key);
  },
  createOwned: ownCustomer,
  unknownId: unknownCustomer,
});

describe("DELETE /v1/customers/{id}/payment_methods/{method_id}", () => {
  it("refuses no token, a publishable key, and another partner's card as unknown", async () => {
    const { token, pk } = await partnerWithKey();
    const cus = await customerOf(token);
    const pm = await tokenOf(pk);
    const spm = (
      await call("POST", `/v1/customers/${cus}/payment_methods`, {
        token,
        json: { params: { payment_method_token: pm, consent } },
      })
    ).body.result.id;
    const path = `/v1/customers/${cus}/payment_methods/${spm}`;
    expect((await call("DELETE", path)).body.error.code).toBe(10);
    expect((await call("DELETE", path, { token: pk })).body.error.code).toBe(180);
    const intruder = await partnerWithKey();
    const foreign = await call("DELETE", path, { token: intruder.token });
    expect(foreign.res.status).toBe(404);
    expect(foreign.body.error.code).toBe(30);
    expect(
      (await call("GET", `/v1/customers/${cus}/payment_methods`, { token })).body.result.data,
    ).toHaveLength(1);
  });
});
