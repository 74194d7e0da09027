import { describe, expect, it } from "vitest";
import { admin } from "../../support/admin";
import { consoleCall, unescaped } from "../../support/console";
import { provisionPartner } from "../../support/partners";
import { seedTwoMonths } from "../billing/sla-pages-support";

/** A month's row of the table, its tags stripped. */
const rowOf = (html: string, month: string) =>
  (new RegExp(`<tr data-sla="${month}">(.*?)</tr>`).exec(html)?.[1] ?? "").replace(/<[^>]+>/g, "|");

describe("the console's partner page: service levels", () => {
  it("shows the partner's this month and last month against its tier's targets", async () => {
    const p = await provisionPartner({ tier: "standard" });
    const other = await provisionPartner({ tier: "standard" });
    const m = await seedTwoMonths(other.id);
    await seedTwoMonths(p.id);
    const { token } = await admin("viewer");
    const r = await consoleCall("GET", `/console/partners/${p.id}`, { token });
    expect(r.res.status).toBe(200);
    const text = unescaped(r.text);
    expect(text).toContain("Service levels: this month and last month");
    const previous = rowOf(text, m.previous.month);
    expect(previous).toContain("|1000|");
    expect(previous).toContain("99.40 %, target 99.50 %: missed");
    expect(previous).toContain("801 ms, target 800 ms: missed");
    expect(previous).toContain("15.00 % of the recurring fee");
    const current = rowOf(text, m.current.month);
    expect(current).toContain("|200|");
    expect(current).toContain("100.00 %, target 99.50 %: met");
    expect(current).toContain("none");
  });

  it("shows a partner without calls as not measured", async () => {
    const p = await provisionPartner({ tier: "enterprise" });
    const { token } = await admin("viewer");
    const r = await consoleCall("GET", `/console/partners/${p.id}`, { token });
    expect(r.res.status).toBe(200);
    expect(unescaped(r.text)).toContain("—, target 99.90 %: not measured");
    expect(unescaped(r.text)).toContain("—, target 300 ms: not measured");
  });
});
