import type { SubmittedOrder } from "./connector/types";
import {
  type Applicant,
  type Card,
  type CardApplication,
  type CardAttachment,
  SMS_CODE_MAX_ATTEMPTS,
} from "./model";
import type { ApplicationRow, AttachmentRow, CardRow } from "./storage";

/** Stored rows as the API answers them, and as events carry them. */
export const cardView = (r: CardRow): Card => ({
  id: r.id,
  object: "card",
  origin: r.origin,
  type: r.type,
  currency: r.currency,
  first6: r.first6,
  last4: r.last4,
  holder_name: r.holderName,
  expiry_month: r.expiryMonth,
  expiry_year: r.expiryYear,
  phone_number: r.phoneNumber,
  status: r.status,
  block_reason: r.blockReason,
  application_id: r.applicationId,
  created_at: r.createdAt,
  blocked_at: r.blockedAt,
  livemode: r.livemode,
});

export const applicantOf = (r: ApplicationRow): Applicant => ({
  full_name: r.applicant.full_name ?? "",
  phone_number: r.applicant.phone_number ?? "",
  birth_date: r.applicant.birth_date ?? "",
  document_number: r.applicant.document_number ?? "",
  address: r.applicant.address ?? null,
});

export const applicationView = (r: ApplicationRow, card: CardRow | undefined): CardApplication => ({
  id: r.id,
  object: "card_application",
  type: r.type,
  currency: r.currency,
  status: r.status,
  applicant: applicantOf(r),
  card: card ? cardView(card) : null,
  metadata: r.metadata,
  created_at: r.createdAt,
  completed_at: r.completedAt,
  livemode: r.livemode,
});

export const attachmentView = (r: AttachmentRow): CardAttachment => ({
  id: r.id,
  object: "card_attachment",
  status: r.status,
  first6: r.first6,
  last4: r.last4,
  phone_number: r.phoneNumber,
  expires_at: r.expiresAt,
  attempts_remaining: Math.max(0, SMS_CODE_MAX_ATTEMPTS - r.attempts),
  created_at: r.createdAt,
  livemode: r.livemode,
});

/** The order an application placed, as the card system is asked about it. */
export const submittedOrder = (r: ApplicationRow & { reference: string }): SubmittedOrder => ({
  applicationId: r.id,
  type: r.type,
  currency: r.currency,
  applicant: applicantOf(r),
  reference: r.reference,
  submittedAt: Date.parse(r.submittedAt ?? r.createdAt),
});

// Event payloads go to partners' webhooks unmasked: they carry ids, states and the
// first 6 + last 4 digits only, never a personal field. The objects themselves are a GET away.

export const cardEventObject = (r: CardRow) => ({
  id: r.id,
  object: "card",
  origin: r.origin,
  type: r.type,
  currency: r.currency,
  first6: r.first6,
  last4: r.last4,
  status: r.status,
  block_reason: r.blockReason,
  application_id: r.applicationId,
  created_at: r.createdAt,
  blocked_at: r.blockedAt,
  livemode: r.livemode,
});

export const applicationEventObject = (r: ApplicationRow, card: CardRow | undefined) => ({
  id: r.id,
  object: "card_application",
  type: r.type,
  currency: r.currency,
  status: r.status,
  card_id: card?.id ?? null,
  created_at: r.createdAt,
  completed_at: r.completedAt,
  livemode: r.livemode,
});
