import type { OpenAPIHono } from "@hono/zod-openapi";
import { okOnce, okResponse } from "../../../../platform/envelope";
import { v1Route } from "../../../../platform/http/define";
import { optionalParams } from "../../../../platform/http/optional-body";
import type { AppEnv } from "../../../../platform/types";
import { ROTATION_OVERLAP, rotateCredential } from "../../credentials";
import { CredentialIdParam, RotateCredentialRequest, RotatedCredentialSchema } from "./schema";

const route = v1Route(
  { product: null, scope: "partner:write" },
  {
    method: "post",
    path: "/v1/partner/credentials/{id}/rotate",
    operationId: "rotateCredential",
    tags: ["Partner"],
    summary: "Rotate a consumer key, with overlap",
    description:
      "Issues the key's successor (its secret returned once) and ends the old key after `overlap_seconds` (default a day): both work meanwhile, so the new pair is deployed without downtime. From then on the old key reads as revoked and the token endpoint refuses it.",
    request: {
      params: CredentialIdParam,
      body: { required: false, content: { "application/json": { schema: RotateCredentialRequest } } },
    },
    responses: okResponse(
      "The new credential with its secret, and the old one with its end",
      RotatedCredentialSchema,
      201,
    ),
  },
);

export function registerRotateCredential(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const overlap = optionalParams(c.req.valid("json")).overlap_seconds ?? ROTATION_OVERLAP.defaultSeconds;
    const { db, config } = c.get("services");
    const result = await rotateCredential(db, config, c.get("partner").id, id, overlap);
    c.get("log").info("credential rotated", { credential_id: id, successor_id: result.id });
    return okOnce(c, result, { ...result, consumer_secret: null }, 201);
  });
}
