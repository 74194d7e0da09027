import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { getVerification } from "../kyc";
import { KycVerificationIdParam, KycVerificationSchema } from "./schema";

const route = v1Route(
  // An outcome about an identified person: its reads are audited as personal data.
  { product: "kyc", scope: "kyc:read", personalData: true },
  {
    method: "get",
    path: "/v1/kyc/verifications/{id}",
    operationId: "getKycVerification",
    tags: ["KYC"],
    summary: "Retrieve a verification",
    description: "One of your verifications: its outcomes, never the values that were checked.",
    request: { params: KycVerificationIdParam },
    responses: okResponse("The verification", KycVerificationSchema),
  },
);

export function registerGetVerification(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    return ok(c, await getVerification(c.get("services").db, c.get("partner").id, id));
  });
}
