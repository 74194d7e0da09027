import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../platform/envelope";
import { Amount, CurrencyCode } from "../../../platform/http/money-schema";
import { CURRENCIES } from "../../../platform/lib/money";
import { SANDBOX_SCORING_DOCUMENTS as docs, SANDBOX_REVIEW_MS } from "../connector/sandbox";
import { APPLICATION_STATUSES, DECLINE_ERRORS, FAILURE_ERRORS, MAX_TERM_MONTHS } from "../model";

/** Whether someone born on `date` (yyyy-MM-dd) is at least 18 today, and born after 1900. */
function adult(date: string): boolean {
  const today = new Date().toISOString().slice(0, 10);
  const [y, rest] = [Number(today.slice(0, 4)), today.slice(4)];
  return date >= "1900-01-01" && date <= `${y - 18}${rest}`;
}

const Applicant = z.object({
  full_name: z.string().trim().min(1).max(200).openapi({ example: "Aziza Karimova" }),
  document_number: z
    .string()
    .regex(/^[A-Z0-9]{6,20}$/, "6–20 upper-case letters and digits")
    .openapi({
      description: `PINFL (14 digits) or passport number. Sandbox: ${docs.overdueLoans} → 1002, ${docs.elevatedRisk} → 1003, ${docs.upstreamEmpty} → 1004, ${docs.upstreamFailed} → 1005, ${docs.review} → under review (reads answer 1001) for ${SANDBOX_REVIEW_MS / 1000} s, then approved; ${docs.counterOffer} → approved for half the amount; any other → approved.`,
      example: "31234567890123",
    }),
  phone_number: z
    .string()
    .regex(/^\+?[0-9]{9,15}$/, "9–15 digits, optionally after +")
    .openapi({ example: "+998901234567" }),
  birth_date: z.iso
    .date()
    .refine(adult, "the applicant must be at least 18 years old")
    .openapi({ description: "yyyy-MM-dd", example: "1990-05-17" }),
});

export const CreateLoanApplicationRequest = envelopeRequest(
  z.object({
    applicant: Applicant,
    amount: Amount,
    currency: CurrencyCode,
    term_months: z.number().int().min(1).max(MAX_TERM_MONTHS).openapi({ example: 12 }),
  }),
).openapi("CreateLoanApplicationRequest");

export const AcceptLoanApplicationRequest = z
  .object({ id: z.uuid().optional(), params: z.object({}).default({}) })
  .openapi("AcceptLoanApplicationRequest");

const Money = z.number().int().openapi({ description: "Integer minor units of `currency`." });
const Rate = z.number().int().openapi({ description: "Annual interest rate in basis points (2400 = 24 %)." });

export const LoanApplicationSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("loan_application"),
    status: z.enum(APPLICATION_STATUSES),
    applicant: z.object({
      full_name: z.string(),
      document_number: z.string(),
      phone_number: z.string(),
      birth_date: z.string(),
    }),
    amount: Money,
    currency: z.enum(CURRENCIES),
    term_months: z.number().int(),
    offer: z
      .object({
        amount: Money,
        currency: z.enum(CURRENCIES),
        annual_rate_bps: Rate,
        term_months: z.number().int(),
        monthly_payment: Money,
        total_repayable: Money,
        expires_at: z.string().openapi({ format: "date-time" }),
      })
      .nullable()
      .openapi({ description: "The approved credit: `amount` never exceeds what was asked for." }),
    decline: z
      .object({ code: z.number().int(), reason: z.enum(Object.values(DECLINE_ERRORS)), message: z.string() })
      .nullable(),
    failure: z
      .object({ code: z.number().int(), reason: z.enum(FAILURE_ERRORS), message: z.string() })
      .nullable()
      .openapi({ description: "Why the scoring system could not be asked (status `failed`)." }),
    loan_id: z.string().nullable(),
    decided_at: z.string().nullable().openapi({ format: "date-time" }),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("LoanApplication");

export const LoanSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("loan"),
    application_id: z.string().openapi({ format: "uuid" }),
    status: z.enum(["accepted", "disbursed"]),
    amount: Money,
    currency: z.enum(CURRENCIES),
    annual_rate_bps: Rate,
    term_months: z.number().int(),
    monthly_payment: Money,
    total_repayable: Money,
    disbursed_at: z.string().nullable().openapi({ format: "date-time" }),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("Loan");

export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
