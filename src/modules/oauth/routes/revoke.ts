import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../platform/types";
import { revokeToken } from "../revocation";
import { clientRequestOf, oauthDeps } from "./client-request";
import { readParams } from "./params";
import { CLIENT_AUTH_RESPONSES } from "./schemas-tokens";

export const TokenParamsSchema = (name: string) =>
  z
    .object({
      token: z.string().openapi({ description: "An access token or a refresh token of yours" }),
      token_type_hint: z.string().optional().openapi({
        description:
          "Which kind `token` is (`access_token` or `refresh_token`): only the order of the look-ups. Both kinds are always tried, so any other hint is ignored (RFC 7009 §2.1)",
        example: "refresh_token",
      }),
    })
    .openapi(name, { example: { token: "<refresh token>", token_type_hint: "refresh_token" } });

const RevocationRequestSchema = TokenParamsSchema("RevocationRequest");

export function registerRevokeRoute(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/oauth2/revoke",
    operationId: "revokeToken",
    tags: ["OAuth 2.0"],
    summary: "Revoke a token",
    description:
      "RFC 7009, with the client authentication of the token endpoint. A refresh token revokes its whole grant (every refresh and access token of the chain); an access token revokes that token. An unknown, expired or another partner's token is answered the same 200 and changes nothing. Errors follow RFC 6749 §5.2.",
    security: [{ basic: [] }],
    request: {
      body: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": { schema: RevocationRequestSchema },
          "application/json": { schema: RevocationRequestSchema },
        },
      },
    },
    responses: {
      200: { description: "Revoked, or nothing to revoke (the body is empty)" },
      ...CLIENT_AUTH_RESPONSES,
    },
  });

  app.post("/oauth2/revoke", async (c) => {
    const params = await readParams(c.req.raw);
    await revokeToken(oauthDeps(c), clientRequestOf(c), params, (p) => c.set("partner", p));
    c.header("Cache-Control", "no-store");
    c.header("Pragma", "no-cache");
    return c.body(null, 200);
  });
}
