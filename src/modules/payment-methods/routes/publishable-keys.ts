import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { optionalParams } from "../../../platform/http/optional-body";
import type { AppEnv } from "../../../platform/types";
import { createPublishableKey, KEY_OVERLAP, listPublishableKeys } from "../publishable-keys";
import { CreatePublishableKeyRequest, PublishableKeySchema } from "./schema";

const list = v1Route(
  { product: null, scope: "partner:read" },
  {
    method: "get",
    path: "/v1/partner/publishable_keys",
    operationId: "listPublishableKeys",
    tags: ["Partner"],
    summary: "List publishable keys",
    description:
      "Your publishable keys (`pk_test_…` / `pk_live_…`), newest first, the ended ones too. A publishable key is public by design: it goes in your web pages and can do one thing only, create card tokens (POST /v1/tokens).",
    responses: okResponse(
      "The keys",
      z.object({ data: z.array(PublishableKeySchema), has_more: z.boolean() }),
    ),
  },
);

const create = v1Route(
  { product: null, scope: "partner:write" },
  {
    method: "post",
    path: "/v1/partner/publishable_keys",
    operationId: "createPublishableKey",
    tags: ["Partner"],
    summary: "Create or rotate the publishable key",
    description:
      "Issues a new publishable key; the previous ones end after `overlap_seconds` (default a day), so pages embedding them keep working while you deploy the new one. There is one active key per partner and environment.",
    request: {
      body: { required: false, content: { "application/json": { schema: CreatePublishableKeyRequest } } },
    },
    responses: okResponse("The new key", PublishableKeySchema, 201),
  },
);

export function registerPublishableKeyRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const data = await listPublishableKeys(c.get("services").db, c.get("partner").id, new Date());
    return ok(c, { data, has_more: false });
  });
  app.openapi(create, async (c) => {
    const overlap = optionalParams(c.req.valid("json")).overlap_seconds ?? KEY_OVERLAP.defaultSeconds;
    const partner = c.get("partner");
    const key = await createPublishableKey(
      c.get("services").db,
      partner.environment,
      partner.id,
      overlap,
      new Date(),
    );
    c.get("log").info("publishable key created", { publishable_key_id: key.id });
    return ok(c, key, 201);
  });
}
