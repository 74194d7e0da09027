import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../../platform/envelope";

export const CredentialSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("credential"),
    consumer_key: z.string().openapi({ example: "ck_test_9fK2…" }),
    description: z.string().nullable(),
    status: z.enum(["active", "revoked"]),
    created_at: z.string().openapi({ format: "date-time" }),
    revoked_at: z.string().nullable().openapi({ format: "date-time" }),
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

export const CredentialIdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
});
