import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { call, fetchWithEnv, tokenFor } from "../support/http";
import { provisionPartner } from "../support/partners";

const auditOf = async (partnerId: string) =>
  (await env.DB.prepare("SELECT * FROM audit_log WHERE partner_id = ? ORDER BY id").bind(partnerId).all())
    .results as {
    action: string;
    resource: string | null;
    outcome: number;
    request_id: string;
    personal_data: number;
  }[];

describe("audit log", () => {
  it("records every write with its outcome, refusals too; plain reads are not written", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const created = await call("POST", "/v1/payments", {
      token,
      json: { params: { amount: 100, currency: "UZS", payment_method_token: "pm_card_visa" } },
      headers: { "X-Request-Id": "req-audit-1" },
    });
    await call("POST", `/v1/payments/${created.body.result.id}/capture`, { token });
    await call("GET", `/v1/payments/${created.body.result.id}`, { token });
    const rows = await auditOf(p.id);
    expect(rows.map((r) => [r.action, r.resource, r.outcome])).toEqual([
      ["POST /v1/payments", null, 200],
      ["POST /v1/payments/{id}/capture", created.body.result.id, 409],
    ]);
    expect(rows[0]?.request_id).toBe("req-audit-1");
    expect(rows[0]?.personal_data).toBe(0);
  });

  it("is append-only: the database refuses to change or delete a row", async () => {
    const p = await provisionPartner();
    await call("POST", "/v1/payments", {
      token: await tokenFor(p),
      json: { params: { amount: 100, currency: "UZS", payment_method_token: "pm_card_visa" } },
    });
    await expect(
      env.DB.prepare("UPDATE audit_log SET outcome = 200 WHERE partner_id = ?").bind(p.id).run(),
    ).rejects.toThrow(/append-only/);
    await expect(
      env.DB.prepare("DELETE FROM audit_log WHERE partner_id = ?").bind(p.id).run(),
    ).rejects.toThrow(/append-only/);
  });
});

describe("kill switch", () => {
  it("a product switched off answers 503, code 22, before any work; other products still answer", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const headers = {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
      "Idempotency-Key": "k-1",
    };
    const off = await fetchWithEnv(createApp(), { PRODUCTS_DISABLED: "payments,fx" }, "/v1/payments", {
      method: "POST",
      headers,
      body: JSON.stringify({
        params: { amount: 100, currency: "UZS", payment_method_token: "pm_card_visa" },
      }),
    });
    expect(off.res.status).toBe(503);
    expect(off.body.error).toMatchObject({ code: 22, retryable: true });
    expect(off.res.headers.get("Retry-After")).toBe("60");
    const count = await env.DB.prepare("SELECT count(*) AS n FROM payments WHERE partner_id = ?")
      .bind(p.id)
      .first();
    expect(count?.n).toBe(0);
    const other = await fetchWithEnv(createApp(), { PRODUCTS_DISABLED: "payments" }, "/v1/partner", {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(other.res.status).toBe(200);
    const bad = await fetchWithEnv(createApp(), { PRODUCTS_DISABLED: "nonsense" }, "/v1/partner", {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(bad.body.error.code).toBe(90);
  });
});
