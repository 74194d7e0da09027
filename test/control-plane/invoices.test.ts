import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { billedPartner, close, invoicesOfPartner } from "../modules/billing/invoicing/support";

// Production numbers its invoices in its own series: the counter is per environment and year.
describe("invoices in production", () => {
  it("issue in production's own series, live", async () => {
    const p = await billedPartner();
    await close(p.id, { environment: "production" });
    const [inv] = await invoicesOfPartner(p.id);
    const counter = await env.DB.prepare(
      "SELECT environment, next FROM invoice_counters WHERE series = 'INV' AND environment = 'production'",
    ).first<{ environment: string; next: number }>();
    expect(counter?.next).toBe(Number(inv?.number.slice(-6)) + 1);
    const event = await env.DB.prepare(
      "SELECT livemode, data FROM events WHERE partner_id = ? AND type = 'invoice.issued'",
    )
      .bind(p.id)
      .first<{ livemode: number; data: string }>();
    expect(event?.livemode).toBe(1);
    expect(JSON.parse(event?.data ?? "{}").object).toMatchObject({ number: inv?.number, livemode: true });
  });
});
