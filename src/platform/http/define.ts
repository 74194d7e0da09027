import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { Product } from "../catalog";
import { ErrorEnvelopeSchema } from "../envelope";
import { ERRORS, type ErrorName } from "../errors";
import { auditTrail } from "../middleware/audit";
import { deprecatedRoute, routeAnchor } from "../middleware/deprecation";
import { requireEntitlement } from "../middleware/entitlement";
import { planQuota } from "../middleware/plan-quota";
import { CURRENT_VERSION, type Deprecation, VERSION_DATES } from "../versions/registry";

/** Every /v1 route can refuse with these: authentication, limits, routing, validation. */
const EVERY_ROUTE: readonly ErrorName[] = [
  "unparseable_field",
  "validation",
  "method_not_allowed",
  "unauthenticated",
  "invalid_token",
  "token_expired",
  "environment_mismatch",
  // A sender-constrained token without its DPoP proof or certificate; a FAPI partner's bearer token.
  "dpop_proof_invalid",
  "dpop_proof_replayed",
  "dpop_proof_required",
  "dpop_key_mismatch",
  "client_certificate_required",
  "client_certificate_mismatch",
  "sender_constraint_required",
  "publishable_key_not_allowed",
  "partner_suspended",
  "ip_not_allowed",
  "terms_acceptance_required",
  "insufficient_scope",
  "route_not_found",
  "api_version_unknown",
  "rate_limited",
  "quota_exceeded",
  "limiter_unavailable",
  "service_unavailable",
];
/** A route of a product: the contract must license it and it can be switched off. */
const PRODUCT_ROUTE: readonly ErrorName[] = [
  "product_not_licensed",
  "product_disabled",
  "plan_quota_exhausted",
];
/** A route with a body: the JSON body middleware's refusals. */
const BODY_ROUTE: readonly ErrorName[] = ["invalid_json", "payload_too_large", "unsupported_media_type"];
/** A POST: the idempotency layer's refusals. */
const POST_ROUTE: readonly ErrorName[] = [
  "idempotency_key_required",
  "idempotency_key_reused",
  "idempotency_in_flight",
];

/** Every POST under /v1 carries one (the idempotency middleware enforces it before the route runs). */
const IDEMPOTENCY_KEY_HEADER: NonNullable<RouteConfig["parameters"]>[number] = {
  name: "Idempotency-Key",
  in: "header",
  required: true,
  description:
    "1–255 printable ASCII characters, unique per operation you mean once (a UUID will do). A retry with the same key and the same `params` answers the stored response with `Idempotent-Replayed: true`.",
  schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x20-\\x7E]+$" },
};

/** Every /v1 operation takes it: the API version to answer in, overriding the partner's pin (docs/versions.md). */
const VERSION_PARAMETER: NonNullable<RouteConfig["parameters"]>[number] = {
  name: "Portico-Version",
  in: "header",
  required: false,
  description:
    "The API version (a date) to speak for this request; without it, the version your partner account is pinned to. An unpublished or malformed version is 400, code 80. See /changelog.",
  schema: { type: "string", enum: [...VERSION_DATES], example: CURRENT_VERSION },
};

/** Every /v1 answer carries it, errors included; deprecated versions and routes add the deprecation headers. */
const VERSION_RESPONSE_HEADERS = {
  "Portico-Version": {
    description: "The API version this answer speaks: `Portico-Version` as sent, else your pinned version.",
    schema: { type: "string" as const, example: CURRENT_VERSION },
  },
  Deprecation: {
    description: "On a deprecated version or route only: since when (RFC 9745, `@<unix seconds>`).",
    schema: { type: "string" as const, example: "@1796083200" },
  },
  Sunset: {
    description:
      "On a deprecated version or route with a sunset date: when it stops being served (RFC 8594).",
    schema: { type: "string" as const, example: "Tue, 01 Jun 2027 00:00:00 GMT" },
  },
  Link: {
    description: 'On a deprecated version or route: `<…/changelog#…>; rel="deprecation"`, what to move to.',
    schema: { type: "string" as const },
  },
};

/** Each documented answer with the version headers. */
function withVersionHeaders<T extends Record<string | number, object>>(responses: T): T {
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => [
      status,
      {
        ...response,
        headers: { ...VERSION_RESPONSE_HEADERS, ...(response as { headers?: object }).headers },
      },
    ]),
  ) as T;
}

