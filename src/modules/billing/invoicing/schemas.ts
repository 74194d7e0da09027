import { z } from "@hono/zod-openapi";

/** The invoice documents as the partner API and the admin API show them (docs/invoices.md). */
import { pageQuery } from "../../../platform/http/pagination";

const minor = (description: string) => z.number().int().openapi({ description });
const day = z.string().openapi({ format: "date", example: "2026-11-01" });

export const InvoiceSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.enum(["invoice", "credit_note"]),
    number: z.string().openapi({
      description:
        "Gapless per environment, year and series: `INV-2026-000001`, credit notes `CN-2026-000001`.",
      example: "INV-2026-000001",
    }),
    status: z.enum(["issued", "paid"]),
    partner_id: z.string().openapi({ format: "uuid" }),
    period: z.object({
      start: day,
      end: day.openapi({ description: "Exclusive: the next period's start." }),
    }),
    plan_version: z.number().int(),
    currency: z.string().openapi({ example: "USD" }),
    subtotal: minor("Every line but the credits, in minor units."),
    credited: minor("The credits applied (positive)."),
    tax_bps: z.number().int(),
    tax: minor("Tax on subtotal − credited, rounded half to even."),
    total: minor("subtotal − credited + tax."),
    unapplied_credits: z
      .array(z.object({ description: z.string(), amount_minor: z.number().int() }))
      .openapi({ description: "Credits the subtotal could not take: carried to the next invoice." }),
    unapplied_refunds_minor: minor("Refunds past the period's captures: the revenue share stops at zero."),
    credit_note_for: z
      .string()
      .nullable()
      .openapi({ description: "A credit note's invoice; null on an invoice." }),
    reason: z.string().nullable().openapi({ description: "A credit note's reason; null on an invoice." }),
    settlement: z.enum(["invoice", "balance"]),
    issued_at: z
      .string()
      .openapi({ format: "date-time", description: "On the billing clock (the sandbox's test clock)." }),
    paid_at: z.string().nullable().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("Invoice");

export const InvoiceLineSchema = z
  .object({
    position: z.number().int(),
    kind: z.string().openapi({ example: "usage" }),
    description: z.string(),
    product: z.string().nullable(),
    tier: z.number().int().nullable(),
    quantity: z.number().int(),
    unit_price: z.object({ minor: z.number().int(), per: z.number().int() }),
    amount: minor("quantity × unit price, rounded half to even once."),
  })
  .openapi("InvoiceLine");

export const InvoiceDetailSchema = InvoiceSchema.extend({ lines: z.array(InvoiceLineSchema) }).openapi(
  "InvoiceDetail",
);

export const InvoiceIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

export const ListInvoicesQuery = z.object(pageQuery);

export const PDF_RESPONSE = {
  200: {
    description: "The document as a PDF",
    content: { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } },
  },
};
