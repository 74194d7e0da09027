import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ErrorName } from "../../../platform/errors";
import { errorResponses } from "../../../platform/http/define";
import { jsonBody } from "../../../platform/middleware/json-body";
import type { AppEnv } from "../../../platform/types";
import { type RegistrationRow, registrationOfSession } from "../session";

// The registration each request's session names, set by the middleware before any body is read.
const sessions = new WeakMap<Request, RegistrationRow>();

const sessionAuth = createMiddleware<AppEnv>(async function onboardingSession(c, next) {
  const { db, config } = c.get("services");
  sessions.set(c.req.raw, await registrationOfSession(db, config, c.req.header("Authorization")));
  await next();
});

/** The signed-in registration (the route's middleware authenticated it). */
export function registrationOf(c: Context<AppEnv>): RegistrationRow {
  const registration = sessions.get(c.req.raw);
  if (!registration) throw new Error("onboarding route served without its session middleware");
  return registration;
}

const EVERY: readonly ErrorName[] = [
  "unparseable_field",
  "validation",
  "method_not_allowed",
  "route_not_found",
  "onboarding_session_invalid",
  "service_unavailable",
];
const BODY: readonly ErrorName[] = ["invalid_json", "payload_too_large", "unsupported_media_type"];

/**
 * A call on the registrant's session (production only): `Authorization: Bearer <session token>`
 * checked first (401, code 131), then the JSON body for writes (unless `rawBody`), and every
 * refusal documented.
 */
export function sessionRoute<R extends RouteConfig & { operationId: string }>(
  access: { errors?: readonly ErrorName[]; rawBody?: boolean },
  config: R,
) {
  const write = ["POST", "PUT", "PATCH"].includes(config.method.toUpperCase());
  return createRoute({
    ...config,
    tags: config.tags ?? ["Onboarding"],
    security: [{ onboardingSession: [] }],
    middleware: [sessionAuth, ...(write && !access.rawBody ? [jsonBody()] : [])],
    responses: {
      ...errorResponses([
        ...EVERY,
        ...(write && !access.rawBody ? BODY : []),
        ...(config.path.includes("{") ? (["not_found"] as const) : []),
        ...(access.errors ?? []),
      ]),
      ...config.responses,
    },
  });
}
