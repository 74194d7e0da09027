import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { verifyHolder } from "../kyc";
import { kycDeps } from "./deps";
import { KycVerificationSchema, VerifyHolderRequest } from "./schema";

const route = v1Route(
  {
    product: "kyc",
    scope: "kyc:write",
    errors: ["upstream_unavailable", "upstream_empty", "upstream_failed"],
  },
  {
    method: "post",
    path: "/v1/kyc/verifications",
    operationId: "createKycVerification",
    tags: ["KYC"],
    summary: "Verify an account holder",
    description:
      "Asks whether the holder of an account number (or phone number) has the name, birth date and document number you give (any non-empty subset). The answer is `match`, `no_match` or `not_checked` per field and an overall `match | partial | no_match`; the bank's records are never revealed, and an unknown account answers `no_match`, so the answer does not tell whether it exists. What you send is not stored. Publishes `kyc_verification.completed`. Requires an Idempotency-Key. The bank's system answering nothing is 502 (code 1004), failing 502 (code 1005).",
    request: { body: { required: true, content: { "application/json": { schema: VerifyHolderRequest } } } },
    responses: okResponse("The verification", KycVerificationSchema),
  },
);

export function registerVerifyHolder(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { params } = c.req.valid("json");
    const verification = await verifyHolder(kycDeps(c), c.get("partner"), c.get("idempotencyKey"), params);
    c.get("log").info("kyc verification", {
      verification_id: verification.id,
      outcome: verification.outcome,
    });
    return ok(c, verification);
  });
}
