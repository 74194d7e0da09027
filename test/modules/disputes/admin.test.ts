import { describe, expect, it } from "vitest";
import { admin, adminCall, expectDocumented } from "../../support/admin";
import { call } from "../../support/http";
import { disputable } from "./support";

describe("GET /admin/v1/disputes", () => {
  it("lists every partner's disputes with their partner, by status and partner; viewers and up only", async () => {
    const a = await disputable();
    const b = await disputable();
    const da = (await a.open()).body.result;
    const db = (await b.open({ amount: 5_000 })).body.result;
    await call("POST", `/v1/disputes/${da.id}/accept`, { token: a.token });
    const { token } = await admin("viewer");
    const byPartner = await adminCall("GET", `/admin/v1/disputes?partner_id=${b.p.id}`, { token });
    expect(byPartner.res.status).toBe(200);
    expect(byPartner.body.result).toEqual({
      data: [{ ...db, partner_id: b.p.id }],
      has_more: false,
    });
    const accepted = await adminCall("GET", "/admin/v1/disputes?status=accepted", { token });
    const ids = accepted.body.result.data.map((d: { id: string }) => d.id);
    expect(ids).toContain(da.id);
    expect(ids).not.toContain(db.id);
    const all = await adminCall("GET", "/admin/v1/disputes?limit=1", { token });
    expect(all.body.result).toMatchObject({ has_more: true, data: [{ id: db.id }] });
    const noRole = await adminCall("GET", "/admin/v1/disputes", { token: (await admin(null)).token });
    expect([noRole.res.status, noRole.body.error.code]).toEqual([403, 103]);
    const none = await adminCall("GET", "/admin/v1/disputes");
    expect([none.res.status, none.body.error.code]).toEqual([401, 100]);
    const bad = await adminCall("GET", "/admin/v1/disputes?status=open", { token });
    expect(bad.res.status).toBe(400);
    await expectDocumented("adminListDisputes", [[200], [403, 103], [401, 100], [400, 4]]);
  });
});
