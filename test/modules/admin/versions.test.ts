import { describe, expect, it } from "vitest";
import { apiVersionUsage } from "../../../src/platform/db/schema";
import { VERSIONS } from "../../../src/platform/versions/registry";
import { admin, adminCall } from "../../support/admin";
import { db, provisionPartner } from "../../support/partners";

describe("admin: which partners call which API version", () => {
  it("lists every published version with its deprecation and the partners that called it", async () => {
    const p = await provisionPartner();
    const [old, current] = [VERSIONS[0]?.date as string, VERSIONS.at(-1)?.date as string];
    const at = new Date().toISOString();
    await db.insert(apiVersionUsage).values([
      { partnerId: p.id, version: old, calls: 7, firstSeenAt: at, lastSeenAt: at },
      { partnerId: p.id, version: current, calls: 3, firstSeenAt: at, lastSeenAt: at },
    ]);
    const viewer = await admin("viewer");
    const r = await adminCall("GET", "/admin/v1/versions", { token: viewer.token });
    expect(r.res.status).toBe(200);
    const versions = r.body.result.versions as {
      version: string;
      deprecated: boolean;
      partners: unknown[];
    }[];
    expect(versions.map((v) => v.version)).toEqual(VERSIONS.map((v) => v.date));
    expect(versions[0]).toMatchObject({ version: old, deprecated: true });
    expect(versions.at(-1)).toMatchObject({ version: current, deprecated: false });
    expect(versions[0]?.partners).toContainEqual(expect.objectContaining({ partner_id: p.id, calls: 7 }));
    expect(versions.at(-1)?.partners).toContainEqual(expect.objectContaining({ partner_id: p.id, calls: 3 }));
  });

  it("is not for a partner's token", async () => {
    const r = await adminCall("GET", "/admin/v1/versions", {});
    expect(r.res.status).toBe(401);
    expect(r.body.error.code).toBe(100);
  });
});
