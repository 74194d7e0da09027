import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { readRouting } from "../service";
import { RoutingSchema } from "./schema";

const route = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/routing",
    operationId: "getRouting",
    tags: ["Payments"],
    summary: "Your payment routing",
    description:
      "The rules that choose the acquirer of each of your payments (set by the bank through its admin API), your default order and the environment's, and the acquirers this environment can reach. See docs/orchestration.md.",
    responses: okResponse("Your routing", RoutingSchema),
  },
);

export function registerGetRouting(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { db, config } = c.get("services");
    return ok(c, await readRouting({ db, config }, c.get("partner").id));
  });
}
