import { describe, expect, it } from "vitest";
import { call, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

securitySuite({ method: "GET", path: "/v1/payments", product: "payments", scope: "payments:read" });

const pay = async (token: string, params: Record<string, unknown>) =>
  (
    await call("POST", "/v1/payments", {
      token,
      json: { params: { amount: 1000, currency: "UZS", ...params } },
    })
  ).body.result;

describe("GET /v1/payments", () => {
  it("lists newest first with a cursor, filters by status, follows state changes, shows only mine", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const a = await pay(token, { payment_method_token: "pm_card_visa" });
    const b = await pay(token, { payment_method_token: "pm_card_stolen" });
    const c = await pay(token, { payment_method_token: "pm_card_visa", capture: false });
    const other = await provisionPartner();
    await pay(await tokenFor(other), { payment_method_token: "pm_card_visa" });

    const first = await call("GET", "/v1/payments?limit=2", { token });
    expect(first.res.status).toBe(200);
    expect(first.body.result.data.map((x: { id: string }) => x.id)).toEqual([c.id, b.id]);
    expect(first.body.result.has_more).toBe(true);
    expect(first.body.result.data[0]).toEqual(c); // the full payment object
    const next = await call("GET", `/v1/payments?limit=2&starting_after=${b.id}`, { token });
    expect(next.body.result).toMatchObject({ has_more: false });
    expect(next.body.result.data.map((x: { id: string }) => x.id)).toEqual([a.id]);

    const failed = await call("GET", "/v1/payments?status=failed", { token });
    expect(failed.body.result.data.map((x: { id: string }) => x.id)).toEqual([b.id]);

    await call("POST", `/v1/payments/${c.id}/capture`, { token });
    const captured = await call("GET", "/v1/payments?status=captured", { token });
    expect(captured.body.result.data.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
      [c.id, "captured"],
      [a.id, "captured"],
    ]);
    expect((await call("GET", "/v1/payments?status=authorized", { token })).body.result.data).toEqual([]);
  });

  it("validates its query", async () => {
    const token = await tokenFor(await provisionPartner());
    expect((await call("GET", "/v1/payments?status=lost", { token })).body.error).toMatchObject({
      code: 4,
      field: "status",
    });
    expect((await call("GET", "/v1/payments?limit=0", { token })).body.error).toMatchObject({
      code: 4,
      field: "limit",
    });
    expect((await call("GET", "/v1/payments?limit=x", { token })).body.error).toMatchObject({
      code: 3,
      field: "limit",
    });
    expect((await call("GET", "/v1/payments?starting_after=1", { token })).body.error).toMatchObject({
      code: 4,
      field: "starting_after",
    });
  });
});
