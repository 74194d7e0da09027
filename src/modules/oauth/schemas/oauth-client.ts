import { z } from "@hono/zod-openapi";
import { MAX_CLIENT_KEYS } from "../client-keys";
import { MAX_REDIRECT_URIS } from "../client-registration";

/** A public signature key as registered: the key checks (client-keys.ts) refuse anything private. */
const PublicJwkSchema = z
  .object({
    kty: z.enum(["EC", "RSA", "OKP"]),
    kid: z.string().min(1).max(128),
    alg: z.enum(["ES256", "PS256", "EdDSA"]).optional(),
    use: z.literal("sig").optional(),
    crv: z.enum(["P-256", "Ed25519"]).optional(),
    x: z.string().max(1024).optional(),
    y: z.string().max(1024).optional(),
    n: z.string().max(2048).optional(),
    e: z.string().max(16).optional(),
  })
  .catchall(z.unknown())
  .openapi("PublicJwk", {
    description:
      "A public key: EC on P-256 (ES256), RSA of 2048 bits or more (PS256) or OKP Ed25519 (EdDSA), with a `kid`. A private member (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`) is refused.",
  });

const JwksSchema = z
  .object({ keys: z.array(PublicJwkSchema).min(1).max(MAX_CLIENT_KEYS) })
  .openapi("PublicJwks", {
    description: `Your public keys for private_key_jwt (at most ${MAX_CLIENT_KEYS}).`,
  });

export const OAuthClientInput = z
  .object({
    jwks: JwksSchema.optional(),
    jwks_uri: z.string().max(2048).optional().openapi({
      description:
        "Where your public keys are published (https; the same host rules as webhook endpoints). Fetched when an assertion is checked, cached 5 minutes, fetched again at once for an unknown `kid`. Not with `jwks`.",
      example: "https://partner.example/.well-known/jwks.json",
    }),
    tls_client_auth_subject_dn: z.string().min(1).max(1024).optional().openapi({
      description:
        "tls_client_auth: the subject DN of your client certificate, exactly as the edge reads it.",
      example: "CN=payments.partner.example,O=Partner Ltd,C=GB",
    }),
    tls_client_certificate_sha256: z.string().max(95).optional().openapi({
      description: "tls_client_auth: the hex SHA-256 of your client certificate's DER (colons allowed).",
    }),
    redirect_uris: z
      .array(z.string().max(2048))
      .max(MAX_REDIRECT_URIS)
      .openapi({
        description:
          "Exact absolute URIs a customer is sent back to after authorising a consent: https, no fragment, no wildcard (the sandbox also takes http on localhost).",
        example: ["https://app.partner.example/callback"],
      }),
  })
  .strict();

export const OAuthClientSchema = z
  .object({
    object: z.literal("oauth_client"),
    partner_id: z.string().openapi({ format: "uuid" }),
    security_profile: z.enum(["standard", "fapi"]).openapi({
      description:
        "`fapi`: only private_key_jwt and tls_client_auth, never a client secret nor the password grant.",
    }),
    token_endpoint_auth_methods: z.array(z.string()).openapi({
      description: "The methods your clients may authenticate with at the token endpoint, as registered.",
      example: ["client_secret_basic", "private_key_jwt"],
    }),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).nullable(),
    jwks_uri: z.string().nullable(),
    tls_client_auth_subject_dn: z.string().nullable(),
    tls_client_certificate_sha256: z.string().nullable(),
    redirect_uris: z.array(z.string()),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("OAuthClient");

export const OAUTH_CLIENT_PUT_DESCRIPTION =
  "Replaces the registration whole (a member left out is removed), so repeating the same request is harmless: no Idempotency-Key is needed. `jwks` or `jwks_uri` (not both) for private_key_jwt; a certificate's subject DN or SHA-256 for tls_client_auth. Under a FAPI contract the registration must keep keys or a certificate (400, code 252). A refused registration (400, code 251) changes nothing.";