/** What every sandbox-only route says in its description. */
export const SANDBOX_ONLY = "Sandbox only: the route does not exist in production (404, code 31).";

/** The extension listing the catalogue codes a documented error status carries. */
export const ERROR_CODES_EXTENSION = "x-portico-error-codes";

/**
 * The documented error answers for a set of catalogue reasons: one response per status,
 * describing each code and listing the codes in `x-portico-error-codes`.
 */
export function errorResponses(reasons: readonly ErrorName[]) {
  const byStatus = new Map<number, ErrorName[]>();
  for (const reason of new Set(reasons)) {
    const { status } = ERRORS[reason];
    byStatus.set(status, [...(byStatus.get(status) ?? []), reason]);
  }
  const responses: Record<
    number,
    { description: string; content: object; [ERROR_CODES_EXTENSION]: number[] }
  > = {};
  for (const [status, names] of [...byStatus].sort(([a], [b]) => a - b)) {
    const sorted = names.sort((a, b) => ERRORS[a].code - ERRORS[b].code);
    responses[status] = {
      description: sorted.map((n) => `${ERRORS[n].code} (${n})`).join(", "),
      content: { "application/json": { schema: ErrorEnvelopeSchema } },
      [ERROR_CODES_EXTENSION]: sorted.map((n) => ERRORS[n].code),
    };
  }
  return responses;
}

/** The reasons a /v1 route can refuse with: the common ones for its method, and its own. */
export function routeErrors(
  method: string,
  path: string,
  product: Product | null,
  own: readonly ErrorName[] = [],
): ErrorName[] {
  const m = method.toUpperCase();
  return [
    ...EVERY_ROUTE,
    ...(product ? PRODUCT_ROUTE : []),
    ...(["POST", "PUT", "PATCH"].includes(m) ? BODY_ROUTE : []),
    ...(m === "POST" ? POST_ROUTE : []),
    ...(path.includes("{") ? (["not_found"] as const) : []),
    ...own,
  ];
}

// The operation id of every /v1 route, by `METHOD /hono/:template`: what metering counts a call under.
const OPERATIONS = new Map<string, string>();

/** The operation id of the /v1 route `method` + `template` (Hono's `:param` form), if it was defined. */
export const operationOf = (method: string, template: string): string | undefined =>
  OPERATIONS.get(`${method} ${template}`);

/**
 * A /v1 route: the OpenAPI description, the bearer scheme with its scope, the audit trail
 * (every write; reads too where `personalData`), and the entitlement middleware that
 * enforces the declared product and scope, in one place. `errors` are the route's own
 * refusals beyond the common ones; the documented responses are generated from them, so
 * every code a route answers is in the document.
 */
export function v1Route<R extends RouteConfig & { operationId: string }>(
  access: {
    product: Product | null;
    scope: string;
    personalData?: boolean;
    errors?: readonly ErrorName[];
    /** A route on its way out: its answers carry the deprecation headers at every version. */
    deprecated?: Deprecation;
  },
  config: R,
) {
  OPERATIONS.set(
    `${config.method.toUpperCase()} ${config.path.replace(/\{(\w+)\}/g, ":$1")}`,
    config.operationId,
  );
  return createRoute({
    ...config,
    parameters: [
      ...(config.parameters ?? []),
      ...(config.method === "post" ? [IDEMPOTENCY_KEY_HEADER] : []),
      VERSION_PARAMETER,
    ] as RouteConfig["parameters"],
    security: [{ oauth2: [access.scope] }],
    middleware: [
      ...(access.deprecated
        ? [deprecatedRoute(access.deprecated, routeAnchor(config.method, config.path))]
        : []),
      auditTrail(config.method, config.path, access.personalData ?? false),
      requireEntitlement(access.product, access.scope),
      planQuota(access.product),
    ],
    ...(access.deprecated ? { deprecated: true } : {}),
    responses: withVersionHeaders({
      ...errorResponses(routeErrors(config.method, config.path, access.product, access.errors)),
      ...config.responses,
    }),
    "x-portico-product": access.product ?? "platform",
  });
}
