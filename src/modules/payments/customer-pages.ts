import { ApiError } from "../../platform/errors";
import { uuidv7 } from "../../platform/lib/ids";
import type { Operation, Payment } from "./model";
import { getPayment, operatePayment, type PaymentDeps } from "./payments";
import type { PaymentStatus } from "./state";
import { findPaymentOwner } from "./storage";

export interface CustomerPayment {
  payment: Payment;
  partnerId: string;
  merchantName: string;
}

/** The payment a signed customer page is about, with the merchant (partner) it pays. */
export async function customerPayment(
  deps: PaymentDeps,
  paymentId: string,
): Promise<CustomerPayment | undefined> {
  const owner = await findPaymentOwner(deps.db, paymentId);
  if (!owner) return undefined;
  const payment = await getPayment(deps, owner.partnerId, paymentId);
  return { payment, partnerId: owner.partnerId, merchantName: owner.merchantName };
}

export type CustomerOutcome = { ok: true; payment: Payment } | { ok: false; status: PaymentStatus };

/**
 * The customer's button, applied by the partner API's own service call. Each press is its
 * own request (a fresh key): pressing again after the payment moved on is refused.
 */
export async function applyCustomerChoice(
  deps: PaymentDeps,
  partnerId: string,
  paymentId: string,
  operation: Operation,
): Promise<CustomerOutcome> {
  try {
    const payment = await operatePayment(deps, partnerId, paymentId, operation, `sandbox-page:${uuidv7()}`);
    return { ok: true, payment };
  } catch (err) {
    if (err instanceof ApiError && err.reason === "invalid_state_transition") {
      return { ok: false, status: err.params.status as PaymentStatus };
    }
    throw err;
  }
}
