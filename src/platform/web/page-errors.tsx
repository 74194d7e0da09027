/** @jsxImportSource hono/jsx */
import type { Context, ErrorHandler } from "hono";
import { handleError } from "../error-handler";
import { ApiError } from "../errors";
import type { AppEnv } from "../types";
import { refusalText } from "./answer";
import { Layout, type Site } from "./layout";

/**
 * A web interface's error handler: a refusal it makes itself (CSRF, a role, a bad form) or a
 * failure, as a page with its code. A path that does not exist answers as any such path does:
 * the envelope, not a page. A failure logs the error's name only: a message may quote what the
 * user typed.
 */
export function pageErrors<E extends AppEnv>(site: Site): ErrorHandler<E> {
  return (err, page) => {
    const c = page as unknown as Context<AppEnv>;
    if (err instanceof ApiError && err.reason === "route_not_found") return handleError(err, c);
    if (!(err instanceof ApiError))
      c.get("log").error(`${site.name} page failed`, { error: err instanceof Error ? err.name : "unknown" });
    const refusal = err instanceof ApiError ? err : new ApiError("unknown");
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'");
    c.header("Cache-Control", "no-store");
    return c.html(
      <Layout site={site} title="This did not work" environment={c.get("services").config.ENVIRONMENT}>
        <p class="flash flash-error" role="alert">
          {refusalText(refusal)}
        </p>
        <p>
          <a href={site.home}>Back to {site.name}</a>
        </p>
      </Layout>,
      refusal.status,
    );
  };
}
