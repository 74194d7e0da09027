import { type ApiAnswer, apiRequest, callSelf, type PageContext } from "../../../platform/web/self-call";
import type { ApplicantSession } from "./session";

/**
 * Calls the onboarding API as the signed-in registrant: the same request a registrant's own client
 * sends, `Authorization: Bearer <onboarding session token>`, answered in this isolate through the
 * whole middleware chain, with the person's own address. The token never leaves the Worker.
 */
export function callOnboarding<T = unknown>(
  c: PageContext & { req: { header(name: string): string | undefined } },
  session: ApplicantSession | undefined,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  options: Parameters<typeof apiRequest>[3] = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (session) headers.Authorization = `Bearer ${session.token}`;
  // The person's address, as the API limits, locks out and records it (registration, sign-in, terms).
  const ip = c.req.header("CF-Connecting-IP");
  if (ip) headers["CF-Connecting-IP"] = ip;
  return callSelf<T>(c, apiRequest(c, method, path, { ...options, headers }));
}
