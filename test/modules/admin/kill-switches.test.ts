import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { adminAuditLog } from "../../../src/modules/admin/storage";
import { killSwitches } from "../../../src/platform/db/schema";
import { admin, adminCall } from "../../support/admin";
import { tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";

const rates = "/v1/fx/rates?sell_currency=USD&buy_currency=UZS";

describe("admin: kill switches", () => {
  afterEach(async () => {
    await db.delete(killSwitches);
  });

  it("a product switched off through the API refuses its routes at once (22), and back on serves them", async () => {
    const p = await provisionPartner();
    const bearer = { Authorization: `Bearer ${await tokenFor(p)}` };
    expect((await adminCall("GET", rates, { headers: bearer })).res.status).toBe(200);
    const op = await admin("operator");
    const off = await adminCall("PUT", "/admin/v1/kill-switches/fx", {
      token: op.token,
      json: { params: { disabled: true, reason: "rate feed incident" } },
    });
    expect(off.res.status).toBe(200);
    expect(off.body.result).toMatchObject({
      product: "fx",
      disabled: true,
      disabled_by_switch: true,
      disabled_by_configuration: false,
      updated_by: op.email,
      reason: "rate feed incident",
    });
    const refused = await adminCall("GET", rates, { headers: bearer });
    expect(refused.res.status).toBe(503);
    expect(refused.body.error.code).toBe(22);
    expect(refused.res.headers.get("Retry-After")).toBe("60");
    // Other products are untouched.
    expect((await adminCall("GET", "/v1/payments", { headers: bearer })).res.status).toBe(200);

    const on = await adminCall("PUT", "/admin/v1/kill-switches/fx", {
      token: op.token,
      json: { params: { disabled: false, reason: "feed restored" } },
    });
    expect(on.body.result.disabled).toBe(false);
    expect((await adminCall("GET", rates, { headers: bearer })).res.status).toBe(200);
    const audit = await db.select().from(adminAuditLog).where(eq(adminAuditLog.target, "fx"));
    expect(
      audit.map((a) => [a.action, a.outcome, (a.diff?.after as { disabled: boolean } | undefined)?.disabled]),
    ).toEqual([
      ["kill_switch.set", 200, true],
      ["kill_switch.set", 200, false],
    ]);
  });

  it("lists every product merged with PRODUCTS_DISABLED, which the API cannot turn on", async () => {
    const op = await admin("operator");
    const env = { PRODUCTS_DISABLED: "cards" };
    await adminCall("PUT", "/admin/v1/kill-switches/cards", {
      token: op.token,
      json: { params: { disabled: false, reason: "try to turn it on" } },
      env,
    });
    const list = await adminCall("GET", "/admin/v1/kill-switches", {
      token: (await admin("viewer")).token,
      env,
    });
    expect(list.res.status).toBe(200);
    expect(list.body.result).toHaveLength(7);
    expect(list.body.result.find((k: { product: string }) => k.product === "cards")).toMatchObject({
      disabled: true,
      disabled_by_configuration: true,
      disabled_by_switch: false,
    });
    const p = await provisionPartner();
    const cards = await adminCall("GET", "/v1/cards", {
      headers: { Authorization: `Bearer ${await tokenFor(p)}` },
      env,
    });
    expect(cards.body.error.code).toBe(22);
  });

  it("a viewer cannot switch; an unknown product or a missing reason is refused; nothing changes", async () => {
    const viewer = await admin("viewer");
    const r = await adminCall("PUT", "/admin/v1/kill-switches/fx", {
      token: viewer.token,
      json: { params: { disabled: true, reason: "viewer" } },
    });
    expect(r.body.error.code).toBe(104);
    const op = await admin("operator");
    const unknown = await adminCall("PUT", "/admin/v1/kill-switches/crypto", {
      token: op.token,
      json: { params: { disabled: true, reason: "no such product" } },
    });
    expect(unknown.body.error.code).toBe(4);
    const noReason = await adminCall("PUT", "/admin/v1/kill-switches/fx", {
      token: op.token,
      json: { params: { disabled: true } },
    });
    expect(noReason.body.error.code).toBe(4);
    expect(await db.select().from(killSwitches)).toEqual([]);
  });
});
