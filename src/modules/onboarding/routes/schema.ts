import { z } from "@hono/zod-openapi";
import { PRODUCTS } from "../../../platform/catalog";
import { envelopeRequest } from "../../../platform/envelope";

const Password = z.string().min(12).max(128).openapi({
  description:
    "12–128 characters with at least one letter and one digit, not containing the email's name part.",
  example: "correct-horse-battery-42",
});

export const RegisterRequest = envelopeRequest(
  z
    .object({
      company_name: z.string().trim().min(1).max(200).openapi({ example: "Acme Telecom LLC" }),
      country: z
        .string()
        .regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2, upper case")
        .openapi({ example: "UZ" }),
      contact_email: z.email().max(254).openapi({ example: "ops@acme.example" }),
      password: Password,
      products: z
        .array(z.enum(PRODUCTS))
        .min(1)
        .max(PRODUCTS.length)
        .refine((p) => new Set(p).size === p.length, "each product once")
        .openapi({ description: "The products wanted in production." }),
      use_case: z.string().trim().min(10).max(2000).openapi({ example: "Card issuing for our subscribers" }),
      turnstile_token: z.string().min(1).max(2048).openapi({
        description: "The Cloudflare Turnstile widget's response token (`cf-turnstile-response`).",
      }),
    })
    .superRefine((p, ctx) => {
      if (!/[A-Za-z]/.test(p.password) || !/\d/.test(p.password))
        ctx.addIssue({ code: "custom", path: ["password"], message: "needs a letter and a digit" });
      const name = p.contact_email.split("@")[0]?.toLowerCase() ?? "";
      if (name.length >= 3 && p.password.toLowerCase().includes(name))
        ctx.addIssue({ code: "custom", path: ["password"], message: "must not contain the email's name" });
    }),
).openapi("RegisterRequest");

export const RegistrationSchema = z
  .object({
    object: z.literal("registration"),
    id: z.string().openapi({ format: "uuid" }),
    company_name: z.string(),
    country: z.string(),
    contact_email: z.string(),
    products: z.array(z.enum(PRODUCTS)),
    email_verified: z.boolean(),
    created_at: z.string().openapi({ format: "date-time" }),
    sandbox: z
      .object({
        environment: z.literal("sandbox"),
        partner_id: z.string().openapi({ format: "uuid" }),
        consumer_key: z.string().openapi({ example: "ck_test_…" }),
        consumer_secret: z
          .string()
          .openapi({ description: "Shown once, here; stored only as a hash, in the sandbox." }),
        username: z
          .string()
          .openapi({ description: "The password grant's user: your contact email, with your password." }),
        products: z.array(z.enum(PRODUCTS)),
      })
      .openapi({ description: "Your sandbox partner, usable at once on the sandbox's base URL." }),
  })
  .openapi("Registration");

export const VerifyQuery = z.object({
  token: z
    .string()
    .min(1)
    .max(512)
    .openapi({ param: { name: "token", in: "query" }, description: "The token of the emailed link." }),
});

export const EmailVerificationSchema = z
  .object({
    object: z.literal("email_verification"),
    registration_id: z.string().openapi({ format: "uuid" }),
    email_verified_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("EmailVerification");

export const TermsSchema = z
  .object({
    object: z.literal("terms"),
    version: z.string(),
    text: z.string(),
    sha256: z.string().openapi({ description: "Lower-case hex SHA-256 of `text` (UTF-8)." }),
    published_at: z.string().openapi({ format: "date-time" }),
    accept_by: z.string().openapi({ format: "date-time" }),
    accepted_at: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("Terms");

export const AcceptTermsRequest = envelopeRequest(
  z.object({
    version: z.string().min(1).max(64).openapi({ example: "2026-11-01" }),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, "64 hex digits")
      .openapi({ example: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }),
  }),
).openapi("AcceptTermsRequest");

export const TermsAcceptanceSchema = z
  .object({
    object: z.literal("terms_acceptance"),
    id: z.string().openapi({ format: "uuid" }),
    version: z.string(),
    sha256: z.string(),
    accepted_by: z.object({ kind: z.enum(["user", "credential"]), id: z.string() }),
    ip: z.string().nullable(),
    accepted_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("TermsAcceptance");
