import { internalRequest } from "../../platform/internal-call";
import { type ApiAnswer, apiRequest, callSelf, type PageContext } from "../../platform/web/self-call";
import { may } from "./model";
import type { LiveSession } from "./session";

export type { ApiAnswer };

/**
 * Calls the partner API as the signed-in user: the same routes, validation, limits, idempotency
 * and audit trail as any client's call, with the user's role as its scopes (src/platform/internal-call.ts).
 * A POST sends the form's Idempotency-Key, so a form submitted twice acts once.
 */
export function callApi<T = unknown>(
  c: PageContext,
  session: LiveSession,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  options: { params?: Record<string, unknown>; idempotencyKey?: string; query?: URLSearchParams } = {},
): Promise<ApiAnswer<T>> {
  const request = internalRequest(apiRequest(c, method, path, options), {
    partnerId: session.user.partnerId,
    clientId: `portal:${session.user.username}`,
    readOnly: !may.write(session.user.role),
  });
  return callSelf<T>(c, request);
}
