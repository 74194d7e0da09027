import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { listCards } from "../cards";
import { CardSchema } from "./schema";

const Query = z.object({
  status: z
    .enum(["active", "blocked"])
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
  ...pageQuery,
});

const route = v1Route(
  { product: "cards", scope: "cards:read", personalData: true },
  {
    method: "get",
    path: "/v1/cards",
    operationId: "listCards",
    tags: ["Cards"],
    summary: "List cards",
    description:
      "Your cards, issued and attached, newest first. Filter by `status`; page with `starting_after` (the last id of the previous page).",
    request: { query: Query },
    responses: { 200: pageResponse(CardSchema, "A page of cards") },
  },
);

export function registerListCards(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const page = await listCards(c.get("services").db, c.get("partner").id, {
      ...pageOptions(q),
      ...(q.status !== undefined ? { status: q.status } : {}),
    });
    return ok(c, page);
  });
}
