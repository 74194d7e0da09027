import { z } from "@hono/zod-openapi";
import { CurrencyCode } from "../../../platform/http/money-schema";
import { parseCidr } from "../../../platform/lib/cidr";
import { CURRENCIES } from "../../../platform/lib/money";
import {
  COMPARISONS,
  DECISIONS,
  FALLBACKS,
  LIST_KINDS,
  LIST_TYPES,
  MAX_INSTRUMENT_AGE_HOURS,
  MAX_WINDOW_MINUTES,
  REVIEW_STATUSES,
  RULE_MODES,
  VELOCITY_SUBJECTS,
} from "../model";

const Op = z.enum(COMPARISONS);
const InOut = z.enum(["in", "not_in"]);
const NonNegative = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Digits = z.string().regex(/^\d{1,8}$/, "1 to 8 digits");
const Country = z.string().regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2, upper case");
const values = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(100);

/** A CIDR block or one address, checked strictly (no host bits set). */
export const CidrText = z
  .string()
  .max(64)
  .superRefine((text, ctx) => {
    try {
      parseCidr(text);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : "not a CIDR block" });
    }
  });

export const ConditionSchema = z
  .union([
    z.strictObject({
      field: z.literal("amount"),
      op: Op,
      value: NonNegative.openapi({ description: "Minor units." }),
      currency: CurrencyCode.optional().openapi({ description: "Only payments in this currency match." }),
    }),
    z.strictObject({ field: z.literal("currency"), op: InOut, values: values(z.enum(CURRENCIES)) }),
    z.strictObject({
      field: z.literal("card.bin"),
      op: z.enum(["prefix", "not_prefix"]),
      values: values(Digits),
    }),
    z
      .strictObject({ field: z.literal("card.bin"), op: z.literal("between"), from: Digits, to: Digits })
      .refine((c) => c.from.length === c.to.length && c.from <= c.to, {
        message: "from and to have the same number of digits, from ≤ to",
        path: ["to"],
      }),
    z.strictObject({ field: z.literal("card.country"), op: InOut, values: values(Country) }),
    z.strictObject({
      field: z.literal("card.brand"),
      op: InOut,
      values: values(z.enum(["visa", "mastercard"])),
    }),
    z.strictObject({
      field: z.literal("method"),
      op: InOut,
      values: values(z.enum(["card", "bank_redirect", "qr"])),
    }),
    z.strictObject({ field: z.literal("client.country"), op: InOut, values: values(Country) }),
    z.strictObject({
      field: z.literal("client.ip"),
      op: z.enum(["in_cidr", "not_in_cidr"]),
      values: values(CidrText),
    }),
    z.strictObject({
      field: z.literal("client.asn"),
      op: InOut,
      values: values(z.number().int().min(0).max(4_294_967_295)),
    }),
    z.strictObject({
      field: z.literal("velocity"),
      subject: z.enum(VELOCITY_SUBJECTS),
      measure: z.enum(["count", "amount"]).openapi({
        description: "`count`: payments; `amount`: their sum in this payment's currency (minor units).",
      }),
      window_minutes: z.number().int().min(1).max(MAX_WINDOW_MINUTES),
      op: Op,
      value: NonNegative,
    }),
    z.strictObject({
      field: z.literal("instrument_age_hours"),
      op: Op,
      value: z.number().min(0).max(MAX_INSTRUMENT_AGE_HOURS),
    }),
    z.strictObject({ field: z.literal("score"), op: Op, value: z.number().min(0).max(100) }),
    z.strictObject({ field: z.literal("list"), list: z.enum(LIST_KINDS), type: z.enum(LIST_TYPES) }),
  ])
  .openapi("RiskCondition", {
    description:
      "One test over the payment's signals; a rule fires when all of its conditions hold. A condition over a signal the payment lacks (no card, no IP) never holds.",
  });

const RuleFields = {
  name: z.string().min(1).max(100),
  position: z.number().int().min(0).max(1_000_000).openapi({
    description:
      "Rules run in ascending position (ties: the older first). Default: after the last rule, by 10.",
  }),
  conditions: z.array(ConditionSchema).min(1).max(10),
  action: z.enum(DECISIONS),
  mode: z
    .enum(RULE_MODES)
    .openapi({ description: "`dry_run`: record what it would have done, decide nothing." }),
};

export const RuleSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("risk_rule"),
    ...RuleFields,
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("RiskRule");

export const CreateRuleParams = z.strictObject({
  ...RuleFields,
  position: RuleFields.position.optional(),
  mode: RuleFields.mode.default("active"),
});

export const UpdateRuleParams = z
  .strictObject({
    name: RuleFields.name.optional(),
    position: RuleFields.position.optional(),
    conditions: RuleFields.conditions.optional(),
    action: RuleFields.action.optional(),
    mode: RuleFields.mode.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: "change at least one field" });

export const ListEntrySchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("risk_list_entry"),
    list: z.enum(LIST_KINDS),
    type: z.enum(LIST_TYPES),
    value: z.string(),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("RiskListEntry");

export const SettingsSchema = z
  .object({
    object: z.literal("risk_settings"),
    scoring_timeout_ms: z.number().int(),
    scoring_fallback: z.enum(FALLBACKS),
    updated_at: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("RiskSettings");

export const FiredRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  action: z.enum(DECISIONS),
  dry_run: z.boolean(),
  fallback: z.boolean(),
});

export const ReviewSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("review"),
    payment_id: z.string().openapi({ format: "uuid" }),
    status: z.enum(REVIEW_STATUSES),
    decision: z.literal("hold"),
    rules: z.array(FiredRuleSchema),
    amount: z.number().int(),
    currency: z.enum(CURRENCIES),
    capture_on_approval: z.boolean(),
    created_at: z.string().openapi({ format: "date-time" }),
    closed_at: z.string().nullable().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("Review");

export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
