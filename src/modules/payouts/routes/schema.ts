import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../platform/envelope";
import { Amount, CurrencyCode, Metadata } from "../../../platform/http/money-schema";
import { CURRENCIES } from "../../../platform/lib/money";
import { PAYOUT_FAILURE_REASONS } from "../connector/types";
import { PAYOUT_STATUSES } from "../model";

export const PayoutSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("payout"),
    amount: z.number().int().openapi({ description: "Minor units of `currency`." }),
    currency: z.enum(CURRENCIES),
    status: z.enum(PAYOUT_STATUSES),
    destination: z.object({ type: z.literal("bank_account"), bank: z.string(), last4: z.string() }),
    failure: z
      .object({
        code: z.literal("payout_failed"),
        reason: z.enum(PAYOUT_FAILURE_REASONS),
        message: z.string(),
      })
      .nullable()
      .openapi({ description: "Why the rails returned the payout; its funds are available again." }),
    provider: z.string(),
    provider_reference: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("Payout");

export const CreatePayoutRequest = envelopeRequest(
  z.object({
    amount: Amount,
    currency: CurrencyCode,
    destination_token: z.string().min(1).max(100).openapi({
      description: "A tokenized bank account. Sandbox: dest_tok_ok (paid), dest_tok_fail (failed).",
      example: "dest_tok_ok",
    }),
    metadata: Metadata,
  }),
).openapi("CreatePayoutRequest");

export const PayoutIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
