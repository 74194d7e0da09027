/** @jsxImportSource hono/jsx */
import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/types";
import { formOf, sameOrigin } from "../../../platform/web/forms";
import { Layout } from "../../../platform/web/layout";
import type { ApiAnswer, ApiMethod } from "../../../platform/web/self-call";
import { ACCESS_HEADER, callAdmin, csrfToken, csrfValid } from "../admin-call";
import { CONSOLE } from "../site";

export { formOf };

/** The person at the console: their Access assertion, who the admin API says they are, their CSRF token. */
interface Admin {
  assertion: string;
  identity: string;
  subject: string;
  role: string;
  csrf: string;
}
export type ConsoleEnv = AppEnv & { Variables: AppEnv["Variables"] & { console: Admin } };
export type ConsoleContext = Context<ConsoleEnv>;

export const environmentOf = (c: { get: Context<AppEnv>["get"] }) => c.get("services").config.ENVIRONMENT;

/**
 * Who is at the console: the admin API says so (`GET /admin/v1/me` with their Access assertion),
 * so the console knows no other way in. Every POST carries the person's CSRF token from this origin.
 */
export const requireAdmin: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const assertion = c.req.header(ACCESS_HEADER)?.trim() ?? "";
  const me = await callAdmin<{ identity: string; subject: string; role: string }>(
    c,
    assertion,
    "GET",
    "/admin/v1/me",
  );
  if (!me.result) {
    const error = me.error ?? { code: 100, message: "Sign in through Cloudflare Access" };
    return c.html(
      <Layout site={CONSOLE} title="Sign in through Cloudflare Access" environment={environmentOf(c)}>
        <p class="flash flash-error" role="alert">
          {error.message} (code {error.code})
        </p>
        <p>
          The console is for the bank's platform team, behind Cloudflare Access. Open it through the Access
          login of your organisation.
        </p>
      </Layout>,
      me.status as ContentfulStatusCode,
    );
  }
  const dataKey = c.get("services").config.WEBHOOK_SECRETS_KEY;
  const admin: Admin = { assertion, ...me.result, csrf: await csrfToken(dataKey, me.result.subject) };
  if (c.req.method === "POST") {
    const form = await formOf(c);
    if (!sameOrigin(c) || !(await csrfValid(dataKey, admin.subject, form.csrf)))
      throw new ApiError("portal_csrf");
  }
  c.set("console", admin);
  await next();
};

/** The frame every console page shares: its title, the environment, the person and their CSRF token. */
export function frameOf(c: ConsoleContext, title: string) {
  const admin = c.get("console");
  return {
    site: CONSOLE,
    title,
    environment: environmentOf(c),
    user: { username: admin.identity, role: admin.role },
    csrf: admin.csrf,
  };
}

/** An admin API call as the person at the console, with their own assertion (and so their role). */
export function asAdmin<T = unknown>(
  c: ConsoleContext,
  method: ApiMethod,
  path: string,
  options: { params?: Record<string, unknown>; idempotencyKey?: string; query?: URLSearchParams } = {},
): Promise<ApiAnswer<T>> {
  return callAdmin<T>(c, c.get("console").assertion, method, path, options);
}
