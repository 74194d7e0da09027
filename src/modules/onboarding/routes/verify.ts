import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { errorResponses } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { verifyEmail } from "../verification";
import { EmailVerificationSchema, VerifyQuery } from "./schema";

const route = createRoute({
  method: "get",
  path: "/onboarding/verify",
  operationId: "verifyEmail",
  tags: ["Onboarding"],
  summary: "Verify the contact email",
  description:
    "Production only. The link emailed at registration: signed, single use, valid 24 hours. Marks the registration's contact email verified.",
  security: [],
  request: { query: VerifyQuery },
  responses: {
    ...errorResponses([
      "unparseable_field",
      "validation",
      "method_not_allowed",
      "route_not_found",
      "service_unavailable",
      "verification_link_invalid",
      "verification_link_expired",
      "verification_link_used",
    ]),
    ...okResponse("The email is verified", EmailVerificationSchema),
  },
});

export function registerVerifyRoute(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { token } = c.req.valid("query");
    const { db, config } = c.get("services");
    const verified = await verifyEmail(db, config, token);
    c.get("log").info("email verified", { registration_id: verified.registrationId });
    c.header("Cache-Control", "no-store");
    return ok(c, {
      object: "email_verification" as const,
      registration_id: verified.registrationId,
      email_verified_at: verified.emailVerifiedAt,
    });
  });
}
