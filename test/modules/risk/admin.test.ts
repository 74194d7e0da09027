import { describe, expect, it } from "vitest";
import { admin, adminCall } from "../../support/admin";
import { always, riskPartner } from "./support";

describe("admin: a partner's risk configuration", () => {
  it("a viewer reads the partner's rules in order, its lists, settings and audit; another partner's stay apart", async () => {
    const s = await riskPartner();
    const late = await s.rule({
      name: "late",
      position: 50,
      conditions: [always],
      action: "block",
      mode: "dry_run",
    });
    const early = await s.rule({ name: "early", position: 1, conditions: [always], action: "hold" });
    const entry = await s.listEntry({ list: "block", type: "country", value: "KP" });
    const other = await riskPartner();
    await other.rule({ name: "theirs", conditions: [always], action: "block" });

    const { token } = await admin("viewer");
    const r = await adminCall("GET", `/admin/v1/partners/${s.p.id}/risk`, { token });
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({
      partner_id: s.p.id,
      rules: [early, late],
      lists: [entry],
      settings: { scoring_timeout_ms: 300, scoring_fallback: "hold" },
    });
    expect(r.body.result.audit.map((a: { action: string }) => a.action)).toEqual([
      "risk_list_entry.created",
      "risk_rule.created",
      "risk_rule.created",
    ]);
    const unknown = await adminCall("GET", `/admin/v1/partners/${crypto.randomUUID()}/risk`, { token });
    expect(unknown.res.status).toBe(404);
  });
});
