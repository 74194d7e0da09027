import { IP_NOT_ALLOWED, OAuthErrorSchema } from "./schemas";

const oauthError = (description: string) => ({
  description,
  content: { "application/json": { schema: OAuthErrorSchema } },
});

/** The refusals of an endpoint that authenticates the client and reads a token parameter. */
export const CLIENT_AUTH_RESPONSES = {
  400: oauthError("invalid_request: `token` is missing, or a parameter is not a string"),
  401: oauthError("invalid_client, with WWW-Authenticate: Basic"),
  403: IP_NOT_ALLOWED,
  413: oauthError("invalid_request: the body is over 64 KiB"),
  415: oauthError("invalid_request: the body is neither form-encoded nor JSON"),
};
