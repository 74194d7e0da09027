import { ApiError } from "../../platform/errors";
import { toHex } from "../../platform/lib/ids";
import type { Currency } from "../../platform/lib/money";
import { constantTimeTextEqual } from "../../platform/lib/secret-hash";
import { getPayment, type PaymentDeps } from "../payments/payments";
import type { Dispute, DisputeReason } from "./model";
import { closeDispute, type DisputeDeps, openDispute, ReplayedNotification } from "./service";
import {
  disputeView,
  findDisputeById,
  findDisputeByReference,
  findPaymentByProviderReference,
  notificationDispute,
} from "./storage";

/**
 * The HTTP acquirer's dispute notifications (docs/disputes.md): signed with the shared secret
 * (`Portico-Acquirer-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`),
 * at most five minutes from now, each applied once by its id.
 */

/** The provider name the HTTP acquirer's payments carry. */
export const HTTP_ACQUIRER = "acquirer-http";
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck = "ok" | "invalid" | "stale";

export async function hmacHex(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(message))));
}

/** Checks the header against the raw body, in constant time; `nowSeconds` is the receiver's clock. */
export async function checkSignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
): Promise<SignatureCheck> {
  const parts = new Map(
    (header ?? "").split(",").map((p) => {
      const at = p.indexOf("=");
      return [p.slice(0, at).trim(), p.slice(at + 1).trim()] as const;
    }),
  );
  const t = parts.get("t") ?? "";
  const given = parts.get("v1");
  if (!/^\d{1,12}$/.test(t) || !given) return "invalid";
  const ok = constantTimeTextEqual(given.toLowerCase(), await hmacHex(secret, `${t}.${body}`));
  if (!ok) return "invalid";
  return Math.abs(nowSeconds - Number(t)) > SIGNATURE_TOLERANCE_SECONDS ? "stale" : "ok";
}

export type Notification =
  | {
      id: string;
      type: "dispute.opened";
      provider_reference: string;
      dispute_reference: string;
      amount: number;
      currency: Currency;
      reason: DisputeReason;
      evidence_due_by: string;
    }
  | { id: string; type: "dispute.won" | "dispute.lost"; dispute_reference: string };

export interface NotificationOutcome {
  replayed: boolean;
  dispute: Dispute;
}

/** Applies a verified notification once; a replayed id answers the dispute as it is. */
export async function applyNotification(
  deps: DisputeDeps & { payments: PaymentDeps },
  n: Notification,
  now: string,
): Promise<NotificationOutcome> {
  const seen = await replayOf(deps, n.id);
  if (seen) return seen;
  const ref = { id: n.id, provider: HTTP_ACQUIRER, type: n.type };
  try {
    if (n.type === "dispute.opened") {
      const found = await findPaymentByProviderReference(deps.db, HTTP_ACQUIRER, n.provider_reference);
      if (!found)
        throw new ApiError("acquirer_payment_unknown", {
          provider: HTTP_ACQUIRER,
          reference: n.provider_reference,
        });
      const payment = await getPayment(deps.payments, found.partnerId, found.id);
      if (payment.currency !== n.currency) {
        const field = "currency";
        throw new ApiError("validation", { field, msg: `The payment is in ${payment.currency}` }, { field });
      }
      const dispute = await openDispute(deps, {
        payment,
        partnerId: found.partnerId,
        amount: n.amount,
        reason: n.reason,
        provider: HTTP_ACQUIRER,
        providerDisputeReference: n.dispute_reference,
        evidenceDueBy: n.evidence_due_by,
        now,
        notification: ref,
      });
      return { replayed: false, dispute };
    }
    const row = await findDisputeByReference(deps.db, HTTP_ACQUIRER, n.dispute_reference);
    if (!row) throw new ApiError("not_found", { resource: `dispute ${n.dispute_reference}` });
    const outcome = n.type === "dispute.won" ? "won" : "lost";
    const closed = await closeDispute(deps, row, outcome, ["needs_response", "under_review"], now, ref);
    return { replayed: false, dispute: disputeView(closed) };
  } catch (err) {
    // The same notification, delivered twice at once: the other delivery applied it.
    if (err instanceof ReplayedNotification) {
      const again = await replayOf(deps, n.id);
      if (again) return again;
    }
    throw err;
  }
}

async function replayOf(deps: DisputeDeps, id: string): Promise<NotificationOutcome | undefined> {
  const disputeId = await notificationDispute(deps.db, id);
  const row = disputeId ? await findDisputeById(deps.db, disputeId) : undefined;
  return row ? { replayed: true, dispute: disputeView(row) } : undefined;
}
