import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { Product } from "../../../platform/catalog";
import { ok, okResponse } from "../../../platform/envelope";
import { errorResponses } from "../../../platform/http/define";
import { jsonBody } from "../../../platform/middleware/json-body";
import type { AppEnv } from "../../../platform/types";
import { enforceLimit } from "../limits";
import { productionPartnerOf, signIn } from "../session";
import { acceptTerms, currentTerms } from "../terms";
import { renewVerification } from "../verification";
import {
  RegistrationStateSchema,
  SessionRequest,
  SessionSchema,
  VerificationRequestSchema,
} from "./application-schema";
import { clientIp } from "./register";
import { AcceptTermsRequest, TermsAcceptanceSchema, TermsSchema } from "./schema";
import { registrationOf, sessionRoute } from "./session-route";

// Sign-ins per client IP, counted before the body is read (the password lockout is per email).
const limit = createMiddleware<AppEnv>(async function signInLimit(c, next) {
  const { limiter, config } = c.get("services");
  const ip = clientIp(c.req.header("CF-Connecting-IP")) ?? "unknown";
  await enforceLimit(
    limiter,
    config,
    { key: `onboarding-session:${ip}`, limit: 2, windowMs: 1000, dailyQuota: 200 },
    c.get("log"),
  );
  await next();
});

const signInRoute = createRoute({
  method: "post",
  path: "/onboarding/session",
  operationId: "onboardingSignIn",
  tags: ["Onboarding"],
  summary: "Sign in as the registrant",
  description:
    "Production only. The contact email and the registration's password give a session token, valid one hour, for the calls below (terms, the production application, live credentials). Limited per client IP; five wrong passwords in 15 minutes lock the email for 15 minutes.",
  security: [],
  middleware: [limit, jsonBody()],
  request: { body: { required: true, content: { "application/json": { schema: SessionRequest } } } },
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
      "sign_in_failed",
      "sign_in_locked",
    ]),
    ...okResponse("The session", SessionSchema, 201),
  },
});

const registrationRoute = sessionRoute(
  {},
  {
    method: "get",
    path: "/onboarding/registration",
    operationId: "onboardingRegistration",
    summary: "Your registration",
    description: "Production only. What you registered, whether the email is verified, your partner ids.",
    responses: okResponse("The registration", RegistrationStateSchema),
  },
);

const verificationRoute = sessionRoute(
  { errors: ["email_already_verified", "rate_limited", "quota_exceeded", "limiter_unavailable"] },
  {
    method: "post",
    path: "/onboarding/verification",
    operationId: "onboardingNewVerificationLink",
    summary: "Send a new email verification link",
    description:
      "Production only. A new link to the contact email, valid 24 hours; earlier links stop working. Once a minute, five a day.",
    responses: okResponse("The link is on its way", VerificationRequestSchema, 202),
  },
);

const termsRoute = sessionRoute(
  { errors: ["no_terms_published"] },
  {
    method: "get",
    path: "/onboarding/terms",
    operationId: "onboardingTerms",
    tags: ["Terms"],
    summary: "The current terms of service, before going live",
    description:
      "Production only. The terms in force, and when you accepted them for your production partner (null: not yet). Submitting an application needs them accepted.",
    responses: okResponse("The current terms", TermsSchema),
  },
);

const acceptRoute = sessionRoute(
  {
    errors: ["no_terms_published", "terms_version_mismatch", "terms_hash_mismatch", "terms_already_accepted"],
  },
  {
    method: "post",
    path: "/onboarding/terms/accept",
    operationId: "onboardingAcceptTerms",
    tags: ["Terms"],
    summary: "Accept one exact version of the terms, before going live",
    description:
      "Production only. Recorded for the production partner your registration will become (accepted by kind `user`, your registration id), with the client IP and the time.",
    request: { body: { required: true, content: { "application/json": { schema: AcceptTermsRequest } } } },
    responses: okResponse("The acceptance, as recorded", TermsAcceptanceSchema, 201),
  },
);

export function registerSessionRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(signInRoute, async (c) => {
    const { params } = c.req.valid("json");
    const { db, config } = c.get("services");
    const session = await signIn(db, config, params.email, params.password);
    c.get("log").info("onboarding sign-in", { registration_id: session.registration.id });
    c.header("Cache-Control", "no-store");
    return ok(
      c,
      {
        object: "onboarding_session" as const,
        registration_id: session.registration.id,
        token: session.token,
        token_type: "Bearer" as const,
        expires_at: session.expiresAt,
      },
      201,
    );
  });
  app.openapi(registrationRoute, async (c) => {
    const r = registrationOf(c);
    return ok(c, {
      object: "registration" as const,
      id: r.id,
      company_name: r.companyName,
      country: r.country,
      contact_email: r.contactEmail,
      products: r.productsWanted as Product[],
      email_verified: r.emailVerifiedAt !== null,
      email_verified_at: r.emailVerifiedAt,
      sandbox_partner_id: r.sandboxPartnerId,
      production_partner_id: r.productionPartnerId,
      created_at: r.createdAt,
    });
  });
  app.openapi(verificationRoute, async (c) => {
    const { db, config, limiter } = c.get("services");
    const renewed = await renewVerification(
      { db, config, limiter, log: c.get("log"), events: c.env.EVENTS_QUEUE },
      registrationOf(c),
    );
    return ok(
      c,
      {
        object: "email_verification_request" as const,
        registration_id: renewed.registrationId,
        expires_at: renewed.expiresAt,
      },
      202,
    );
  });
  app.openapi(termsRoute, async (c) => {
    const r = registrationOf(c);
    return ok(c, await currentTerms(c.get("services").db, productionPartnerOf(r)));
  });
  app.openapi(acceptRoute, async (c) => {
    const { params } = c.req.valid("json");
    const r = registrationOf(c);
    const accepted = await acceptTerms(
      c.get("services").db,
      { partnerId: productionPartnerOf(r), kind: "user", id: r.id },
      params,
      clientIp(c.req.header("CF-Connecting-IP")),
    );
    c.get("log").info("terms accepted", { version: accepted.version, registration_id: r.id });
    return ok(c, accepted, 201);
  });
}
