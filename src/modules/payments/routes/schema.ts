import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../platform/envelope";
import { Amount, CurrencyCode, Metadata } from "../../../platform/http/money-schema";
import { CURRENCIES } from "../../../platform/lib/money";
import { DECISIONS, REVIEW_STATUSES } from "../../risk/model";
import { ATTEMPT_OUTCOMES, DECLINE_REASONS } from "../model";
import { PAYMENT_STATUSES } from "../state";

/** `payment.risk`: what the assessment before authorization decided and why (docs/risk.md). */
const PaymentRisk = z
  .object({
    decision: z.enum(DECISIONS),
    score: z
      .number()
      .nullable()
      .openapi({ description: "The scoring service's 0–100, when a rule asked for it." }),
    scoring: z.enum(["ok", "timeout", "failed", "not_used"]),
    rules: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          action: z.enum(DECISIONS),
          dry_run: z.boolean(),
          fallback: z.boolean(),
        }),
      )
      .openapi({
        description: "The rule (or list entry) that decided, and the dry-run rules that would have.",
      }),
    review: z
      .object({ id: z.string(), status: z.enum(REVIEW_STATUSES), capture_on_approval: z.boolean() })
      .nullable()
      .openapi({ description: "A held payment's review: capture is refused (code 190) while it is open." }),
  })
  .openapi("PaymentRisk");

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
    customer: z
      .string()
      .nullable()
      .openapi({ description: "The customer (`cus_…`) who paid, if the payment named one." }),
    attempts: z.array(PaymentAttemptSchema).openapi({
      description:
        "Every authorization attempt in order (docs/orchestration.md): more than one when the payment fell back to another acquirer.",
    }),
    metadata: z.record(z.string(), z.string()),
    risk: PaymentRisk.nullable().openapi({ description: "Null on payments made before risk assessment." }),
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
      description:
        "A single-use card token (`pm_…`, POST /v1/tokens), a customer's saved card (`spm_…`, with `customer`), or a sandbox value: pm_card_visa, pm_card_3ds, pm_card_insufficient_funds, pm_bank_redirect, pm_qr…",
      example: "pm_card_visa",
    }),
    customer: z
      .string()
      .regex(/^cus_[0-9a-f]{32}$/)
      .optional()
      .openapi({ description: "The customer paying (`cus_…`); required to pay with their saved card." }),
    capture: z
      .boolean()
      .default(true)
      .openapi({ description: "Capture at once (default) or authorize only." }),
    metadata: Metadata,
  }),
).openapi("CreatePaymentRequest");

export const PaymentIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
