import type { PaymentObject } from "../../../durable-objects/payment";
import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import type { Payment } from "../payments/model";
import type { Review, ReviewStatus } from "./model";
import { reviewOf } from "./payment-path";
import { reviewPage, reviewOf as reviewRow } from "./storage";

/** What the review services need: the queue's projection and the payments' objects. */
export interface ReviewDeps {
  db: Db;
  payments: DurableObjectNamespace<PaymentObject>;
}

/** The partner's reviews, newest first, optionally by status (the D1 projection). */
export async function listReviews(
  db: Db,
  partnerId: string,
  opts: { status?: ReviewStatus | undefined; startingAfter?: string; limit: number },
) {
  const rows = await reviewPage(db, partnerId, opts);
  return { data: rows.slice(0, opts.limit).map((r) => r.snapshot), has_more: rows.length > opts.limit };
}

async function located(deps: ReviewDeps, partnerId: string, id: string) {
  const row = await reviewRow(deps.db, partnerId, id);
  if (!row) throw new ApiError("not_found", { resource: `review ${id}` });
  return { row, stub: deps.payments.get(deps.payments.idFromName(row.objectName)) };
}

/** One review, as its payment's object holds it now; another partner's answers as unknown. */
export async function getReview(deps: ReviewDeps, partnerId: string, id: string): Promise<Review> {
  const { stub } = await located(deps, partnerId, id);
  return current(await stub.get(), id);
}

function current(payment: Payment | undefined, id: string): Review {
  const review = payment ? reviewOf(payment) : null;
  if (!review || review.id !== id) throw new ApiError("not_found", { resource: `review ${id}` });
  return review;
}

/**
 * Approves (the payment may be captured; captured now if its create asked for capture) or rejects
 * (the authorization is voided) a held payment's review, through the payment's object.
 */
export async function closeReview(
  deps: ReviewDeps,
  partnerId: string,
  id: string,
  outcome: "approve" | "reject",
  requestKey: string,
): Promise<Review> {
  const { stub } = await located(deps, partnerId, id);
  const result = await stub.closeReview(outcome, requestKey);
  if (result.ok) return current(result.payment, id);
  if (result.error === "not_found") throw new ApiError("not_found", { resource: `review ${id}` });
  throw new ApiError("review_closed", { review: id, status: result.status });
}
