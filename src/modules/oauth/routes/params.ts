import { readBounded } from "../../../platform/lib/bounded";
import { mediaTypeOf } from "../../../platform/middleware/json-body";
import { OAuthError } from "../../../platform/oauth-error";

/** The largest body an authorization-server endpoint reads. */
export const MAX_OAUTH_BODY = 64 * 1024;

/** Parses a JSON or form body into string parameters, or throws invalid_request. */
export async function readParams(req: Request): Promise<Record<string, string | undefined>> {
  const text = await readBounded(req.body, MAX_OAUTH_BODY);
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
