import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { Product } from "../../../platform/catalog";
import { ok, okResponse } from "../../../platform/envelope";
import { ApiError } from "../../../platform/errors";
import { errorResponses } from "../../../platform/http/define";
import { jsonBody } from "../../../platform/middleware/json-body";
import type { AppEnv } from "../../../platform/types";
import { notificationConnectorFor, turnstileConnectorFor } from "../connector";
import type { SandboxProvisioner } from "../model";
import { checkRegistrationLimit, register } from "../registration";
import { RegisterRequest, RegistrationSchema } from "./schema";

/** The client's IP as Cloudflare's edge gives it. */
export const clientIp = (header: string | undefined) => header?.trim() || undefined;

const limit = createMiddleware<AppEnv>(async function registrationLimit(c, next) {
  const { limiter, config } = c.get("services");
  await checkRegistrationLimit(limiter, config, clientIp(c.req.header("CF-Connecting-IP")), c.get("log"));
  await next();
});

const route = createRoute({
  method: "post",
  path: "/onboarding/register",
  operationId: "register",
  tags: ["Onboarding"],
  summary: "Register a company",
  description:
    "Production only (the control plane). Creates the registration and, at once, a sandbox partner with every sandbox product and its credentials, answered once. Protected by Cloudflare Turnstile and limited per client IP. The contact email gets a verification link. See docs/onboarding.md.",
  security: [],
  middleware: [limit, jsonBody()],
  request: { body: { required: true, content: { "application/json": { schema: RegisterRequest } } } },
  responses: {
    ...errorResponses([
      "invalid_json",
      "unparseable_field",
      "validation",
      "method_not_allowed",
      "route_not_found",
      "payload_too_large",
      "unsupported_media_type",
      "rate_limited",
      "quota_exceeded",
      "limiter_unavailable",
      "service_unavailable",
      "upstream_unavailable",
      "upstream_failed",
      "upstream_empty",
      "turnstile_failed",
      "email_already_registered",
      "sandbox_provisioning_failed",
    ]),
    ...okResponse("The registration, with the sandbox credentials (shown once)", RegistrationSchema, 201),
  },
});

export function registerRegisterRoute(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { params } = c.req.valid("json");
    const { db, config } = c.get("services");
    const sandbox = c.env.SANDBOX as unknown as SandboxProvisioner | undefined;
    if (!sandbox) throw new ApiError("service_unavailable");
    // Fail closed before anything is written: no registration whose email nobody could send.
    notificationConnectorFor(config);
    const { registration, sandbox: credentials } = await register(
      {
        db,
        config,
        log: c.get("log"),
        turnstile: turnstileConnectorFor(config),
        sandbox,
        events: c.env.EVENTS_QUEUE,
      },
      params,
      clientIp(c.req.header("CF-Connecting-IP")),
    );
    c.header("Cache-Control", "no-store");
    return ok(
      c,
      {
        object: "registration" as const,
        id: registration.id,
        company_name: registration.companyName,
        country: registration.country,
        contact_email: registration.contactEmail,
        products: params.products,
        email_verified: false,
        created_at: registration.createdAt,
        sandbox: {
          environment: "sandbox" as const,
          partner_id: credentials.partnerId,
          consumer_key: credentials.consumerKey,
          consumer_secret: credentials.consumerSecret,
          username: credentials.username,
          products: credentials.products as Product[],
        },
      },
      201,
    );
  });
}
