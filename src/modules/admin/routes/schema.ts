import { z } from "@hono/zod-openapi";
import { PRODUCTS } from "../../../platform/catalog";
import { DATA_CATEGORIES } from "../../../platform/data-access";
import { envelopeRequest } from "../../../platform/envelope";
import { CHANGE_KINDS, CHANGE_STATUSES, ROLES } from "../model";

const uuid = z.string().openapi({ format: "uuid" });
const dateTime = z.string().openapi({ format: "date-time" });
const nullableDateTime = z.string().nullable().openapi({ format: "date-time" });
const PARTNER_STATUS = z.enum(["active", "suspended", "offboarded"]);

export const Reason = z.string().trim().min(3).max(500).openapi({
  description: "Why: kept in the audit log (never put a secret or a customer's data here).",
  example: "chargeback ratio above the contract's threshold",
});

export const PartnerIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

export const AdminMeSchema = z
  .object({ identity: z.string(), subject: z.string(), role: z.enum(ROLES) })
  .openapi("AdminMe");

export const AdminPartnerSchema = z
  .object({
    id: uuid,
    object: z.literal("admin_partner"),
    name: z.string(),
    environment: z.enum(["sandbox", "production"]),
    status: PARTNER_STATUS,
    tier: z.enum(["sandbox", "standard", "enterprise"]),
    products: z.array(z.string()),
    created_at: dateTime,
    updated_at: dateTime,
  })
  .openapi("AdminPartner");

export const AdminContractSchema = z
  .object({
    products: z.array(z.string()),
    scopes: z.array(z.string()),
    tier: z.enum(["sandbox", "standard", "enterprise"]),
    rate_limit_per_second: z.number().int().nullable().openapi({ description: "null: the tier's figure" }),
    effective_rate_limit_per_second: z.number().int(),
    daily_quota: z.number().int().nullable().openapi({ description: "null: no quota" }),
    fees: z.object({
      bps: z.number().int(),
      fixed_minor: z.number().int(),
      dispute_minor: z
        .number()
        .int()
        .openapi({ description: "Charged per dispute at its opening (docs/disputes.md)." }),
    }),
    data_access: z.array(z.string()),
    cors_origins: z.array(z.string()),
    ip_allowlist: z.array(z.string()),
    webhook_domains: z.array(z.string()),
    api_version: z.string(),
    security_profile: z.enum(["standard", "fapi"]).openapi({
      description:
        "`fapi`: the partner's clients authenticate with private_key_jwt or tls_client_auth only (docs/client-authentication.md).",
    }),
    password_grant: z
      .boolean()
      .openapi({ description: "The bank's contract's password grant; never under `fapi`." }),
    updated_at: dateTime,
  })
  .openapi("AdminContract");

export const AdminPartnerDetailSchema = AdminPartnerSchema.extend({
  contract: AdminContractSchema,
  credentials: z.array(
    z.object({
      id: uuid,
      consumer_key: z.string(),
      description: z.string().nullable(),
      status: z.enum(["active", "revoked"]),
      created_at: dateTime,
      revoked_at: nullableDateTime,
    }),
  ),
  usage: z.object({
    audited_requests_today: z.number().int(),
    audited_requests_last_30_days: z.number().int(),
    last_audited_request_at: nullableDateTime,
    webhook_endpoints: z.object({ enabled: z.number().int(), disabled: z.number().int() }),
  }),
  pending_change_requests: z.number().int(),
}).openapi("AdminPartnerDetail");

export const PartnerStatusChangeSchema = z
  .object({
    id: uuid,
    status: PARTNER_STATUS,
    revoked_credentials: z.array(uuid).optional(),
    disabled_webhook_endpoints: z.array(uuid).optional(),
  })
  .openapi("AdminPartnerStatus");

export const ReasonRequest = envelopeRequest(z.object({ reason: Reason })).openapi("AdminReasonRequest");

