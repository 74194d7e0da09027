import { z } from "@hono/zod-openapi";
import { CURRENCIES, MAX_AMOUNT_MINOR } from "../lib/money";

/** Money in a request: positive integer minor units of the currency (ISO 4217 exponent). */
export const Amount = z
  .number()
  .int()
  .positive()
  .max(MAX_AMOUNT_MINOR)
  .openapi({ description: "Integer minor units of `currency` (ISO 4217 exponent).", example: 150000 });

export const CurrencyCode = z.enum(CURRENCIES).openapi({ example: "UZS" });

/** A part of some money (capture, refund): positive integer minor units; default all of it. */
export const partialAmount = (description: string) =>
  z.number().int().positive().max(MAX_AMOUNT_MINOR).optional().openapi({ description });

/** The partner's own key-value pairs, kept with the object and returned as given. */
export const Metadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= 20, "at most 20 keys")
  .default({});
