/** The dispute resource as the API documents it: for the partners' routes and the admin API alike. */
import { z } from "@hono/zod-openapi";
import { CURRENCIES } from "../../../platform/lib/money";
import { DISPUTE_REASONS, DISPUTE_STATUSES, DOCUMENT_TYPES, EVIDENCE_TEXT_MAX } from "../model";

export const DocumentSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    filename: z.string(),
    content_type: z.enum(DOCUMENT_TYPES),
    size: z.number().int().openapi({ description: "Bytes." }),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("DisputeDocument");

const text = (description: string) => z.string().max(EVIDENCE_TEXT_MAX).nullable().openapi({ description });

export const EvidenceSchema = z
  .object({
    product_description: text("What was sold and how it was delivered."),
    customer_name: text("The cardholder's name as the partner knows it."),
    customer_communication: text("What the customer and the partner exchanged about the purchase."),
    refund_policy: text("The refund policy the customer agreed to, and how it was shown."),
    shipping_tracking_number: text("The carrier's tracking number, for goods shipped."),
    uncategorized_text: text("Anything else the acquirer should weigh."),
    documents: z.array(DocumentSchema),
  })
  .openapi("DisputeEvidence");

export const DisputeSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("dispute"),
    payment_id: z.string().openapi({ format: "uuid" }),
    amount: z.number().int().openapi({ description: "Minor units of `currency`: held from your balance." }),
    currency: z.enum(CURRENCIES),
    fee: z
      .number()
      .int()
      .openapi({ description: "The contract's dispute fee, charged at opening, never returned." }),
    reason: z.enum(DISPUTE_REASONS),
    status: z.enum(DISPUTE_STATUSES),
    provider: z.string(),
    provider_dispute_reference: z.string(),
    evidence: EvidenceSchema,
    evidence_due_by: z.string().openapi({ format: "date-time" }),
    evidence_submitted_at: z.string().openapi({ format: "date-time" }).nullable(),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
    closed_at: z.string().openapi({ format: "date-time" }).nullable(),
    livemode: z.boolean(),
  })
  .openapi("Dispute");

export const DisputeIdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
});
