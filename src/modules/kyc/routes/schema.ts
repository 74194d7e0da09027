import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../platform/envelope";
import { KYC_FIELDS } from "../connector/types";
import { KYC_CHECKS, KYC_OUTCOMES } from "../model";

export const KycVerificationSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("kyc_verification"),
    identifier_type: z.enum(["account_number", "phone_number"]).openapi({
      description: "The identifier sent: the name of its field. (`phone` before API version 2026-12-01.)",
    }),
    outcome: z.enum(KYC_OUTCOMES).openapi({
      description: "`match`: every checked field matches; `no_match`: none does; `partial`: some do.",
    }),
    checks: z
      .array(z.object({ field: z.enum(KYC_FIELDS), outcome: z.enum(KYC_CHECKS) }))
      .openapi({ description: "One entry per field, in a fixed order; `not_checked` for a field not sent." }),
    created_at: z.string().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("KycVerification");

const VerifyParams = z
  .object({
    account_number: z
      .string()
      .regex(/^\d{20}$/, "20 digits")
      .optional()
      .openapi({
        description: "The holder's account: 20 digits. Give this or `phone_number`.",
        example: "20208000900100000001",
      }),
    phone_number: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, "E.164, e.g. +998901234567")
      .optional()
      .openapi({
        description:
          "The holder's phone number, E.164. Give this or `account_number`. (`phone` before API version 2026-12-01.)",
      }),
    full_name: z.string().trim().min(1).max(200).optional().openapi({ example: "Aziz Karimov" }),
    birth_date: z.iso.date().optional().openapi({ description: "yyyy-MM-dd", example: "1990-05-17" }),
    document_number: z
      .string()
      .regex(/^[A-Za-z0-9 -]{1,30}$/, "letters, digits, spaces and dashes, at most 30")
      .optional()
      .openapi({ example: "AA1234567" }),
  })
  .superRefine((p, ctx) => {
    if (p.account_number !== undefined && p.phone_number !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["phone_number"],
        message: "give account_number or phone_number, not both",
      });
    if (p.account_number === undefined && p.phone_number === undefined)
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "one of account_number or phone_number is required",
      });
    if (KYC_FIELDS.every((f) => p[f] === undefined))
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "at least one of full_name, birth_date, document_number is required",
      });
  });

export const VerifyHolderRequest = envelopeRequest(VerifyParams).openapi("KycVerificationRequest");

export const KycVerificationIdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
});
