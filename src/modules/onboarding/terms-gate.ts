import { createMiddleware } from "hono/factory";
import { ApiError } from "../../platform/errors";
import type { AppEnv } from "../../platform/types";
import { isTermsPath } from "./model";

/**
 * Production, after authentication: a partner whose current terms are overdue (not accepted by
 * their deadline) is refused with code 24 on every /v1 call but the terms calls. Reads only the
 * cached profile: no D1 per request.
 */
export const termsGate = () =>
  createMiddleware<AppEnv>(async function termsGate(c, next) {
    const due = c.get("partner").termsDue;
    if (
      due &&
      c.get("services").config.ENVIRONMENT === "production" &&
      Date.parse(due.acceptBy) <= Date.now() &&
      !isTermsPath(c.req.path)
    ) {
      throw new ApiError("terms_acceptance_required", { version: due.version, accept_by: due.acceptBy });
    }
    await next();
  });
