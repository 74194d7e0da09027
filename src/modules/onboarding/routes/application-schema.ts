import { z } from "@hono/zod-openapi";
import { PRODUCTS } from "../../../platform/catalog";
import { envelopeRequest } from "../../../platform/envelope";
import { parseIpAllowlist } from "../../partners/ip-allowlist";
import { checkWebhookUrl } from "../../webhooks/url";
import {
  APPLICATION_STATUSES,
  DOCUMENT_KINDS,
  leiValid,
  MAX_DOCUMENTS,
  REGULATED_PRODUCTS,
} from "../application-model";

// ------------------------------------------------------------------------- the session

export const SessionRequest = envelopeRequest(
  z.object({
    email: z.email().max(254).openapi({ example: "ops@acme.example" }),
    password: z.string().min(1).max(128),
  }),
).openapi("OnboardingSessionRequest");

export const SessionSchema = z
  .object({
    object: z.literal("onboarding_session"),
    registration_id: z.string().openapi({ format: "uuid" }),
    token: z
      .string()
      .openapi({ description: "Send as `Authorization: Bearer <token>` to the /onboarding calls." }),
    token_type: z.literal("Bearer"),
    expires_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("OnboardingSession");

export const RegistrationStateSchema = z
  .object({
    object: z.literal("registration"),
    id: z.string().openapi({ format: "uuid" }),
    company_name: z.string(),
    country: z.string(),
    contact_email: z.string(),
    products: z.array(z.enum(PRODUCTS)),
    email_verified: z.boolean(),
    email_verified_at: z.string().nullable().openapi({ format: "date-time" }),
    sandbox_partner_id: z.string().openapi({ format: "uuid" }),
    production_partner_id: z.string().nullable().openapi({
      format: "uuid",
      description: "The id your production partner will have; it exists once an application is approved.",
    }),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("RegistrationState");

export const VerificationRequestSchema = z
  .object({
    object: z.literal("email_verification_request"),
    registration_id: z.string().openapi({ format: "uuid" }),
    expires_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("EmailVerificationRequest");

// -------------------------------------------------------------------- the application

const Contact = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, "E.164, e.g. +998901234567")
      .nullable()
      .optional(),
  })
  .strict();

const WebhookUrl = z
  .string()
  .max(2048)
  .superRefine((url, ctx) => {
    const verdict = checkWebhookUrl(url, {
      requireHttps: true,
      allowLoopback: false,
      allowedPorts: [],
      allowedHosts: [],
    });
    if (!verdict.ok) ctx.addIssue({ code: "custom", message: verdict.reason });
  });

const Cidrs = z
  .array(z.string().max(64))
  .min(1)
  .max(50)
  .superRefine((list, ctx) => {
    try {
      parseIpAllowlist(list);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : "not a CIDR list" });
    }
  });

/** Each member optional until submission (which names what is missing); `null` clears one. */
export const ChecklistPatch = z
  .object({
    legal_entity: z
      .object({
        name: z.string().trim().min(1).max(200),
        registration_number: z.string().trim().min(1).max(64),
        lei: z
          .string()
          .refine(leiValid, "an ISO 17442 LEI: 20 characters with valid check digits")
          .nullable()
          .optional(),
      })
      .strict()
      .nullable()
      .optional(),
    licences: z
      .partialRecord(z.enum(REGULATED_PRODUCTS), z.string().trim().min(1).max(128))
      .nullable()
      .optional()
      .openapi({
        description: "The licence reference for each regulated product (lending, payments, payouts).",
      }),
    data_protection_contact: Contact.nullable().optional(),
    webhook_urls: z.array(WebhookUrl).min(1).max(10).nullable().optional(),
    ip_allowlist: Cidrs.nullable().optional(),
    technical_contact: Contact.nullable().optional(),
    security_contact: Contact.nullable().optional(),
  })
  .strict()
  .openapi("ApplicationChecklistPatch");

const Products = z
  .array(z.enum(PRODUCTS))
  .min(1)
  .max(PRODUCTS.length)
  .refine((p) => new Set(p).size === p.length, "each product once");

export const ApplicationCreateRequest = envelopeRequest(
  z
    .object({
      products: Products.optional().openapi({ description: "Default: the products named at registration." }),
      checklist: ChecklistPatch.optional(),
    })
    .strict(),
)
  .partial({ params: true })
  .openapi("ApplicationCreateRequest");

export const ApplicationPatchRequest = envelopeRequest(
  z.object({ products: Products.optional(), checklist: ChecklistPatch.optional() }).strict(),
).openapi("ApplicationPatchRequest");

export const DocumentSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("application_document"),
    kind: z.enum(DOCUMENT_KINDS),
    filename: z.string(),
    content_type: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("ApplicationDocument");

export const HistorySchema = z
  .object({
    id: z.string(),
    action: z.string().openapi({
      description:
        "created, updated, document_added, document_removed, submitted, changes_requested, approval_proposed, approved, rejected, live_partner_created",
    }),
    actor: z.object({ kind: z.enum(["registrant", "admin", "system"]), id: z.string() }),
    from_status: z.string().nullable(),
    to_status: z.string().nullable(),
    comment: z.string().nullable().openapi({ description: "The reviewer's comment, for a review step." }),
    changed: z.array(z.string()),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("ApplicationHistoryEntry");

export const ApplicationSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("application"),
    status: z.enum(APPLICATION_STATUSES),
    revision: z.number().int(),
    products: z.array(z.enum(PRODUCTS)),
    checklist: z.record(z.string(), z.unknown()),
    documents: z.array(DocumentSchema),
    missing: z
      .array(z.string())
      .openapi({ description: "What submission still needs; empty when complete." }),
    partner_id: z
      .string()
      .nullable()
      .openapi({ description: "The live partner, once approved and created." }),
    history: z.array(HistorySchema),
    submitted_at: z.string().nullable(),
    decided_at: z.string().nullable(),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Application");

export const ApplicationIdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
});

export const DocumentParams = ApplicationIdParam.extend({
  document_id: z.uuid().openapi({ param: { name: "document_id", in: "path" } }),
});

export const DocumentQuery = z.object({
  kind: z.enum(DOCUMENT_KINDS).openapi({ param: { name: "kind", in: "query" } }),
  filename: z
    .string()
    .min(1)
    .max(200)
    .refine(
      (name) =>
        ![...name].some(
          (ch) => ch === "/" || ch === "\\" || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f,
        ),
      "a file name without path separators or control characters",
    )
    .openapi({ param: { name: "filename", in: "query" }, example: "pci-dss-aoc-2026.pdf" }),
});

export const DOCUMENT_UPLOAD_DESCRIPTION = `The document's bytes as the body, its type as Content-Type (application/pdf, image/png or image/jpeg, checked against the bytes), at most 10 MiB, at most ${MAX_DOCUMENTS} per application.`;

// --------------------------------------------------------------------- live credentials

export const LiveCredentialSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("credential"),
    partner_id: z.string().openapi({ format: "uuid" }),
    consumer_key: z.string().openapi({ example: "ck_live_…" }),
    description: z.string().nullable(),
    status: z.enum(["active", "revoked"]),
    created_at: z.string().openapi({ format: "date-time" }),
    revoked_at: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("LiveCredential");

export const NewLiveCredentialSchema = LiveCredentialSchema.extend({
  environment: z.literal("production"),
  consumer_secret: z.string().openapi({ description: "Shown once, in this answer only; stored as a hash." }),
}).openapi("NewLiveCredential");
