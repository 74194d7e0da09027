import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../../platform/envelope";
import { ROTATION_OVERLAP } from "../../credentials";

export const CredentialSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("credential"),
    consumer_key: z.string().openapi({ example: "ck_test_9fK2…" }),
    description: z.string().nullable(),
    status: z.enum(["active", "revoked"]),
    created_at: z.string().openapi({ format: "date-time" }),
    revoked_at: z.string().nullable().openapi({ format: "date-time" }),
    expires_at: z.string().nullable().openapi({
      format: "date-time",
      description: "When a rotated key stops working (the end of its overlap); null: until revoked.",
    }),
    last_used_at: z.string().nullable().openapi({
      format: "date-time",
      description: "When the key last obtained a token (to the minute); null: never.",
    }),
  })
  .openapi("Credential");

export const NewCredentialSchema = CredentialSchema.extend({
  consumer_secret: z.string().nullable().openapi({
    description:
      "Shown once, stored only as a hash. Keep it secret. null when an idempotent retry replays the creation.",
  }),
}).openapi("NewCredential");

export const CreateCredentialRequest = envelopeRequest(
  z.object({
    description: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .nullable()
      .optional()
      .openapi({ example: "billing server" }),
  }),
).openapi("CreateCredentialRequest");

export const RotateCredentialRequest = envelopeRequest(
  z.object({
    overlap_seconds: z
      .number()
      .int()
      .min(0)
      .max(ROTATION_OVERLAP.maxSeconds)
      .optional()
      .openapi({
        description: `How long the old key keeps working beside the new one; default ${ROTATION_OVERLAP.defaultSeconds} (a day), at most ${ROTATION_OVERLAP.maxSeconds} (7 days), 0: it stops at once.`,
        example: 3600,
      }),
  }),
).openapi("RotateCredentialRequest");

export const RotatedCredentialSchema = z
  .object({
    ...NewCredentialSchema.shape,
    // The key rotated, with its `expires_at`: the end of the overlap (inline: one schema per component name).
    previous: z.object({ ...CredentialSchema.shape }),
  })
  .openapi("RotatedCredential");

export const CredentialIdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
});
