import type { Applicant, BlockReason, CardCurrency, CardType } from "../model";

/** A card as the bank's card system describes it: never more of its number than first 6 + last 4. */
export interface BankCard {
  /** The card system's own id for the card: how Portico names it to the bank. */
  reference: string;
  first6: string;
  last4: string;
  holderName: string;
  expiryMonth: number;
  expiryYear: number;
}

export interface CardOrder {
  /** Portico's application id: the card system's idempotency key for the order. */
  applicationId: string;
  type: CardType;
  currency: CardCurrency;
  applicant: Applicant;
}

/** Where an order stands at the card system. */
export type IssuingState =
  | { status: "in_progress"; reference: string }
  | { status: "completed"; reference: string; card: BankCard };

/** A submitted order, as Portico remembers it, to ask about. */
export interface SubmittedOrder extends CardOrder {
  /** The card system's id for the order. */
  reference: string;
  /** When the order was submitted (ms). */
  submittedAt: number;
}

/**
 * The bank's card system (issuing, card lookup, the SMS gateway, blocking) behind one
 * interface: the sandbox simulator, or the HTTP connector when `UPSTREAM_URLS` names `cards`.
 * A full card number only ever passes through `findCard`, in memory.
 */
export interface CardSystem {
  readonly name: string;
  /** Orders a card; ordering the same application again answers the same order. */
  orderCard(order: CardOrder): Promise<IssuingState>;
  orderStatus(order: SubmittedOrder, now: number): Promise<IssuingState>;
  /** The card a full number names, and whether the bank has it attached already; undefined when unknown. */
  findCard(cardNumber: string): Promise<(BankCard & { attached: boolean }) | undefined>;
  /** Sends the attach code by SMS; false when the SMS could not be sent. */
  sendAttachCode(req: { cardReference: string; phoneNumber: string; code: string }): Promise<boolean>;
  block(req: { cardReference: string; reason: BlockReason }): Promise<void>;
}
