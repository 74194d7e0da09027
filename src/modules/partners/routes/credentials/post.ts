import type { OpenAPIHono } from "@hono/zod-openapi";
import { okOnce, okResponse } from "../../../../platform/envelope";
import { v1Route } from "../../../../platform/http/define";
import type { AppEnv } from "../../../../platform/types";
import { createCredential } from "../../credentials";
import { CreateCredentialRequest, NewCredentialSchema } from "./schema";

const route = v1Route(
  { product: null, scope: "partner:write" },
  {
    method: "post",
    path: "/v1/partner/credentials",
    operationId: "createCredential",
    tags: ["Partner"],
    summary: "Create a consumer key and secret",
    description:
      "Issues a new consumer key/secret for the token endpoint, for rotation without downtime: create the new pair, deploy it, then revoke the old one. The secret is returned once.",
    request: {
      body: { required: true, content: { "application/json": { schema: CreateCredentialRequest } } },
    },
    responses: okResponse("The new credential, with its secret", NewCredentialSchema, 201),
  },
);

export function registerCreateCredential(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { params } = c.req.valid("json");
    const { db, config } = c.get("services");
    const created = await createCredential(db, config, c.get("partner").id, params.description ?? null);
    c.get("log").info("credential created", { credential_id: created.id });
    // A replay of this request shows the credential but not its secret: that is shown once.
    return okOnce(c, created, { ...created, consumer_secret: null }, 201);
  });
}