export const ContractPatchRequest = envelopeRequest(
  z
    .object({
      products: z.array(z.enum(PRODUCTS)).max(PRODUCTS.length).optional(),
      scopes: z.array(z.string().min(1).max(64)).max(64).optional(),
      tier: z.enum(["sandbox", "standard", "enterprise"]).optional(),
      rate_limit_per_second: z.number().int().min(1).max(100_000).nullable().optional(),
      daily_quota: z.number().int().min(1).max(1_000_000_000).nullable().optional(),
      fee_bps: z.number().int().min(0).max(10_000).optional(),
      fee_fixed_minor: z.number().int().min(0).max(1_000_000_000).optional(),
      dispute_fee_minor: z.number().int().min(0).max(1_000_000_000).optional(),
      data_access: z.array(z.enum(DATA_CATEGORIES)).max(DATA_CATEGORIES.length).optional(),
      cors_origins: z.array(z.string().max(300)).max(20).optional(),
      ip_allowlist: z.array(z.string().max(50)).max(50).optional(),
      webhook_domains: z.array(z.string().max(253)).max(50).optional(),
      api_version: z.string().max(10).optional(),
      security_profile: z.enum(["standard", "fapi"]).optional().openapi({
        description:
          "To `fapi` (needs a registered client with keys or a certificate, else 400 code 252) applies at once; back to `standard` needs a second approver.",
      }),
      password_grant: z.boolean().optional().openapi({
        description: "Turning it on needs a second approver; a FAPI contract never has it.",
      }),
      reason: Reason,
    })
    .strict(),
).openapi("AdminContractPatchRequest");

export const ChangeRequestSchema = z
  .object({
    id: uuid,
    object: z.literal("change_request"),
    kind: z.enum(CHANGE_KINDS),
    partner_id: uuid,
    status: z.enum(CHANGE_STATUSES),
    change: z.record(z.string(), z.unknown()),
    before: z.record(z.string(), z.unknown()),
    reason: z.string(),
    maker: z.object({ identity: z.string(), role: z.enum(ROLES) }),
    checker: z.object({ identity: z.string(), role: z.enum(ROLES) }).nullable(),
    decision_reason: z.string().nullable(),
    decided_at: nullableDateTime,
    expires_at: dateTime,
    created_at: dateTime,
  })
  .openapi("ChangeRequest");

export const ContractChangeSchema = z
  .object({ object: z.literal("contract"), partner_id: uuid, contract: AdminContractSchema })
  .openapi("AdminContractChange");

export const ApproveRequest = envelopeRequest(z.object({ reason: Reason.optional() }))
  .partial({ params: true })
  .openapi("AdminApproveRequest");

export const KillSwitchSchema = z
  .object({
    product: z.enum(PRODUCTS),
    object: z.literal("kill_switch"),
    disabled: z.boolean().openapi({ description: "Whether the product refuses calls now (code 22)." }),
    disabled_by_configuration: z
      .boolean()
      .openapi({ description: "PRODUCTS_DISABLED names it: the API cannot turn it on." }),
    disabled_by_switch: z.boolean(),
    reason: z.string().nullable(),
    updated_by: z.string().nullable(),
    updated_at: nullableDateTime,
  })
  .openapi("KillSwitch");

export const KillSwitchRequest = envelopeRequest(
  z.object({ disabled: z.boolean(), reason: Reason }).strict(),
).openapi("KillSwitchRequest");

export const IdentitySchema = z
  .object({
    identity: z.string(),
    object: z.literal("admin_identity"),
    role: z.enum(ROLES),
    status: z.enum(["active", "disabled"]),
    created_by: z.string(),
    created_at: dateTime,
    updated_at: dateTime,
    disabled_at: nullableDateTime,
  })
  .openapi("AdminIdentity");

export const IdentityRequest = envelopeRequest(
  z.object({ role: z.enum(ROLES), disabled: z.boolean().default(false), reason: Reason }).strict(),
).openapi("AdminIdentityRequest");

export const AuditEntrySchema = z
  .object({
    id: uuid,
    object: z.literal("admin_audit_entry"),
    identity: z.string(),
    role: z.enum(ROLES).nullable(),
    action: z.string(),
    target: z.string().nullable(),
    partner_id: z.string().nullable(),
    outcome: z.number().int().openapi({ description: "The HTTP status answered." }),
    diff: z.object({ before: z.unknown(), after: z.unknown() }).nullable(),
    reason: z.string().nullable(),
    request_id: z.string(),
    created_at: dateTime,
  })
  .openapi("AdminAuditEntry");
