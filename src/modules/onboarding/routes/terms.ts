import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { acceptTerms, currentTerms } from "../terms";
import { clientIp } from "./register";
import { AcceptTermsRequest, TermsAcceptanceSchema, TermsSchema } from "./schema";

const getRoute = v1Route(
  { product: null, scope: "partner:read", errors: ["no_terms_published"] },
  {
    method: "get",
    path: "/v1/terms",
    operationId: "getTerms",
    tags: ["Terms"],
    summary: "The current terms of service",
    description:
      "Production only. The terms in force: version, text, its SHA-256, the acceptance deadline, and when you accepted them (null: not yet). After `accept_by`, every other call answers 403, code 24, until you accept.",
    responses: okResponse("The current terms", TermsSchema),
  },
);

const acceptRoute = v1Route(
  {
    product: null,
    scope: "partner:write",
    errors: ["no_terms_published", "terms_version_mismatch", "terms_hash_mismatch", "terms_already_accepted"],
  },
  {
    method: "post",
    path: "/v1/terms/accept",
    operationId: "acceptTerms",
    tags: ["Terms"],
    summary: "Accept one exact version of the terms",
    description:
      "Production only. Accepts the current version, named with the SHA-256 of the text you read. Records the credential that called, the client IP and the time.",
    request: { body: { required: true, content: { "application/json": { schema: AcceptTermsRequest } } } },
    responses: okResponse("The acceptance, as recorded", TermsAcceptanceSchema, 201),
  },
);

export function registerTermsRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(getRoute, async (c) =>
    ok(c, await currentTerms(c.get("services").db, c.get("caller").partnerId)),
  );
  app.openapi(acceptRoute, async (c) => {
    const { params } = c.req.valid("json");
    const caller = c.get("caller");
    const accepted = await acceptTerms(
      c.get("services").db,
      { partnerId: caller.partnerId, kind: "credential", id: caller.clientId },
      params,
      clientIp(c.req.header("CF-Connecting-IP")),
    );
    c.get("log").info("terms accepted", { version: accepted.version });
    return ok(c, accepted, 201);
  });
}
