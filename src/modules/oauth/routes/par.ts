import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../platform/types";
import { consentDeps } from "../../accounts/consent-gate";
import { pushAuthorizationRequest } from "../par";
import { clientRequestOf, oauthDeps } from "./client-request";
import { readParams } from "./params";
import { IP_NOT_ALLOWED, OAuthErrorSchema } from "./schemas";

const ParRequestSchema = z
  .object({
    response_type: z.literal("code"),
    client_id: z.string().openapi({ description: "The consumer key the request authenticates with" }),
    redirect_uri: z.url().openapi({ description: "Exactly one of the client's registered redirect URIs" }),
    consent_id: z.uuid().openapi({ description: "One of your consents, AwaitingAuthorisation" }),
    code_challenge: z.string().openapi({ description: "PKCE (RFC 7636): BASE64URL(SHA-256(code_verifier))" }),
    code_challenge_method: z.literal("S256"),
    scope: z.string().optional().openapi({
      description:
        "Space-separated consent scopes (accounts, balances, transactions); default: all the consent covers",
    }),
    state: z.string().max(512).optional().openapi({ description: "Echoed on the redirect" }),
    nonce: z.string().max(512).optional().openapi({ description: "Kept with the code" }),
    dpop_jkt: z.string().optional().openapi({
      description: "RFC 9449 §10: the thumbprint of the DPoP key the code is bound to (or send a DPoP proof)",
    }),
  })
  .openapi("PushedAuthorizationRequest");

const ParResponseSchema = z
  .object({
    request_uri: z
      .string()
      .openapi({ example: "urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c" }),
    expires_in: z.number().int().openapi({ example: 60 }),
  })
  .openapi("PushedAuthorizationResponse");

const oauthError = (description: string) => ({
  description,
  content: { "application/json": { schema: OAuthErrorSchema } },
});

export function registerParRoute(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/oauth2/par",
    operationId: "pushAuthorizationRequest",
    tags: ["OAuth 2.0"],
    summary: "Push an authorization request (PAR)",
    description:
      "RFC 9126: the client authenticates as at the token endpoint and pushes the authorization request of one of its consents; the answer's `request_uri` goes to `GET /authorize?client_id&request_uri`, once, within `expires_in` seconds. `request` and `request_uri` parameters are refused (FAPI 2.0). Errors follow RFC 6749 §5.2. See docs/consent-authorisation.md.",
    security: [{ basic: [] }],
    request: {
      body: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": { schema: ParRequestSchema },
          "application/json": { schema: ParRequestSchema },
        },
      },
    },
    responses: {
      201: {
        description: "The pushed request's URI, for /authorize",
        content: { "application/json": { schema: ParResponseSchema } },
      },
      400: oauthError(
        "invalid_request (a missing or wrong parameter, an unregistered redirect_uri, PKCE other than S256, a consent not awaiting authorisation), invalid_scope or invalid_dpop_proof",
      ),
      401: oauthError("invalid_client, with WWW-Authenticate: Basic"),
      403: IP_NOT_ALLOWED,
      413: oauthError("invalid_request: the body is over 64 KiB"),
      415: oauthError("invalid_request: the body is neither form-encoded nor JSON"),
    },
  });

  app.post("/oauth2/par", async (c) => {
    const params = await readParams(c.req.raw);
    const pushed = await pushAuthorizationRequest(
      { ...oauthDeps(c), ...consentDeps(c) },
      clientRequestOf(c),
      params,
      (p) => c.set("partner", p),
    );
    c.header("Cache-Control", "no-store");
    c.header("Pragma", "no-cache");
    c.get("log").info("authorization request pushed", { consent_id: params.consent_id });
    return c.json(pushed, 201);
  });
}
