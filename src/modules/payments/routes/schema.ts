import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../platform/envelope";
import { Amount, CurrencyCode, Metadata } from "../../../platform/http/money-schema";
import { CURRENCIES } from "../../../platform/lib/money";
import { ATTEMPT_OUTCOMES, DECLINE_REASONS } from "../model";
import { PAYMENT_STATUSES } from "../state";

const Card = z.object({ brand: z.enum(["visa", "mastercard"]), first6: z.string(), last4: z.string() });

export const PaymentAttemptSchema = z
  .object({
    provider: z.string().openapi({ description: "The acquirer tried: `sandbox`, `sandbox_b`, `http`…" }),
    outcome: z.enum(ATTEMPT_OUTCOMES).openapi({
      description:
        "`error`: the provider failed (5xx, network) or the issuer was unreachable (`bank_unavailable`); `timeout`: no answer in time, and the provider had no record of it.",
    }),
    decline_reason: z.enum(DECLINE_REASONS).nullable(),
    latency_ms: z.number().int(),
    fallback: z
      .boolean()
      .openapi({ description: "Whether this attempt came after another provider's failure." }),
  })
  .openapi("PaymentAttempt");

export const PaymentSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("payment"),
    amount: z.number().int().openapi({ description: "Minor units of `currency`." }),
    currency: z.enum(CURRENCIES),
    status: z.enum(PAYMENT_STATUSES),
    capture: z.boolean(),
    amount_capturable: z.number().int(),
    amount_captured: z.number().int(),
    amount_refunded: z.number().int(),
    payment_method: z.object({ type: z.enum(["card", "bank_redirect", "qr"]), card: Card.nullable() }),
    next_action: z
      .union([
        z.object({ type: z.literal("redirect"), url: z.string(), expires_at: z.string().nullable() }),
        z.object({ type: z.literal("qr_code"), qr_code: z.string(), expires_at: z.string() }),
      ])
      .nullable(),
    failure: z
      .object({
        code: z.literal("card_declined"),
        reason: z.enum(DECLINE_REASONS),
        message: z.string(),
        retryable: z.boolean(),
      })
      .nullable()
      .openapi({ description: "Why the bank declined: an outcome (HTTP 200), not a request error." }),
    provider: z.string().openapi({
      description:
        "The acquirer holding the authorization: captures, cancels and refunds go to it. For a payment that failed, the last one tried.",
    }),
    provider_reference: z.string().nullable(),
    attempts: z.array(PaymentAttemptSchema).openapi({
      description:
        "Every authorization attempt in order (docs/orchestration.md): more than one when the payment fell back to another acquirer.",
    }),
    metadata: z.record(z.string(), z.string()),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("Payment");

export const CreatePaymentRequest = envelopeRequest(
  z.object({
    amount: Amount,
    currency: CurrencyCode,
    payment_method_token: z.string().min(1).max(100).openapi({
      description: "Sandbox: pm_card_visa, pm_card_3ds, pm_card_insufficient_funds, pm_bank_redirect, pm_qr…",
      example: "pm_card_visa",
    }),
    capture: z
      .boolean()
      .default(true)
      .openapi({ description: "Capture at once (default) or authorize only." }),
    metadata: Metadata,
  }),
).openapi("CreatePaymentRequest");

export const PaymentIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
