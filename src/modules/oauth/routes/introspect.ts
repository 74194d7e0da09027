import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../platform/types";
import { introspectToken } from "../introspection";
import { clientRequestOf, oauthDeps } from "./client-request";
import { readParams } from "./params";
import { TokenParamsSchema } from "./revoke";
import { CLIENT_AUTH_RESPONSES } from "./schemas-tokens";

const IntrospectionRequestSchema = TokenParamsSchema("IntrospectionRequest");

const IntrospectionSchema = z
  .object({
    active: z.boolean(),
    scope: z.string().optional(),
    client_id: z.string().optional().openapi({ description: "The consumer key the token was issued to" }),
    token_type: z.enum(["Bearer", "DPoP", "refresh_token"]).optional(),
    exp: z.number().int().optional(),
    iat: z.number().int().optional(),
    sub: z.string().optional().openapi({ description: "Your partner id" }),
    aud: z.union([z.string(), z.array(z.string())]).optional(),
    iss: z.string().optional(),
    jti: z.string().optional(),
    cnf: z
      .object({ jkt: z.string().optional(), "x5t#S256": z.string().optional() })
      .optional()
      .openapi({ description: "The DPoP key or mutual-TLS certificate the token is bound to" }),
    consent_id: z
      .string()
      .optional()
      .openapi({ description: "The consent a consent-bound token reads with" }),
  })
  .openapi("Introspection", { example: { active: false } });

export function registerIntrospectRoute(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/oauth2/introspect",
    operationId: "introspectToken",
    tags: ["OAuth 2.0"],
    summary: "Introspect a token",
    description:
      'RFC 7662, with the client authentication of the token endpoint: the state of one of your tokens, read fresh. Expired, revoked, malformed and another partner\'s tokens are all `{"active": false}`; a consent-bound token is active only while its grant stands and its consent is Authorised. Errors follow RFC 6749 §5.2.',
    security: [{ basic: [] }],
    request: {
      body: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": { schema: IntrospectionRequestSchema },
          "application/json": { schema: IntrospectionRequestSchema },
        },
      },
    },
    responses: {
      200: {
        description: "The token's state (RFC 7662 §2.2)",
        content: { "application/json": { schema: IntrospectionSchema } },
      },
      ...CLIENT_AUTH_RESPONSES,
    },
  });

  app.post("/oauth2/introspect", async (c) => {
    const params = await readParams(c.req.raw);
    const result = await introspectToken(oauthDeps(c), clientRequestOf(c), params, (p) =>
      c.set("partner", p),
    );
    c.header("Cache-Control", "no-store");
    c.header("Pragma", "no-cache");
    return c.json(result);
  });
}
