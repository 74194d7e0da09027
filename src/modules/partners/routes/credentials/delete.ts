import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../../platform/envelope";
import { v1Route } from "../../../../platform/http/define";
import type { AppEnv } from "../../../../platform/types";
import { revokePartnerCredential } from "../../credentials";
import { CredentialIdParam, CredentialSchema } from "./schema";

const route = v1Route(
  { product: null, scope: "partner:write" },
  {
    method: "delete",
    path: "/v1/partner/credentials/{id}",
    operationId: "revokeCredential",
    tags: ["Partner"],
    summary: "Revoke a consumer key",
    description:
      "Revokes the key: the token endpoint refuses it at once, and tokens it minted stop working within 60 seconds everywhere.",
    request: { params: CredentialIdParam },
    responses: okResponse("The revoked credential", CredentialSchema),
  },
);

export function registerRevokeCredential(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const revoked = await revokePartnerCredential(c.get("services").db, c.get("partner").id, id);
    c.get("log").info("credential revoked", { credential_id: revoked.id });
    return ok(c, revoked);
  });
}
