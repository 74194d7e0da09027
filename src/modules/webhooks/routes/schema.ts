import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../platform/envelope";
import { EVENT_TYPES } from "../../../platform/events/events";

const SUBSCRIBABLE = EVENT_TYPES.filter((t) => t !== "ping");

export const EndpointSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("webhook_endpoint"),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()).openapi({ description: "Event types delivered here; empty: all of them." }),
    status: z.enum(["enabled", "disabled"]),
    disabled_reason: z.string().nullable(),
    api_version: z.string().openapi({
      description: "The API version events are rendered in for this endpoint (see /changelog).",
      example: "2026-12-01",
    }),
    signing: z.object({
      algorithm: z.enum(["hmac_sha256", "ed25519"]),
      public_key: z
        .string()
        .nullable()
        .openapi({ description: "ed25519 only: the `whpk_…` key that verifies `v1a,` signatures." }),
      previous_public_key: z.string().nullable(),
      previous_expires_at: z
        .string()
        .nullable()
        .openapi({ description: "Until then the previous secret signs too (24 h after a rotation)." }),
    }),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("WebhookEndpoint");

export const EndpointWithSecretSchema = EndpointSchema.extend({
  secret: z.string().nullable().openapi({
    description:
      "`whsec_…` (HMAC-SHA256) or `whsk_…` (Ed25519 private key): shown once, null when the answer is replayed.",
  }),
}).openapi("WebhookEndpointWithSecret");

const Url = z.string().min(1).max(2048).openapi({ example: "https://hooks.example.com/portico" });
const Events = z
  .array(z.enum(SUBSCRIBABLE))
  .max(SUBSCRIBABLE.length)
  .openapi({ description: "Event types to deliver; empty or absent: all." });
const Description = z.string().max(500);
const ApiVersionParam = z.string().max(40).openapi({
  description:
    "The API version to render this endpoint's events in: a published version (see /changelog); an unknown one is 400, code 80.",
  example: "2026-12-01",
});

export const CreateEndpointRequest = envelopeRequest(
  z.object({
    url: Url,
    events: Events.default([]),
    description: Description.optional(),
    signing: z
      .enum(["hmac_sha256", "ed25519"])
      .default("hmac_sha256")
      .openapi({ description: "`ed25519` lets you verify with a public key instead of a shared secret." }),
    api_version: ApiVersionParam.optional().openapi({
      description:
        "The API version to render this endpoint's events in; default: the version your account is pinned to. An unknown one is 400, code 80.",
    }),
  }),
).openapi("CreateWebhookEndpointRequest");

export const UpdateEndpointRequest = envelopeRequest(
  z.object({
    url: Url.optional(),
    events: Events.optional(),
    description: Description.nullable().optional(),
    status: z
      .enum(["enabled", "disabled"])
      .optional()
      .openapi({ description: "Re-enable an endpoint that was disabled, or pause one." }),
    api_version: ApiVersionParam.optional(),
  }),
).openapi("UpdateWebhookEndpointRequest");

export const RecoverRequest = envelopeRequest(
  z.object({
    since: z.iso
      .datetime({ offset: true })
      .openapi({ description: "Failed deliveries created since then are sent again." }),
  }),
).openapi("RecoverWebhookEndpointRequest");

export const EndpointIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
