import { env } from "cloudflare:workers";
import { ledgerImbalance } from "../../../src/modules/ledger/storage";
import { call, tokenFor } from "../../support/http";
import { db, fund, provisionPartner } from "../../support/partners";

export const visa = { amount: 100_000, currency: "UZS", payment_method_token: "pm_card_visa" };

/** A funded partner with a dispute fee and a captured payment of 100 000 UZS (1 % capture fee). */
export async function disputable(opts: { disputeFee?: number } = {}) {
  const p = await provisionPartner({ feeBps: 100 });
  await env.DB.prepare("UPDATE partner_contracts SET dispute_fee_minor = ? WHERE partner_id = ?")
    .bind(opts.disputeFee ?? 1_500, p.id)
    .run();
  await fund(p.id, 500_000);
  const token = await tokenFor(p);
  const payment = (await call("POST", "/v1/payments", { token, json: { params: visa } })).body.result;
  const open = (params?: Record<string, unknown>, paymentId: string = payment.id) =>
    call("POST", `/v1/sandbox/payments/${paymentId}/dispute`, {
      token,
      ...(params ? { json: { params } } : {}),
    });
  const evidence = (id: string, params: Record<string, unknown>) =>
    call("POST", `/v1/disputes/${id}/evidence`, { token, json: { params } });
  const simulate = (id: string, outcome: "won" | "lost") =>
    call("POST", `/v1/sandbox/disputes/${id}/simulate`, { token, json: { params: { outcome } } });
  const available = async () => {
    const r = await call("GET", "/v1/balance", { token });
    return (r.body.result.available as { currency: string; amount: number }[]).find(
      (b) => b.currency === "UZS",
    )?.amount;
  };
  return { p, token, payment, open, evidence, simulate, available };
}

/** Signed balance of one ledger account, positive on its normal side. */
export async function accountBalance(owner: string, code: string, currency = "UZS") {
  const row = await env.DB.prepare(
    `SELECT COALESCE(SUM(CASE WHEN p.direction = a.normal_balance THEN p.amount ELSE -p.amount END), 0) AS b
     FROM postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.id = ?`,
  )
    .bind(`${owner}:${code}:${currency}`)
    .first<{ b: number }>();
  return Number(row?.b ?? 0);
}

/** The dispute's entries: kind → postings as `code direction amount`. */
export async function entriesOf(disputeId: string) {
  const rows = await env.DB.prepare(
    `SELECT e.kind, a.owner, a.code, p.direction, p.amount FROM journal_entries e
     JOIN postings p ON p.entry_id = e.id JOIN ledger_accounts a ON a.id = p.account_id
     WHERE e.reference = ? ORDER BY e.created_at, e.kind, a.code, p.direction, p.amount`,
  )
    .bind(disputeId)
    .all<{ kind: string; owner: string; code: string; direction: string; amount: number }>();
  const out: Record<string, string[]> = {};
  for (const r of rows.results) {
    const key = r.kind;
    out[key] = [
      ...(out[key] ?? []),
      `${r.owner === "platform" ? "platform" : "partner"}:${r.code} ${r.direction} ${r.amount}`,
    ];
  }
  for (const k of Object.keys(out)) out[k]?.sort();
  return out;
}

export const balanced = async () => (await ledgerImbalance(db)).every((r) => Number(r.imbalance) === 0);

export const eventsOf = async (partnerId: string) =>
  (
    await env.DB.prepare(
      "SELECT type, data FROM events WHERE partner_id = ? AND type LIKE 'dispute.%' ORDER BY id",
    )
      .bind(partnerId)
      .all<{ type: string; data: string }>()
  ).results.map((r) => ({ type: r.type, object: JSON.parse(r.data).object }));

/** A tiny but real PDF, in base64. */
export const PDF = btoa("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
export const PNG = btoa(String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0));
