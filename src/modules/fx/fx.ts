import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import type { EventMessage } from "../../platform/events/events";
import { uuidv7 } from "../../platform/lib/ids";
import { type Currency, MAX_AMOUNT_MINOR } from "../../platform/lib/money";
import type { PartnerProfile } from "../../platform/types";
import type { RatesSource, RateTable } from "./connector/types";
import { buyAmountFor, crossRate, formatRate, type Rate, sellAmountFor } from "./math";
import { type FxQuote, quoteView } from "./model";
import { insertQuote } from "./storage";

/** How long a quote can be converted. */
export const FX_QUOTE_TTL_SECONDS = 30;

export interface FxDeps {
  db: Db;
  queue: Queue<EventMessage>;
  rates: RatesSource;
}

/** The rate for selling `sell` to buy `buy`, or undefined when the table has no rate for either. */
function pairRate(table: RateTable, sell: Currency, buy: Currency): Rate | undefined {
  const side = (c: Currency) => (c === table.base ? "base" : table.rates.find((r) => r.currency === c));
  const sellSide = side(sell);
  const buySide = side(buy);
  return sellSide && buySide && sell !== buy ? crossRate(sellSide, buySide) : undefined;
}

export interface PairRate {
  sell_currency: Currency;
  buy_currency: Currency;
  rate: string;
}

/** Every pair the bank converts (optionally filtered), with its rate as a decimal string. */
export async function listRates(
  deps: Pick<FxDeps, "rates">,
  filter: { sell_currency?: Currency | undefined; buy_currency?: Currency | undefined },
) {
  const table = await deps.rates.rates();
  const currencies = [table.base, ...table.rates.map((r) => r.currency)];
  const data: PairRate[] = [];
  for (const sell of currencies) {
    if (filter.sell_currency !== undefined && sell !== filter.sell_currency) continue;
    for (const buy of currencies) {
      if (filter.buy_currency !== undefined && buy !== filter.buy_currency) continue;
      const rate = pairRate(table, sell, buy);
      if (rate) data.push({ sell_currency: sell, buy_currency: buy, rate: formatRate(rate) });
    }
  }
  return { object: "fx_rates" as const, base: table.base, as_of: table.asOf, data };
}

export interface QuoteParams {
  sell_currency: Currency;
  buy_currency: Currency;
  sell_amount?: number | undefined;
  buy_amount?: number | undefined;
}

const invalid = (field: string, msg: string) => new ApiError("validation", { field, msg }, { field });

/** The amounts of a quote: the partner fixes one side, the other is computed in the bank's favour. */
function amountsFor(params: QuoteParams, rate: Rate) {
  const { sell_currency: sell, buy_currency: buy } = params;
  if (params.sell_amount !== undefined && params.buy_amount !== undefined) {
    throw invalid("params.buy_amount", "give sell_amount or buy_amount, not both");
  }
  const fixed = params.sell_amount !== undefined ? "sell" : "buy";
  const field = `params.${fixed}_amount`;
  let sellAmount: number;
  let buyAmount: number;
  if (params.sell_amount !== undefined) {
    sellAmount = params.sell_amount;
    buyAmount = buyAmountFor(sellAmount, rate, sell, buy);
  } else if (params.buy_amount !== undefined) {
    buyAmount = params.buy_amount;
    sellAmount = sellAmountFor(buyAmount, rate, sell, buy);
  } else {
    throw invalid("params.sell_amount", "Field must be not null (or give buy_amount)");
  }
  if (buyAmount < 1) throw invalid(field, `too small: buys less than one minor unit of ${buy}`);
  if (sellAmount > MAX_AMOUNT_MINOR || buyAmount > MAX_AMOUNT_MINOR) {
    throw invalid(field, `too large: the conversion exceeds ${MAX_AMOUNT_MINOR} minor units`);
  }
  return { fixedSide: fixed, sellAmount, buyAmount } as const;
}

/**
 * A firm quote for one conversion, good for FX_QUOTE_TTL_SECONDS. The partner fixes the
 * amount it sells or the amount it buys; the rate is cut to 10 significant digits and the
 * computed amount rounded in the bank's favour (received: down; paid: up).
 */
export async function createQuote(
  deps: FxDeps,
  partner: PartnerProfile,
  idempotencyKey: string,
  params: QuoteParams,
): Promise<FxQuote> {
  if (params.sell_currency === params.buy_currency) {
    throw invalid("params.buy_currency", "must differ from sell_currency");
  }
  const table = await deps.rates.rates();
  for (const [field, currency] of [
    ["params.sell_currency", params.sell_currency],
    ["params.buy_currency", params.buy_currency],
  ] as const) {
    if (currency !== table.base && !table.rates.some((r) => r.currency === currency)) {
      throw invalid(field, `the bank does not convert ${currency}`);
    }
  }
  const rate = pairRate(table, params.sell_currency, params.buy_currency);
  if (!rate) throw invalid("params.buy_currency", "no rate for this pair");
  const amounts = amountsFor(params, rate);
  const now = new Date();
  const row = await insertQuote(deps.db, {
    id: uuidv7(now.getTime()),
    partnerId: partner.id,
    livemode: partner.environment === "production",
    idempotencyKey,
    sellCurrency: params.sell_currency,
    buyCurrency: params.buy_currency,
    sellAmount: amounts.sellAmount,
    buyAmount: amounts.buyAmount,
    rate: formatRate(rate),
    fixedSide: amounts.fixedSide,
    expiresAt: new Date(now.getTime() + FX_QUOTE_TTL_SECONDS * 1000).toISOString(),
    createdAt: now.toISOString(),
  });
  return quoteView(row);
}
