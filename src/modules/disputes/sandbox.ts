import { getPayment, type PaymentDeps } from "../payments/payments";
import type { Dispute, DisputeReason } from "./model";
import { closeDispute, type DisputeDeps, getDispute, openDispute } from "./service";
import { disputeView } from "./storage";

/** How long the sandbox gives for evidence, as acquirers commonly do. */
export const SANDBOX_EVIDENCE_DAYS = 7;

/** The sandbox's button: the cardholder disputes one of the partner's payments. */
export async function openSandboxDispute(
  deps: DisputeDeps & { payments: PaymentDeps },
  partnerId: string,
  paymentId: string,
  params: { reason?: DisputeReason | undefined; amount?: number | undefined },
  now: number = Date.now(),
): Promise<Dispute> {
  const payment = await getPayment(deps.payments, partnerId, paymentId);
  return openDispute(deps, {
    payment,
    partnerId,
    amount: params.amount,
    reason: params.reason ?? "general",
    evidenceDueBy: new Date(now + SANDBOX_EVIDENCE_DAYS * 86_400_000).toISOString(),
    now: new Date(now).toISOString(),
  });
}

/** The sandbox's button: the acquirer decides a dispute under review. */
export async function simulateOutcome(
  deps: DisputeDeps,
  partnerId: string,
  id: string,
  outcome: "won" | "lost",
): Promise<Dispute> {
  const row = await getDispute(deps.db, partnerId, id);
  return disputeView(await closeDispute(deps, row, outcome, ["under_review"], new Date().toISOString()));
}
