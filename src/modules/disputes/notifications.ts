import { ApiError } from "../../platform/errors";
import {
  ACQUIRER_SIGNATURE_TOLERANCE_S,
  checkAcquirerSignature,
} from "../../platform/lib/acquirer-signature";
import type { Currency } from "../../platform/lib/money";
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
export const HTTP_ACQUIRER = "http";
export const SIGNATURE_TOLERANCE_SECONDS = ACQUIRER_SIGNATURE_TOLERANCE_S;

export type SignatureCheck = "ok" | "invalid" | "stale";

/** Checks the header against the raw body, in constant time; `nowSeconds` is the receiver's clock. */
export const checkSignature = (
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
): Promise<SignatureCheck> => checkAcquirerSignature(secret, header, body, nowSeconds * 1000);

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
