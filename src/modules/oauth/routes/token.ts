import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../platform/types";
import { exchangeToken } from "../token-exchange";
import { clientRequestOf, oauthDeps } from "./client-request";
import { readParams } from "./params";
import { IP_NOT_ALLOWED, OAuthErrorSchema } from "./schemas";

const TokenRequestSchema = z
  .object({
    grant_type: z.enum(["password", "client_credentials", "authorization_code", "refresh_token"]),
    username: z.string().optional().openapi({ description: "password grant: the partner user's login" }),
    password: z.string().optional().openapi({ description: "password grant: the partner user's password" }),
    scope: z.string().optional().openapi({
      description:
        "Space-separated scopes; default: all the contract grants (refresh_token: all the grant's; a narrower set may be asked)",
    }),
    code: z
      .string()
      .optional()
      .openapi({ description: "authorization_code: the code /authorize redirected with" }),
    redirect_uri: z.string().optional().openapi({
      description: "authorization_code: exactly the redirect_uri of the pushed authorization request",
    }),
    code_verifier: z.string().optional().openapi({
      description: "authorization_code: the PKCE verifier (RFC 7636) of the S256 code_challenge",
    }),
    refresh_token: z
      .string()
      .optional()
      .openapi({ description: "refresh_token: the last refresh token issued (each is used once)" }),
  })
  .openapi("TokenRequest", { example: { grant_type: "client_credentials" } });

const TokenResponseSchema = z
  .object({
    access_token: z.string(),
    scope: z.string(),
    token_type: z.enum(["Bearer", "DPoP"]),
    expires_in: z.number().int(),
    refresh_token: z.string().optional(),
  })
  .openapi("TokenResponse");

export function registerTokenRoute(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/oauth2/token",
    operationId: "createToken",
    tags: ["OAuth 2.0"],
    summary: "Get an access token",
    description:
      "Client authentication with `Authorization: Basic base64(consumer_key:consumer_secret)`. Grants: `password` (the partner user's login, as in the bank's contract), `client_credentials`, `authorization_code` (a consent's code, with PKCE) and `refresh_token` (rotated on each use). Errors follow RFC 6749 §5.2.",
    security: [{ basic: [] }],
    request: {
      body: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": { schema: TokenRequestSchema },
          "application/json": { schema: TokenRequestSchema },
        },
      },
    },
    responses: {
      200: {
        description: "An ES256 JWT access token",
        content: { "application/json": { schema: TokenResponseSchema } },
      },
      400: { description: "RFC 6749 error", content: { "application/json": { schema: OAuthErrorSchema } } },
      401: {
        description: "invalid_client, with WWW-Authenticate: Basic",
        content: { "application/json": { schema: OAuthErrorSchema } },
      },
      403: IP_NOT_ALLOWED,
      413: {
        description: "invalid_request: the body is over 64 KiB",
        content: { "application/json": { schema: OAuthErrorSchema } },
      },
      415: {
        description: "invalid_request: the body is neither form-encoded nor JSON",
        content: { "application/json": { schema: OAuthErrorSchema } },
      },
    },
  });

  app.post("/oauth2/token", async (c) => {
    const params = await readParams(c.req.raw);
    // Once the client authenticated, the answer is that partner's (CORS checks its contract's origins).
    // The key's last use is written after the answer (the portal shows it).
    const result = await exchangeToken(oauthDeps(c), clientRequestOf(c), params, (p) => c.set("partner", p));
    c.header("Cache-Control", "no-store");
    c.header("Pragma", "no-cache");
    c.get("log").info("token issued", { grant_type: params.grant_type });
    return c.json(result);
  });
}
