// The cards domain's vocabulary: what a card, an application and an attachment are, and their statuses.
/** What a card can be ordered as. */
export const CARD_TYPES = ["virtual", "physical"] as const;
export type CardType = (typeof CARD_TYPES)[number];

/** The currencies the bank issues cards in. */
export const CARD_CURRENCIES = ["UZS", "USD", "EUR"] as const;
export type CardCurrency = (typeof CARD_CURRENCIES)[number];

/** Why a card was blocked. */
export const BLOCK_REASONS = ["lost", "stolen", "fraud", "requested_by_customer"] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

export interface Applicant {
  full_name: string;
  phone_number: string;
  /** yyyy-MM-dd */
  birth_date: string;
  document_number: string;
  /** Where a physical card is delivered; null for a virtual one. */
  address: string | null;
}

export const ATTACHMENT_STATUSES = ["pending", "attached", "exhausted", "expired", "failed"] as const;
export type AttachmentStatus = (typeof ATTACHMENT_STATUSES)[number];

/** At most this many wrong codes per attach; then it is spent (64). */
export const SMS_CODE_MAX_ATTEMPTS = 3;

// Personal fields carry the names of PERSONAL_FIELDS, so the one masking layer masks them
// unless the partner's data-access profile licenses their category.

export interface Card {
  id: string;
  object: "card";
  origin: "issued" | "attached";
  type: CardType | null;
  currency: CardCurrency | null;
  first6: string;
  last4: string;
  holder_name: string;
  expiry_month: number;
  expiry_year: number;
  phone_number: string | null;
  status: "active" | "blocked";
  block_reason: BlockReason | null;
  application_id: string | null;
  created_at: string;
  blocked_at: string | null;
  livemode: boolean;
}

export interface CardApplication {
  id: string;
  object: "card_application";
  type: CardType;
  currency: CardCurrency;
  status: "in_progress" | "completed";
  applicant: Applicant;
  card: Card | null;
  metadata: Record<string, string>;
  created_at: string;
  completed_at: string | null;
  livemode: boolean;
}

export interface CardAttachment {
  id: string;
  object: "card_attachment";
  status: AttachmentStatus;
  first6: string;
  last4: string;
  phone_number: string;
  expires_at: string;
  attempts_remaining: number;
  created_at: string;
  livemode: boolean;
}
