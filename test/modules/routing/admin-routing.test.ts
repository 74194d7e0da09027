import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAuditLog } from "../../../src/modules/admin/storage";
import { admin, adminCall, expectDocumented } from "../../support/admin";
import { call, tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";

const path = (id: string) => `/admin/v1/partners/${id}/routing`;
const rules = [
  {
    name: "UZ cards",
    conditions: { card_countries: ["UZ"], methods: ["card"] },
    target: { provider: "http" },
  },
  {
    name: "half and half",
    conditions: { currencies: ["UZS"], amount: { min: 1, max: 1_000_000 } },
    target: {
      split: [
        { provider: "sandbox", percent: 50 },
        { provider: "sandbox_b", percent: 50 },
      ],
    },
  },
  {
    conditions: { bin_range: { from: "400000", to: "499999" } },
    target: { priority: ["sandbox_b", "sandbox"] },
  },
];
const put = (id: string, token: string, params: unknown) =>
  adminCall("PUT", path(id), { token, json: { params } });

describe("admin API: a partner's routing", () => {
  it("reads the environment's default before any change; an operator replaces it, audited, and payments follow it", async () => {
    const p = await provisionPartner();
    const viewer = await admin("viewer");
    const before = await adminCall("GET", path(p.id), { token: viewer.token });
    expect(before.res.status).toBe(200);
    expect(before.body.result).toEqual({
      object: "routing",
      partner_id: p.id,
      rules: [],
      default_priority: null,
      environment_default: ["sandbox", "sandbox_b"],
      available_providers: ["sandbox", "sandbox_b", "http"],
      version: 0,
      updated_at: null,
    });
    const op = await admin("operator");
    const set = await put(p.id, op.token, {
      rules,
      default_priority: ["sandbox_b"],
      reason: "acquirer B pilot",
    });
    expect(set.res.status).toBe(200);
    expect(set.body.result).toMatchObject({ rules, default_priority: ["sandbox_b"], version: 1 });
    const again = await put(p.id, op.token, { rules: rules.slice(0, 1), reason: "pilot over" });
    expect(again.body.result).toMatchObject({ rules: rules.slice(0, 1), default_priority: null, version: 2 });

    const audit = await db
      .select()
      .from(adminAuditLog)
      .where(and(eq(adminAuditLog.partnerId, p.id), eq(adminAuditLog.action, "routing.set")));
    expect(audit.map((a) => [a.identity, a.outcome, a.reason])).toEqual([
      [op.email, 200, "acquirer B pilot"],
      [op.email, 200, "pilot over"],
    ]);
    expect(audit[0]?.diff).toMatchObject({ before: { version: 0, rules: [] }, after: { version: 1, rules } });

    // Payments follow the rules from now on: a UZ card would go to http, this US card to the default.
    const token = await tokenFor(p);
    const paid = await call("POST", "/v1/payments", {
      token,
      json: { params: { amount: 1_000, currency: "UZS", payment_method_token: "pm_card_visa" } },
    });
    expect(paid.body.result).toMatchObject({ status: "captured", provider: "sandbox" });
  });

  it("refuses what cannot route (200, 201, 202) and malformed bodies (4), changing nothing", async () => {
    const p = await provisionPartner();
    const op = await admin("operator");
    const cases: [unknown, number, number][] = [
      [{ rules: [{ conditions: {}, target: { provider: "acme" } }], reason: "try" }, 400, 200],
      [{ rules: [], default_priority: ["sandbox", "nope"], reason: "try" }, 400, 200],
      [
        {
          rules: [
            {
              conditions: {},
              target: {
                split: [
                  { provider: "sandbox", percent: 60 },
                  { provider: "sandbox_b", percent: 30 },
                ],
              },
            },
          ],
          reason: "try",
        },
        400,
        201,
      ],
      [
        {
          rules: [
            {
              conditions: {},
              target: {
                split: [
                  { provider: "sandbox", percent: 50 },
                  { provider: "sandbox", percent: 50 },
                ],
              },
            },
          ],
          reason: "try",
        },
        400,
        201,
      ],
      [
        {
          rules: [
            { conditions: { bin_range: { from: "500000", to: "400000" } }, target: { provider: "sandbox" } },
          ],
          reason: "try",
        },
        400,
        202,
      ],
      [
        {
          rules: [{ conditions: { amount: { min: 10, max: 1 } }, target: { provider: "sandbox" } }],
          reason: "try",
        },
        400,
        202,
      ],
      [
        { rules: [{ conditions: {}, target: { priority: ["sandbox", "sandbox"] } }], reason: "try" },
        400,
        202,
      ],
      [
        {
          rules: [
            { conditions: { bin_range: { from: "4000", to: "5000" } }, target: { provider: "sandbox" } },
          ],
          reason: "try",
        },
        400,
        4,
      ],
      [
        { rules: [{ conditions: { colour: "red" }, target: { provider: "sandbox" } }], reason: "try" },
        400,
        4,
      ],
      [{ rules: [{ conditions: {}, target: { provider: 7 } }], reason: "try" }, 400, 4],
      [{ rules: [{ conditions: {}, target: {} }], reason: "try" }, 400, 4],
      [{ rules: "all to sandbox", reason: "try" }, 400, 3],
      [{ rules: [] }, 400, 4],
    ];
    for (const [params, status, code] of cases) {
      const r = await put(p.id, op.token, params);
      expect([r.res.status, r.body.error?.code], JSON.stringify(params)).toEqual([status, code]);
    }
    const noBody = await adminCall("PUT", path(p.id), { token: op.token });
    expect(noBody.res.status).toBe(400);
    const notJson = await adminCall("PUT", path(p.id), {
      token: op.token,
      json: undefined,
      headers: { "Content-Type": "application/json" },
    });
    expect(notJson.res.status).toBe(400);
    const read = await adminCall("GET", path(p.id), { token: op.token });
    expect(read.body.result).toMatchObject({ rules: [], version: 0 });
    await expectDocumented("adminSetRouting", [
      [400, 200],
      [400, 201],
      [400, 202],
      [400, 4],
      [404, 30],
      [403, 104],
      [401, 100],
    ]);
    await expectDocumented("adminGetRouting", [[200], [404, 30], [403, 103]]);
  });

  it("roles, unknown partners, wrong methods and missing credentials", async () => {
    const p = await provisionPartner();
    const viewer = await admin("viewer");
    const refused = await put(p.id, viewer.token, { rules: [], reason: "not mine to do" });
    expect([refused.res.status, refused.body.error.code]).toEqual([403, 104]);
    const nobody = await admin(null);
    expect((await adminCall("GET", path(p.id), { token: nobody.token })).body.error.code).toBe(103);
    expect((await adminCall("GET", path(p.id))).body.error.code).toBe(100);
    const op = await admin("operator");
    const unknown = crypto.randomUUID();
    expect((await adminCall("GET", path(unknown), { token: op.token })).res.status).toBe(404);
    const missing = await put(unknown, op.token, { rules: [], reason: "nobody there" });
    expect([missing.res.status, missing.body.error.code]).toEqual([404, 30]);
    expect((await adminCall("GET", path("not-a-uuid"), { token: op.token })).res.status).toBe(400);
    const wrong = await adminCall("DELETE", path(p.id), { token: op.token });
    expect([wrong.res.status, wrong.body.error.code]).toEqual([405, 5]);
    const refusals = await db
      .select()
      .from(adminAuditLog)
      .where(and(eq(adminAuditLog.partnerId, p.id), eq(adminAuditLog.action, "routing.set")));
    expect(refusals.map((a) => a.outcome)).toEqual([403]);
  });
});
