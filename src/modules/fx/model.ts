import type { Currency } from "../../platform/lib/money";
import type { FxConversionRow, FxQuoteRow } from "./storage";

export interface FxQuote {
  id: string;
  object: "fx_quote";
  sell_currency: Currency;
  sell_amount: number;
  buy_currency: Currency;
  buy_amount: number;
  rate: string;
  fixed_side: "sell" | "buy";
  expires_at: string;
  created_at: string;
  livemode: boolean;
}

export function quoteView(row: FxQuoteRow): FxQuote {
  return {
    id: row.id,
    object: "fx_quote",
    sell_currency: row.sellCurrency,
    sell_amount: row.sellAmount,
    buy_currency: row.buyCurrency,
    buy_amount: row.buyAmount,
    rate: row.rate,
    fixed_side: row.fixedSide,
    expires_at: row.expiresAt,
    created_at: row.createdAt,
    livemode: row.livemode,
  };
}

export interface FxConversion {
  id: string;
  object: "fx_conversion";
  quote_id: string;
  status: "pending" | "completed";
  sell_currency: Currency;
  sell_amount: number;
  buy_currency: Currency;
  buy_amount: number;
  rate: string;
  created_at: string;
  completed_at: string | null;
  livemode: boolean;
}

export function conversionView(row: FxConversionRow): FxConversion {
  return {
    id: row.id,
    object: "fx_conversion",
    quote_id: row.quoteId,
    status: row.status,
    sell_currency: row.sellCurrency,
    sell_amount: row.sellAmount,
    buy_currency: row.buyCurrency,
    buy_amount: row.buyAmount,
    rate: row.rate,
    created_at: row.createdAt,
    completed_at: row.completedAt,
    livemode: row.livemode,
  };
}
