import { z } from "@hono/zod-openapi";
import { CURRENCIES } from "../../../../platform/lib/money";

export const AccountSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("account"),
    account_type: z.enum(["current", "savings"]),
    currency: z.enum(CURRENCIES),
    nickname: z.string(),
    holder_name: z.string().openapi({
      description: "Personal data: masked (`***`) unless your contract licenses names.",
    }),
    account_number_last4: z.string(),
    status: z.enum(["active", "blocked"]),
    opened_on: z.string().openapi({ format: "date" }),
  })
  .openapi("Account");

export const AccountBalanceSchema = z
  .object({
    object: z.literal("balance"),
    account_id: z.string().openapi({ format: "uuid" }),
    currency: z.enum(CURRENCIES),
    booked: z.number().int().openapi({ description: "Settled balance, minor units of `currency`." }),
    available: z
      .number()
      .int()
      .openapi({ description: "What the customer can spend: booked less pending debits, minor units." }),
    as_of: z.string().openapi({ format: "date-time" }),
  })
  .openapi("AccountBalance");

export const TransactionSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("transaction"),
    account_id: z.string().openapi({ format: "uuid" }),
    amount: z.number().int().openapi({ description: "Minor units of `currency`, always positive." }),
    currency: z.enum(CURRENCIES),
    direction: z.enum(["credit", "debit"]),
    status: z.enum(["booked", "pending"]),
    description: z.string(),
    transacted_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Transaction");

export const AccountIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
