import { internalRequest } from "../../platform/internal-call";
import {
  type ApiAnswer,
  apiRequest,
  callSelf,
  fetchSelf,
  type PageContext,
} from "../../platform/web/self-call";
import { may } from "./model";
import type { LiveSession } from "./session";

export type { ApiAnswer };

/** A request a client would send, as the signed-in user: their partner, `portal:<username>`, read-only for a viewer. */
const asUser = (request: Request, session: LiveSession) =>
  internalRequest(request, {
    partnerId: session.user.partnerId,
    clientId: `portal:${session.user.username}`,
    readOnly: !may.write(session.user.role),
  });

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
  return callSelf<T>(c, asUser(apiRequest(c, method, path, options), session));
}

/** A GET of the partner API as the user, answered as it came, unread: a download (a PDF) the portal passes on. */
export function fetchApi(c: PageContext, session: LiveSession, path: string): Promise<Response> {
  return fetchSelf(c, asUser(apiRequest(c, "GET", path), session));
}
