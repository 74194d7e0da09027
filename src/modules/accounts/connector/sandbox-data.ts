import type { Account, Balance, Transaction } from "./types";

/** The sandbox's one customer: whoever authorises a sandbox consent is this customer. */
export const SANDBOX_CUSTOMER_REF = "sbx_customer_0001";
export const SANDBOX_HOLDER_NAME = "Aziz Karimov";

/** The sandbox customer's two accounts (fixed ids, documented). */
export const SANDBOX_ACCOUNT_IDS = {
  current: "01917f2c-e800-7000-8000-00000000a001",
  savings: "01917f2c-e800-7000-8000-00000000a002",
} as const;

const ACCOUNTS: Account[] = [
  {
    id: SANDBOX_ACCOUNT_IDS.current,
    object: "account",
    account_type: "current",
    currency: "UZS",
    nickname: "Everyday UZS",
    holder_name: SANDBOX_HOLDER_NAME,
    account_number_last4: "0001",
    status: "active",
    opened_on: "2019-03-01",
  },
  {
    id: SANDBOX_ACCOUNT_IDS.savings,
    object: "account",
    account_type: "savings",
    currency: "USD",
    nickname: "Savings USD",
    holder_name: SANDBOX_HOLDER_NAME,
    account_number_last4: "0002",
    status: "active",
    opened_on: "2021-07-15",
  },
];

/** Booked balance before the first listed transaction, minor units. */
const OPENING: Record<string, number> = {
  [SANDBOX_ACCOUNT_IDS.current]: 320_000_000,
  [SANDBOX_ACCOUNT_IDS.savings]: 0,
};

type Row = [at: string, description: string, amount: number, direction: "credit" | "debit", pending?: true];

// Amounts in minor units (UZS tiyin, US cents). The last two card payments are still pending.
const CURRENT: Row[] = [
  ["2026-10-01T09:00:00+05:00", "Salary — Portico Demo LLC", 950_000_000, "credit"],
  ["2026-10-01T12:30:00+05:00", "Korzinka supermarket", 18_540_000, "debit"],
  ["2026-10-02T08:15:00+05:00", "Yandex Go", 2_350_000, "debit"],
  ["2026-10-02T19:40:00+05:00", "Evos restaurant", 9_800_000, "debit"],
  ["2026-10-03T10:05:00+05:00", "Uzmobile top-up", 5_000_000, "debit"],
  ["2026-10-04T11:20:00+05:00", "Makro supermarket", 24_310_000, "debit"],
  ["2026-10-05T09:00:00+05:00", "Electricity bill", 14_200_000, "debit"],
  ["2026-10-06T18:10:00+05:00", "Exchange from USD — savings account", 100_000_000, "credit"],
  ["2026-10-07T13:45:00+05:00", "Havas supermarket", 7_630_000, "debit"],
  ["2026-10-08T08:30:00+05:00", "Tashkent metro", 500_000, "debit"],
  ["2026-10-09T20:00:00+05:00", "Magic Cinema", 12_000_000, "debit"],
  ["2026-10-10T09:10:00+05:00", "Gas bill", 6_450_000, "debit"],
  ["2026-10-11T15:25:00+05:00", "Uzum Market", 43_990_000, "debit"],
  ["2026-10-12T12:00:00+05:00", "Card cashback", 1_250_000, "credit"],
  ["2026-10-13T19:15:00+05:00", "Rayhon restaurant", 15_600_000, "debit"],
  ["2026-10-14T08:05:00+05:00", "Yandex Go", 3_100_000, "debit"],
  ["2026-10-15T10:00:00+05:00", "Rent", 450_000_000, "debit"],
  ["2026-10-16T17:30:00+05:00", "Korzinka supermarket", 21_470_000, "debit"],
  ["2026-10-17T09:45:00+05:00", "Oxymed pharmacy", 8_920_000, "debit"],
  ["2026-10-18T14:10:00+05:00", "Refund — Uzum Market", 43_990_000, "credit"],
  ["2026-10-19T11:55:00+05:00", "Beeline top-up", 3_000_000, "debit"],
  ["2026-10-20T16:40:00+05:00", "Makro supermarket", 17_860_000, "debit"],
  ["2026-10-21T08:20:00+05:00", "Yandex Go", 2_780_000, "debit"],
  ["2026-10-22T13:00:00+05:00", "Internet — Uztelecom", 11_900_000, "debit"],
  ["2026-10-23T19:30:00+05:00", "Evos restaurant", 10_400_000, "debit"],
  ["2026-10-24T10:15:00+05:00", "Water bill", 2_300_000, "debit"],
  ["2026-10-25T12:45:00+05:00", "Havas supermarket", 9_150_000, "debit"],
  ["2026-10-26T18:00:00+05:00", "Exchange to USD — savings account", 200_000_000, "debit"],
  ["2026-10-29T09:30:00+05:00", "Korzinka supermarket", 16_720_000, "debit", true],
  ["2026-10-30T20:10:00+05:00", "Yandex Go", 2_640_000, "debit", true],
];

const SAVINGS: Row[] = [
  ["2026-08-01T10:00:00+05:00", "Opening deposit", 500_000, "credit"],
  ["2026-08-31T23:00:00+05:00", "Interest", 1_667, "credit"],
  ["2026-09-30T23:00:00+05:00", "Interest", 1_672, "credit"],
  ["2026-10-06T18:10:00+05:00", "Exchange to UZS — current account", 8_000, "debit"],
  ["2026-10-26T18:00:00+05:00", "Exchange from UZS — current account", 16_000, "credit"],
];

/** A UUID v7 whose time is the transaction's, so ids sort like the transactions do. */
function idAt(ms: number, seq: number): string {
  const time = ms.toString(16).padStart(12, "0");
  const tail = seq.toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8)}-7000-8000-${tail}`;
}

function transactionsOf(account: Account, rows: Row[], seqBase: number): Transaction[] {
  return rows.map(([at, description, amount, direction, pending], i) => ({
    id: idAt(Date.parse(at), seqBase + i),
    object: "transaction",
    account_id: account.id,
    amount,
    currency: account.currency,
    direction,
    status: pending ? "pending" : "booked",
    description,
    transacted_at: at,
  }));
}

const [current, savings] = ACCOUNTS as [Account, Account];

/** Every sandbox transaction, newest first. */
const TRANSACTIONS: Record<string, Transaction[]> = {
  [current.id]: transactionsOf(current, CURRENT, 0x1000).reverse(),
  [savings.id]: transactionsOf(savings, SAVINGS, 0x2000).reverse(),
};

const signed = (t: Transaction) => (t.direction === "credit" ? t.amount : -t.amount);

function balanceOf(account: Account): Balance {
  const list = TRANSACTIONS[account.id] ?? [];
  const booked = list.filter((t) => t.status === "booked").reduce((sum, t) => sum + signed(t), 0);
  // Pending debits are already spoken for; pending credits are not available yet.
  const held = list
    .filter((t) => t.status === "pending" && t.direction === "debit")
    .reduce((sum, t) => sum + t.amount, 0);
  const opening = OPENING[account.id] ?? 0;
  return {
    object: "balance",
    account_id: account.id,
    currency: account.currency,
    booked: opening + booked,
    available: opening + booked - held,
    as_of: list[0]?.transacted_at ?? `${account.opened_on}T00:00:00+05:00`,
  };
}

export const SANDBOX_ACCOUNTS: readonly Account[] = ACCOUNTS;
export const sandboxTransactions = (accountId: string): readonly Transaction[] =>
  TRANSACTIONS[accountId] ?? [];
export const sandboxBalance = (account: Account) => balanceOf(account);
