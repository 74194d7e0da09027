import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../platform/envelope";
import { Metadata } from "../../../platform/http/money-schema";

export const PublishableKeySchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("publishable_key"),
    key: z.string().openapi({ example: "pk_test_3q2-7wEAAQIDBAUGBwgJCgsM" }),
    status: z.enum(["active", "expired"]),
    created_at: z.string().openapi({ format: "date-time" }),
    expires_at: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("PublishableKey");

export const CreatePublishableKeyRequest = envelopeRequest(
  z.object({
    overlap_seconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3600)
      .optional()
      .openapi({
        description:
          "How long the previous keys keep working (default a day, at most 7 days; 0: they end now).",
      }),
  }),
).openapi("CreatePublishableKeyRequest");

export const CardViewSchema = z
  .object({
    brand: z.enum(["visa", "mastercard"]),
    first6: z.string(),
    last4: z.string(),
    country: z
      .string()
      .nullable()
      .openapi({ description: "The issuing bank's country (ISO 3166-1 alpha-2)." }),
    fingerprint: z
      .string()
      .openapi({ description: "The same card has the same fingerprint (per environment)." }),
    exp_month: z.number().int(),
    exp_year: z.number().int(),
  })
  .openapi("PaymentMethodCard");

export const TokenSchema = z
  .object({
    id: z
      .string()
      .openapi({ example: "pm_Xb3k9…", description: "Pay with it once, or save it to a customer." }),
    object: z.literal("token"),
    card: CardViewSchema,
    created_at: z.string().openapi({ format: "date-time" }),
    expires_at: z.string().openapi({ format: "date-time" }),
    used: z.boolean(),
    livemode: z.boolean(),
  })
  .openapi("Token");

export const CreateTokenRequest = envelopeRequest(
  z.object({
    card: z.object({
      number: z
        .string()
        .min(12)
        .max(23)
        .openapi({ example: "4242424242424242", description: "Digits; spaces and dashes are ignored." }),
      exp_month: z.number().int().min(1).max(12).openapi({ example: 12 }),
      exp_year: z.number().int().min(2000).max(2100).openapi({ example: 2034 }),
      cvc: z
        .string()
        .regex(/^\d{3,4}$/, "3 or 4 digits")
        .openapi({ example: "123" }),
    }),
  }),
).openapi("CreateTokenRequest");

export const CustomerSchema = z
  .object({
    id: z.string().openapi({ example: "cus_0192f4c17a3e7b4d9c1a2f5e8d6b3a10" }),
    object: z.literal("customer"),
    name: z.string().nullable(),
    email: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("Customer");

const Name = z
  .string()
  .min(1)
  .max(200)
  .nullable()
  .optional()
  .openapi({ description: "Only if you need it." });
const Email = z.email().max(254).nullable().optional().openapi({ description: "Only if you need it." });

export const CreateCustomerRequest = envelopeRequest(
  z.object({ name: Name, email: Email, metadata: Metadata }),
).openapi("CreateCustomerRequest");

export const UpdateCustomerRequest = envelopeRequest(
  z.object({
    name: Name,
    email: Email,
    metadata: z.record(z.string().max(40), z.string().max(500)).optional(),
  }),
).openapi("UpdateCustomerRequest");

export const SavedPaymentMethodSchema = z
  .object({
    id: z.string().openapi({ example: "spm_m0Qx…" }),
    object: z.literal("payment_method"),
    type: z.literal("card"),
    customer: z.string(),
    card: CardViewSchema,
    consent: z.object({ accepted_at: z.string().openapi({ format: "date-time" }), reference: z.string() }),
    created_at: z.string().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("SavedPaymentMethod");

export const AttachMethodRequest = envelopeRequest(
  z.object({
    payment_method_token: z
      .string()
      .min(1)
      .max(100)
      .openapi({ description: "A single-use token (`pm_…`) from POST /v1/tokens." }),
    consent: z.object({
      accepted_at: z.iso
        .datetime()
        .openapi({ description: "When the customer agreed to have the card kept." }),
      reference: z.string().min(1).max(200).openapi({
        description:
          "What the customer agreed to: your terms' version or the consent record's id. No personal data.",
        example: "checkout-terms-v3",
      }),
    }),
  }),
).openapi("AttachPaymentMethodRequest");

const CUSTOMER_ID = /^cus_[0-9a-f]{32}$/;
const METHOD_ID = /^spm_[A-Za-z0-9_-]{24}$/;
const customerId = () =>
  z
    .string()
    .regex(CUSTOMER_ID, "a customer id: cus_ and 32 hex digits")
    .openapi({ param: { name: "id", in: "path" }, example: "cus_0192f4c17a3e7b4d9c1a2f5e8d6b3a10" });
export const CustomerIdParam = z.object({ id: customerId() });
export const MethodIdParams = z.object({
  id: customerId(),
  method_id: z
    .string()
    .regex(METHOD_ID, "a saved payment method id: spm_ and 24 characters")
    .openapi({ param: { name: "method_id", in: "path" }, example: "spm_m0Qx3vT9aB2cD4eF6gH8iJ0k" }),
});
export const CustomerPageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .openapi({ param: { name: "limit", in: "query" } }),
  starting_after: z
    .string()
    .regex(CUSTOMER_ID)
    .optional()
    .openapi({ param: { name: "starting_after", in: "query" } }),
});
