import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { PAYOUT_STATUSES } from "../model";
import { listPayouts } from "../payouts";
import { PayoutSchema } from "./schema";

const Query = z.object({
  status: z
    .enum(PAYOUT_STATUSES)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
  ...pageQuery,
});

const route = v1Route(
  { product: "payouts", scope: "payouts:read" },
  {
    method: "get",
    path: "/v1/payouts",
    operationId: "listPayouts",
    tags: ["Payouts"],
    summary: "List payouts",
    description:
      "Your payouts, newest first. Filter by `status`; page with `starting_after` (the last id of the previous page). Served from a projection that follows each payout's state.",
    request: { query: Query },
    responses: { 200: pageResponse(PayoutSchema, "A page of payouts") },
  },
);

export function registerListPayouts(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const page = await listPayouts(c.get("services").db, c.get("partner").id, {
      ...pageOptions(q),
      ...(q.status !== undefined ? { status: q.status } : {}),
    });
    return ok(c, page);
  });
}
