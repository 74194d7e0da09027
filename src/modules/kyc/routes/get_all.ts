import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { listVerifications } from "../kyc";
import { KycVerificationSchema } from "./schema";

const Query = z.object({ ...pageQuery });

const route = v1Route(
  // Outcomes only: no field of a listed verification is personal.
  { product: "kyc", scope: "kyc:read" },
  {
    method: "get",
    path: "/v1/kyc/verifications",
    operationId: "listKycVerifications",
    tags: ["KYC"],
    summary: "List verifications",
    description:
      "Your verifications, newest first: their outcomes, never the values that were checked. Page with `starting_after` (the last id of the previous page).",
    request: { query: Query },
    responses: { 200: pageResponse(KycVerificationSchema, "A page of verifications") },
  },
);

export function registerListVerifications(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    return ok(c, await listVerifications(c.get("services").db, c.get("partner").id, pageOptions(q)));
  });
}
