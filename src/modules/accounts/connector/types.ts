import type { Currency } from "../../../platform/lib/money";
import type { ConsentScope } from "../model";

/** A customer's account as the bank's core system describes it; never the full account number. */
export interface Account {
  id: string;
  object: "account";
  account_type: "current" | "savings";
  currency: Currency;
  nickname: string;
  /** Personal data: masked unless the partner's contract licenses names. */
  holder_name: string;
  account_number_last4: string;
  status: "active" | "blocked";
  opened_on: string;
}

/** Integer minor units of `currency`: `booked` settled, `available` net of pending debits. */
export interface Balance {
  object: "balance";
  account_id: string;
  currency: Currency;
  booked: number;
  available: number;
  as_of: string;
}

export interface Transaction {
  id: string;
  object: "transaction";
  account_id: string;
  /** Integer minor units of `currency`, always positive; `direction` tells which way it went. */
  amount: number;
  currency: Currency;
  direction: "credit" | "debit";
  status: "booked" | "pending";
  description: string;
  transacted_at: string;
}

export interface TransactionPage {
  data: Transaction[];
  has_more: boolean;
}

export interface ConsentRegistration {
  consentId: string;
  scopes: readonly ConsentScope[];
  expiresAt: string;
}

/** The bank's core banking system, as open banking reads it (one interface, docs/products.md). */
export interface AccountsConnector {
  /** Tells the bank of a new consent; answers where the customer authorises it. */
  registerConsent(consent: ConsentRegistration): Promise<{ authorisationUrl: string }>;
  listAccounts(customerRef: string): Promise<Account[]>;
  balance(customerRef: string, accountId: string): Promise<Balance>;
  /** Newest first; `startingAfter` is the last transaction id of the previous page. */
  transactions(
    customerRef: string,
    accountId: string,
    page: { limit: number; startingAfter?: string },
  ): Promise<TransactionPage>;
}
