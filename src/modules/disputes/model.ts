import type { Currency } from "../../platform/lib/money";
import { type EntryInput, PLATFORM } from "../ledger/ledger";

/** Why the cardholder disputes (the schemes' reason families, as the acquirer reports them). */
export const DISPUTE_REASONS = [
  "fraudulent",
  "product_not_received",
  "product_unacceptable",
  "duplicate",
  "credit_not_processed",
  "subscription_canceled",
  "general",
] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

/**
 * `needs_response` → `under_review` (evidence submitted) → `won` | `lost`; `needs_response` →
 * `accepted` (the partner concedes) or `lost` (no evidence by `evidence_due_by`). docs/disputes.md.
 */
export const DISPUTE_STATUSES = ["needs_response", "under_review", "won", "lost", "accepted"] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
export const CLOSED_STATUSES: readonly DisputeStatus[] = ["won", "lost", "accepted"];

/** The evidence's text fields, each at most EVIDENCE_TEXT_MAX characters. */
export const EVIDENCE_TEXT_FIELDS = [
  "product_description",
  "customer_name",
  "customer_communication",
  "refund_policy",
  "shipping_tracking_number",
  "uncategorized_text",
] as const;
export type EvidenceTextField = (typeof EVIDENCE_TEXT_FIELDS)[number];
export const EVIDENCE_TEXT_MAX = 1000;

export const DOCUMENT_TYPES = ["application/pdf", "image/png", "image/jpeg"] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
/** The most documents a dispute's evidence holds. */
export const MAX_DOCUMENTS = 8;

export interface EvidenceDocument {
  id: string;
  filename: string;
  content_type: DocumentType;
  size: number;
  created_at: string;
}

export type Evidence = { [K in EvidenceTextField]: string | null } & { documents: EvidenceDocument[] };

export const emptyEvidence = (): Evidence => ({
  product_description: null,
  customer_name: null,
  customer_communication: null,
  refund_policy: null,
  shipping_tracking_number: null,
  uncategorized_text: null,
  documents: [],
});

/** The dispute resource (docs/disputes.md). */
export interface Dispute {
  id: string;
  object: "dispute";
  payment_id: string;
  amount: number;
  currency: Currency;
  /** What the contract charges for the dispute, taken at opening whatever the outcome. */
  fee: number;
  reason: DisputeReason;
  status: DisputeStatus;
  provider: string;
  provider_dispute_reference: string;
  evidence: Evidence;
  evidence_due_by: string;
  evidence_submitted_at: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  livemode: boolean;
}

/**
 * Opening: the disputed amount moves from the partner's available balance to its disputed hold,
 * and the contract's dispute fee from its available balance to fee revenue. Unguarded, as a
 * refund is: the cardholder's bank takes the money whatever the partner holds, so the available
 * balance may go below zero.
 */
export function openingEntry(d: Dispute, partnerId: string): EntryInput {
  const lines: EntryInput["lines"] = [
    { owner: partnerId, code: "partner_available", direction: "debit", amount: d.amount },
    { owner: partnerId, code: "partner_disputed", direction: "credit", amount: d.amount },
  ];
  if (d.fee > 0)
    lines.push(
      { owner: partnerId, code: "partner_available", direction: "debit", amount: d.fee },
      { owner: PLATFORM, code: "fee_revenue", direction: "credit", amount: d.fee },
    );
  return {
    reference: d.id,
    kind: "dispute",
    currency: d.currency,
    partnerId,
    description: `dispute ${d.id} of payment ${d.payment_id}`,
    lines,
  };
}

/** Closing: won returns the hold to the partner; lost or accepted sends it to the cardholder's bank. */
export function closingEntry(
  d: Dispute,
  partnerId: string,
  outcome: "won" | "lost" | "accepted",
): EntryInput {
  const won = outcome === "won";
  return {
    reference: d.id,
    kind: won ? "dispute_won" : "dispute_lost",
    currency: d.currency,
    partnerId,
    description: `dispute ${d.id} ${outcome}`,
    lines: [
      { owner: partnerId, code: "partner_disputed", direction: "debit", amount: d.amount },
      won
        ? { owner: partnerId, code: "partner_available", direction: "credit", amount: d.amount }
        : { owner: PLATFORM, code: "card_clearing", direction: "credit", amount: d.amount },
    ],
  };
}
