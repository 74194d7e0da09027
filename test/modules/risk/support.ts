import { env } from "cloudflare:workers";
import { velocityObjectName } from "../../../durable-objects/risk-velocity";
import { call, tokenFor } from "../../support/http";
import { drain, paymentObject } from "../../support/objects";
import { provisionPartner } from "../../support/partners";

export const visa = { amount: 150_000, currency: "UZS", payment_method_token: "pm_card_visa" };
export const always = { field: "amount", op: "gte", value: 0 };

/** A partner with helpers over the API: rules, lists, payments and their objects. */
export async function riskPartner(feeBps = 0) {
  const p = await provisionPartner({ feeBps });
  const token = await tokenFor(p);
  const keys: string[] = [];
  const rule = async (params: Record<string, unknown>) => {
    const r = await call("POST", "/v1/risk/rules", { token, json: { params } });
    if (r.res.status !== 200) throw new Error(`rule refused: ${JSON.stringify(r.body)}`);
    return r.body.result;
  };
  const listEntry = async (params: Record<string, unknown>) =>
    (await call("POST", "/v1/risk/lists", { token, json: { params } })).body.result;
  const pay = async (params: Record<string, unknown> = visa, headers: Record<string, string> = {}) => {
    const key = crypto.randomUUID();
    keys.push(key);
    return call("POST", "/v1/payments", {
      token,
      json: { params },
      headers: { "Idempotency-Key": key, ...headers },
    });
  };
  const drainAll = async () => {
    for (const key of keys) await drain(paymentObject(p.id, key));
  };
  const events = async () =>
    (
      await env.DB.prepare("SELECT type, data FROM events WHERE partner_id = ? ORDER BY id").bind(p.id).all<{
        type: string;
        data: string;
      }>()
    ).results.map((r) => ({ type: r.type, object: JSON.parse(r.data).object ?? JSON.parse(r.data) }));
  const velocity = () => env.RISK.get(env.RISK.idFromName(velocityObjectName(env.ENVIRONMENT, p.id)));
  return { p, token, keys, rule, listEntry, pay, drainAll, events, velocity };
}

export const rows = async (sql: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all()
  ).results;
