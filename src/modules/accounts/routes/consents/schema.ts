import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../../platform/envelope";
import { CONSENT_SCOPES, CONSENT_STATUSES, MAX_CONSENT_DAYS } from "../../model";

/** Where the state machine is told once, for every consent route's description. */
export const CONSENT_STATES =
  "A consent moves `AwaitingAuthorisation → Authorised → Revoked | Expired`; the customer may instead refuse it (`AwaitingAuthorisation → Rejected`), and one not yet authorised may also be revoked or expire. Rejected, Revoked and Expired are final. A consent whose `expires_at` has passed reads as Expired (and `consent.expired` is published once).";

export const ConsentSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("consent"),
    status: z.enum(CONSENT_STATUSES),
    scopes: z.array(z.enum(CONSENT_SCOPES)),
    expires_at: z.string().openapi({ format: "date-time" }),
    authorisation_url: z.string().nullable().openapi({
      description:
        "Where to send the customer to authorise the consent; null once it no longer awaits authorisation. In the sandbox it names the simulate call `POST /v1/sandbox/consents/{id}/authorise`.",
    }),
    status_updated_at: z.string().openapi({ format: "date-time" }),
    authorised_at: z.string().nullable().openapi({ format: "date-time" }),
    created_at: z.string().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("Consent");

export const CreateConsentRequest = envelopeRequest(
  z.object({
    scopes: z
      .array(z.enum(CONSENT_SCOPES))
      .min(1)
      .max(CONSENT_SCOPES.length)
      .refine((list) => new Set(list).size === list.length, "a scope may appear once")
      .openapi({ description: "What the consent lets you read.", example: ["accounts", "balances"] }),
    expires_at: z.iso.datetime({ offset: true }).openapi({
      description: `When the consent stops working: in the future, at most ${MAX_CONSENT_DAYS} days ahead.`,
    }),
  }),
).openapi("CreateConsentRequest");

/** Operations that take no parameters: the body may be absent or `{ params: {} }`. */
export const EmptyOperationRequest = z
  .object({ id: z.uuid().optional(), params: z.object({}).default({}) })
  .openapi("ConsentOperationRequest");

export const ConsentIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
