import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../platform/envelope";
import { Metadata } from "../../../platform/http/money-schema";
import { luhnValid } from "../connector/pan";
import {
  SANDBOX_CARD_NUMBERS,
  SANDBOX_PHONE_SMS_FAILS,
  SANDBOX_PHYSICAL_ISSUE_SECONDS,
  SANDBOX_SMS_CODE,
} from "../connector/sandbox";
import { ATTACHMENT_STATUSES, BLOCK_REASONS, CARD_CURRENCIES, CARD_TYPES } from "../model";

const MASKED = "Personal data: masked unless your contract's data-access profile licenses it.";

const PhoneNumber = z
  .string()
  .regex(/^\+[1-9]\d{7,14}$/, "an E.164 number: + and 8 to 15 digits")
  .openapi({ example: "+998901234567" });

export const CardSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("card"),
    origin: z
      .enum(["issued", "attached"])
      .openapi({ description: "Ordered through Portico, or attached by SMS code." }),
    type: z.enum(CARD_TYPES).nullable().openapi({ description: "Null for an attached card." }),
    currency: z.enum(CARD_CURRENCIES).nullable().openapi({ description: "Null for an attached card." }),
    first6: z.string().openapi({ example: "860049" }),
    last4: z.string().openapi({ example: "4242" }),
    holder_name: z.string().openapi({ description: `The name on the card. ${MASKED} (category name)` }),
    expiry_month: z
      .number()
      .int()
      .nullable()
      .openapi({ description: `1–12. ${MASKED} (card_details; null when masked)` }),
    expiry_year: z
      .number()
      .int()
      .nullable()
      .openapi({ description: `${MASKED} (card_details; null when masked)` }),
    phone_number: z
      .string()
      .nullable()
      .openapi({ description: `The card's phone number. ${MASKED} (category phone)` }),
    status: z.enum(["active", "blocked"]),
    block_reason: z.enum(BLOCK_REASONS).nullable(),
    application_id: z.string().nullable().openapi({ format: "uuid" }),
    created_at: z.string().openapi({ format: "date-time" }),
    blocked_at: z.string().nullable().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("Card");

const ApplicantSchema = z.object({
  full_name: z.string().trim().min(2).max(100).openapi({ example: "Alisher Karimov" }),
  phone_number: PhoneNumber,
  birth_date: z.iso
    .date()
    .refine((d) => d <= new Date().toISOString().slice(0, 10), "must not be in the future")
    .openapi({ description: "yyyy-MM-dd", example: "1990-05-17" }),
  document_number: z
    .string()
    .regex(/^[A-Z0-9]{5,20}$/, "5 to 20 capital letters and digits")
    .openapi({ description: "Passport or ID card number.", example: "AB1234567" }),
  address: z.string().trim().min(5).max(300).nullish().openapi({
    description: "Delivery address: required for a physical card.",
    example: "Tashkent, Amir Temur 1",
  }),
});

export const CardApplicationSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("card_application"),
    type: z.enum(CARD_TYPES),
    currency: z.enum(CARD_CURRENCIES),
    status: z.enum(["in_progress", "completed"]),
    applicant: z
      .object({
        full_name: z.string(),
        phone_number: z.string(),
        birth_date: z.string(),
        document_number: z.string(),
        address: z.string().nullable(),
      })
      .openapi({ description: `As ordered. ${MASKED}` }),
    card: z.union([CardSchema, z.null()]).openapi({ description: "The issued card, once completed." }),
    metadata: z.record(z.string(), z.string()),
    created_at: z.string().openapi({ format: "date-time" }),
    completed_at: z.string().nullable().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("CardApplication");

export const CreateCardApplicationRequest = envelopeRequest(
  z
    .object({
      type: z.enum(CARD_TYPES).openapi({
        description: `Sandbox: \`virtual\` is issued at once; \`physical\` after ${SANDBOX_PHYSICAL_ISSUE_SECONDS} s or the simulate call.`,
      }),
      currency: z.enum(CARD_CURRENCIES),
      applicant: ApplicantSchema,
      metadata: Metadata,
    })
    .superRefine((p, ctx) => {
      if (p.type === "physical" && !p.applicant.address) {
        ctx.addIssue({
          code: "custom",
          path: ["applicant", "address"],
          message: "required for a physical card",
        });
      }
    }),
).openapi("CreateCardApplicationRequest");

export const CardAttachmentSchema = z
  .object({
    id: z.string().openapi({ format: "uuid", description: "Confirm with this id and the SMS code." }),
    object: z.literal("card_attachment"),
    status: z.enum(ATTACHMENT_STATUSES),
    first6: z.string(),
    last4: z.string(),
    phone_number: z.string().openapi({ description: `Where the code went. ${MASKED} (category phone)` }),
    expires_at: z
      .string()
      .openapi({ format: "date-time", description: "The code expires then (1009 after)." }),
    attempts_remaining: z.number().int(),
    created_at: z.string().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("CardAttachment");

export const AttachCardRequest = envelopeRequest(
  z.object({
    card_number: z
      .string()
      .regex(/^\d{13,19}$/, "13 to 19 digits, no spaces")
      .refine(luhnValid, "fails the Luhn check")
      .openapi({
        description: `The full card number: passed to the card system and kept nowhere (only its first 6 and last 4 digits). Sandbox: every Luhn-valid number is a card the bank knows, except ${SANDBOX_CARD_NUMBERS.unknown} (1008); ${SANDBOX_CARD_NUMBERS.alreadyAttached} is attached already (1011).`,
        example: "8600008000004242",
      }),
    phone_number: PhoneNumber.openapi({
      description: `Where the SMS code goes. Sandbox: the SMS to ${SANDBOX_PHONE_SMS_FAILS} is never sent (1006).`,
    }),
  }),
).openapi("AttachCardRequest");

export const ConfirmAttachRequest = envelopeRequest(
  z.object({
    attachment_id: z.uuid(),
    code: z
      .string()
      .regex(/^\d{6}$/, "6 digits")
      .openapi({ description: `Sandbox: ${SANDBOX_SMS_CODE}.`, example: SANDBOX_SMS_CODE }),
  }),
).openapi("ConfirmCardAttachRequest");

export const BlockCardRequest = z
  .object({
    id: z.uuid().optional(),
    params: z
      .object({ reason: z.enum(BLOCK_REASONS).default("requested_by_customer") })
      .default({ reason: "requested_by_customer" }),
  })
  .openapi("BlockCardRequest");

export const CardIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
