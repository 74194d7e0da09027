import { env } from "cloudflare:workers";
import type { RoutingRule } from "../../../src/modules/routing/model";
import { saveRouting } from "../../../src/modules/routing/storage";
import { call, tokenFor } from "../../support/http";
import { drain, paymentObject } from "../../support/objects";
import { db, provisionPartner } from "../../support/partners";

/** A partner whose every payment follows `rules` (else `defaultPriority`), with its token. */
export async function routedPartner(rules: RoutingRule[], defaultPriority: string[] | null = null) {
  const p = await provisionPartner({ feeBps: 100 });
  await saveRouting(db, {
    partnerId: p.id,
    rules,
    defaultPriority,
    updatedBy: "test",
    updatedAt: new Date().toISOString(),
  });
  const token = await tokenFor(p);
  const pay = async (params: Record<string, unknown>) => {
    const key = crypto.randomUUID();
    const r = await call("POST", "/v1/payments", {
      token,
      json: { params: { currency: "UZS", payment_method_token: "pm_card_visa", ...params } },
      headers: { "Idempotency-Key": key },
    });
    if (r.res.status !== 200) throw new Error(`payment not created: ${JSON.stringify(r.body)}`);
    return { payment: r.body.result, drain: () => drain(paymentObject(p.id, key)) };
  };
  return { p, token, pay };
}

export const everything = (target: RoutingRule["target"]): RoutingRule[] => [{ conditions: {}, target }];

export const rows = async (sql: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all()
  ).results;

/** What the second sandbox acquirer recorded for a payment: its own books. */
export const sandboxBRecords = (paymentId: string) =>
  rows(
    "SELECT idempotency_key, status, captured, refunded FROM sandbox_acquirer_attempts WHERE payment_id = ? ORDER BY idempotency_key",
    paymentId,
  );
