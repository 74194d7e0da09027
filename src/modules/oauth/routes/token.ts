import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../platform/types";
import { currentDpopNonce } from "../dpop-nonce";
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
      "Client authentication: `Authorization: Basic base64(consumer_key:consumer_secret)`, a signed `client_assertion` (`private_key_jwt`) or the mutual-TLS certificate (`tls_client_auth`); a FAPI contract takes only the last two (docs/client-authentication.md). Grants: `password` (the partner user's login, as in the bank's contract; never under FAPI), `client_credentials`, `authorization_code` (a consent's code, with PKCE) and `refresh_token` (rotated on each use). Errors follow RFC 6749 §5.2.\n\n" +
      "Sender-constrained tokens (docs/sender-constrained-tokens.md): with a `DPoP` proof (RFC 9449: `typ` `dpop+jwt`, ES256, PS256 or EdDSA, the server's nonce) the token is bound to the proof's key (`cnf.jkt`) and its `token_type` is `DPoP`; over mutual TLS it is bound to the client certificate (`cnf.x5t#S256`). The first proof without a nonce is answered 400 `use_dpop_nonce` with a `DPoP-Nonce` header: retry with that nonce. A FAPI partner gets sender-constrained tokens only.",
    security: [{ basic: [] }],
    request: {
      headers: z.object({
        DPoP: z.string().optional().openapi({
          description:
            "A DPoP proof JWT for POST on this URL, with the server's nonce: binds the token to its key",
        }),
      }),
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
        description:
          "An ES256 JWT access token; `DPoP-Nonce` (the next nonce) when the request had a DPoP proof",
        headers: {
          "DPoP-Nonce": {
            description: "The server nonce the next DPoP proof carries",
            schema: { type: "string" },
          },
        },
        content: { "application/json": { schema: TokenResponseSchema } },
      },
      400: {
        description:
          "RFC 6749 error; `invalid_dpop_proof` or `use_dpop_nonce` (RFC 9449) with a fresh `DPoP-Nonce` header",
        headers: {
          "DPoP-Nonce": { description: "The server nonce to put in the proof", schema: { type: "string" } },
        },
        content: { "application/json": { schema: OAuthErrorSchema } },
      },
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
    const request = clientRequestOf(c);
    const result = await exchangeToken(oauthDeps(c), request, params, (p) => c.set("partner", p));
    // RFC 9449 §8: a DPoP client learns the next nonce from every answer.
    if (request.dpop !== undefined) c.header("DPoP-Nonce", await currentDpopNonce(c.get("services").config));
    c.header("Cache-Control", "no-store");
    c.header("Pragma", "no-cache");
    c.get("log").info("token issued", { grant_type: params.grant_type });
    return c.json(result);
  });
}
