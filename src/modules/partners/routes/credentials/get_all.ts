import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../../platform/envelope";
import { v1Route } from "../../../../platform/http/define";
import type { AppEnv } from "../../../../platform/types";
import { listPartnerCredentials } from "../../credentials";
import { CredentialSchema } from "./schema";

const route = v1Route(
  { product: null, scope: "partner:read" },
  {
    method: "get",
    path: "/v1/partner/credentials",
    operationId: "listCredentials",
    tags: ["Partner"],
    summary: "List your consumer keys",
    description: "Every consumer key of the partner, newest first; secrets are never shown again.",
    responses: okResponse("The credentials", z.object({ data: z.array(CredentialSchema) })),
  },
);

export function registerListCredentials(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) =>
    ok(c, { data: await listPartnerCredentials(c.get("services").db, c.get("partner").id) }),
  );
}
