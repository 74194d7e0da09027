import { env } from "cloudflare:workers";
import { settledOn } from "../../../src/modules/reconciliation/books";
import { DEFAULT_FEES } from "../../../src/modules/reconciliation/config";
import { SandboxSettlementSource } from "../../../src/modules/reconciliation/connector/sandbox";
import { admin, adminCall } from "../../support/admin";
import { call, tokenFor } from "../../support/http";
import { drain, paymentObject } from "../../support/objects";
import { db, provisionPartner } from "../../support/partners";

export const HEADER =
  "provider,settlement_date,type,provider_reference,payment_id,refund_id,amount,currency,fee,net";
export const SANDBOX_FEES = DEFAULT_FEES.sandbox ?? { capture_bps: 0, capture_fixed: 0, refund_fixed: 0 };

/** A sandbox partner making payments through the API, each drained to D1 (ledger, events, projection). */
export async function payer() {
  const p = await provisionPartner({ feeBps: 100 });
  const token = await tokenFor(p);
  const keys = new Map<string, string>();
  const pay = async (params: Record<string, unknown>) => {
    const key = crypto.randomUUID();
    const r = await call("POST", "/v1/payments", {
      token,
      json: { params: { amount: 100_000, currency: "UZS", payment_method_token: "pm_card_visa", ...params } },
      headers: { "Idempotency-Key": key },
    });
    if (r.res.status !== 200) throw new Error(`payment not created: ${JSON.stringify(r.body)}`);
    keys.set(r.body.result.id, key);
    await drain(paymentObject(p.id, key));
    return r.body.result as { id: string; provider_reference: string; status: string; created_at: string };
  };
  const refund = async (paymentId: string, amount?: number) => {
    const r = await call("POST", `/v1/payments/${paymentId}/refunds`, {
      token,
      json: { params: amount !== undefined ? { amount } : {} },
    });
    if (r.res.status !== 200) throw new Error(`refund not made: ${JSON.stringify(r.body)}`);
    await drain(paymentObject(p.id, keys.get(paymentId) ?? ""));
    return r.body.result as { id: string; amount: number };
  };
  return { partner: p, token, pay, refund };
}

/** The sandbox acquirer's report of `date`, as the scheduled fetch gets it. */
export async function sandboxReport(date: string): Promise<string> {
  const source = new SandboxSettlementSource((provider, s, e) => settledOn(db, provider, s, e), SANDBOX_FEES);
  const r = await source.report(date);
  if (!r.ok) throw new Error("no sandbox report");
  return r.csv;
}

/** A report's text as rows of fields keyed by column, and back. */
export type Row = Record<string, string>;
export const rowsOf = (csv: string): Row[] => {
  const [header, ...lines] = csv.trimEnd().split("\n");
  const cols = (header ?? "").split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i] ?? "", v])));
};
export const csvOf = (rows: Row[]) =>
  `${[
    HEADER,
    ...rows.map((r) =>
      HEADER.split(",")
        .map((c) => r[c] ?? "")
        .join(","),
    ),
  ].join("\n")}\n`;

/** The fee and net a line of `amount` should carry under the sandbox's rule. */
export const captureFee = (amount: number) =>
  Math.round((amount * SANDBOX_FEES.capture_bps) / 10_000) + SANDBOX_FEES.capture_fixed;

export const operator = () => admin("operator");
export const approver = () => admin("approver");

export async function importCsv(csv: string, token?: string, extra: Record<string, unknown> = {}) {
  return adminCall("POST", "/admin/v1/reconciliation/reports", {
    token: token ?? (await operator()).token,
    json: { params: { csv, ...extra } },
  });
}

export async function startRun(reportId: string, token?: string) {
  return adminCall("POST", "/admin/v1/reconciliation/runs", {
    token: token ?? (await operator()).token,
    json: { params: { report_id: reportId } },
  });
}

/** Every item of a run (all pages). */
export async function itemsOf(runId: string, token: string) {
  const items: {
    kind: string;
    line: number | null;
    payment_id: string | null;
    refund_id: string | null;
    exception_id: string | null;
    detail: Record<string, unknown>;
  }[] = [];
  let after: string | undefined;
  for (;;) {
    const r = await adminCall(
      "GET",
      `/admin/v1/reconciliation/runs/${runId}/items?limit=100${after ? `&starting_after=${after}` : ""}`,
      { token },
    );
    items.push(...r.body.result.data);
    if (!r.body.result.has_more) return items;
    after = r.body.result.data.at(-1).id;
  }
}

/** Ages a payment's projection: written `updated_at` and, for a pending one, its `next_action.expires_at`. */
export async function age(paymentId: string, fields: { updatedAt?: string; expiresAt?: string }) {
  if (fields.updatedAt)
    await env.DB.prepare("UPDATE payments SET updated_at = ? WHERE id = ?")
      .bind(fields.updatedAt, paymentId)
      .run();
  if (fields.expiresAt)
    await env.DB.prepare(
      "UPDATE payments SET snapshot = json_set(snapshot, '$.next_action.expires_at', ?) WHERE id = ?",
    )
      .bind(fields.expiresAt, paymentId)
      .run();
}
