import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { listConversions } from "../conversions";
import { ConversionSchema } from "./schema";

const Query = z.object({ ...pageQuery });

const route = v1Route(
  { product: "fx", scope: "fx:read" },
  {
    method: "get",
    path: "/v1/fx/conversions",
    operationId: "listFxConversions",
    tags: ["FX"],
    summary: "List conversions",
    description:
      "Your conversions, newest first. Page with `starting_after` (the last id of the previous page).",
    request: { query: Query },
    responses: { 200: pageResponse(ConversionSchema, "A page of conversions") },
  },
);

export function registerListConversions(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    return ok(c, await listConversions(c.get("services").db, c.get("partner").id, pageOptions(q)));
  });
}
