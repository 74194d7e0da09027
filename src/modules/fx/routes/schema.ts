import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../platform/envelope";
import { Amount, CurrencyCode } from "../../../platform/http/money-schema";
import { CURRENCIES } from "../../../platform/lib/money";

const Currency = z.enum(CURRENCIES);
const Money = z.number().int().openapi({ description: "Integer minor units (ISO 4217 exponent)." });
const RateText = z.string().openapi({
  description:
    "Units of the buy currency per one unit of the sell currency, as a decimal string (10 significant digits, cut down).",
  example: "12600",
});

export const RatesQuery = z.object({
  sell_currency: CurrencyCode.optional().openapi({ param: { name: "sell_currency", in: "query" } }),
  buy_currency: CurrencyCode.optional().openapi({
    param: { name: "buy_currency", in: "query" },
    example: "USD",
  }),
});

export const RatesSchema = z
  .object({
    object: z.literal("fx_rates"),
    base: Currency,
    as_of: z.string().openapi({ format: "date-time" }),
    data: z.array(z.object({ sell_currency: Currency, buy_currency: Currency, rate: RateText })),
  })
  .openapi("FxRates");

export const CreateQuoteRequest = envelopeRequest(
  z
    .object({
      sell_currency: CurrencyCode,
      buy_currency: CurrencyCode.openapi({ example: "USD" }),
      sell_amount: Amount.optional().openapi({
        description: "What you sell, in minor units; or give buy_amount.",
      }),
      buy_amount: Amount.optional().openapi({
        description: "What you buy, in minor units; or give sell_amount.",
      }),
    })
    .openapi({ example: { sell_currency: "UZS", buy_currency: "USD", sell_amount: 1_260_000 } }),
).openapi("CreateFxQuoteRequest");

export const QuoteSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("fx_quote"),
    sell_currency: Currency,
    sell_amount: Money,
    buy_currency: Currency,
    buy_amount: Money,
    rate: RateText,
    fixed_side: z.enum(["sell", "buy"]).openapi({ description: "Which amount you fixed." }),
    expires_at: z.string().openapi({ format: "date-time" }),
    created_at: z.string().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("FxQuote");

export const CreateConversionRequest = envelopeRequest(
  z.object({ quote_id: z.uuid().openapi({ description: "A live quote of yours." }) }),
).openapi("CreateFxConversionRequest");

export const ConversionSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("fx_conversion"),
    quote_id: z.string().openapi({ format: "uuid" }),
    status: z.enum(["pending", "completed"]),
    sell_currency: Currency,
    sell_amount: Money,
    buy_currency: Currency,
    buy_amount: Money,
    rate: RateText,
    created_at: z.string().openapi({ format: "date-time" }),
    completed_at: z.string().nullable().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("FxConversion");

export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
