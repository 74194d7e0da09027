import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ERRORS } from "../../../platform/errors";
import { ERROR_CODES_EXTENSION } from "../../../platform/http/define";
import { readBounded } from "../../../platform/lib/bounded";
import { mediaTypeOf } from "../../../platform/middleware/json-body";
import { OAuthError } from "../../../platform/oauth-error";
import type { AppEnv } from "../../../platform/types";
import { CLIENT_ADDRESS_HEADER } from "../ip-allowlist";
import { exchangeToken } from "../oauth";

const MAX_TOKEN_BODY = 64 * 1024;

const TokenRequestSchema = z
  .object({
    grant_type: z.enum(["password", "client_credentials"]),
    username: z.string().optional().openapi({ description: "password grant: the partner user's login" }),
    password: z.string().optional().openapi({ description: "password grant: the partner user's password" }),
    scope: z
      .string()
      .optional()
      .openapi({ description: "Space-separated scopes; default: all the contract grants" }),
  })
  .openapi("TokenRequest", { example: { grant_type: "client_credentials" } });

const TokenResponseSchema = z
  .object({
    access_token: z.string(),
    scope: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int(),
  })
  .openapi("TokenResponse");

const OAuthErrorSchema = z
  .object({
    error: z.enum([
      "invalid_request",
      "invalid_client",
      "invalid_grant",
      "unauthorized_client",
      "unsupported_grant_type",
      "invalid_scope",
    ]),
    error_description: z.string(),
    code: z.number().int().optional().openapi({
      description: "The catalogue's code, where the refusal is one it names (23: the IP allow-list)",
    }),
  })
  .openapi("OAuthError");

/** The one catalogue refusal the token endpoint answers, in the RFC 6749 shape with its `code`. */
const IP_NOT_ALLOWED = {
  description:
    "unauthorized_client with code 23 (ip_not_allowed): the client authenticated, but the request's address (CF-Connecting-IP) is not in the contract's IP allow-list",
  content: { "application/json": { schema: OAuthErrorSchema } },
  [ERROR_CODES_EXTENSION]: [ERRORS.ip_not_allowed.code],
};

/** Parses a JSON or form body into string parameters, or throws invalid_request. */
async function readParams(req: Request): Promise<Record<string, string | undefined>> {
  const text = await readBounded(req.body, MAX_TOKEN_BODY);
  if (text === undefined) throw new OAuthError("invalid_request", "The request body is too large", 413);
  const type = mediaTypeOf(req.headers.get("Content-Type")).toLowerCase();
  if (type === "application/x-www-form-urlencoded") return Object.fromEntries(new URLSearchParams(text));
  if (type === "application/json") {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new OAuthError("invalid_request", "Request contains invalid JSON format");
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new OAuthError("invalid_request", "The body must be a JSON object");
    }
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v !== "string") throw new OAuthError("invalid_request", `Parameter ${k} must be a string`);
      params[k] = v;
    }
    return params;
  }
  throw new OAuthError(
    "invalid_request",
    "Content-Type must be application/x-www-form-urlencoded or application/json",
    415,
  );
}

export function registerTokenRoute(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/oauth2/token",
    operationId: "createToken",
    tags: ["OAuth 2.0"],
    summary: "Get an access token",
    description:
      "Client authentication with `Authorization: Basic base64(consumer_key:consumer_secret)`. Grants: `password` (the partner user's login, as in the bank's contract) and `client_credentials`. Errors follow RFC 6749 §5.2.",
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
    const result = await exchangeToken(
      // The key's last use is written after the answer (the portal shows it).
      { ...c.get("services"), log: c.get("log"), defer: (work) => c.executionCtx.waitUntil(work) },
      { authorization: c.req.header("Authorization"), address: c.req.header(CLIENT_ADDRESS_HEADER) },
      params,
      (p) => c.set("partner", p),
    );
    c.header("Cache-Control", "no-store");
    c.header("Pragma", "no-cache");
    c.get("log").info("token issued", { grant_type: params.grant_type });
    return c.json(result);
  });
}
