import { z } from "@hono/zod-openapi";
import { ERRORS } from "../../../platform/errors";
import { ERROR_CODES_EXTENSION } from "../../../platform/http/define";

/** RFC 6749 §5.2: what every authorization-server endpoint answers a refusal with. */
export const OAuthErrorSchema = z
  .object({
    error: z.enum([
      "invalid_request",
      "invalid_client",
      "invalid_grant",
      "unauthorized_client",
      "unsupported_grant_type",
      "invalid_scope",
      "invalid_dpop_proof",
      "use_dpop_nonce",
      "invalid_request_uri",
      "unsupported_token_type",
      "access_denied",
    ]),
    error_description: z.string(),
    code: z.number().int().optional().openapi({
      description: "The catalogue's code, where the refusal is one it names (23: the IP allow-list)",
    }),
  })
  .openapi("OAuthError");

/** The one catalogue refusal the token endpoint answers, in the RFC 6749 shape with its `code`. */
export const IP_NOT_ALLOWED = {
  description:
    "unauthorized_client with code 23 (ip_not_allowed): the client authenticated, but the request's address (CF-Connecting-IP) is not in the contract's IP allow-list",
  content: { "application/json": { schema: OAuthErrorSchema } },
  [ERROR_CODES_EXTENSION]: [ERRORS.ip_not_allowed.code],
};
