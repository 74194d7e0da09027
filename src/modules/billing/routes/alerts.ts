import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { PRODUCTS } from "../../../platform/catalog";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { createAlert, listAlerts, removeAlert } from "../alerts";

const AlertSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("usage_alert"),
    product: z.enum(PRODUCTS),
    threshold_percent: z.number().int().openapi({ description: "Of the product's included calls, 1–1000." }),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("UsageAlert");

const CreateAlertRequest = envelopeRequest(
  z
    .object({
      product: z.enum(PRODUCTS),
      threshold_percent: z.number().int().min(1).max(1000).openapi({ example: 80 }),
    })
    .strict(),
).openapi("CreateUsageAlertRequest");

const AlertIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

const list = v1Route(
  { product: null, scope: "usage:read" },
  {
    method: "get",
    path: "/v1/usage/alerts",
    operationId: "listUsageAlerts",
    tags: ["Usage"],
    summary: "Your usage alerts",
    description:
      "Thresholds as percentages of a product's included calls in your rate plan. When a period's billable calls reach one, the `usage.threshold_reached` event is sent, once per alert and period.",
    responses: okResponse(
      "Your alerts",
      z.object({ object: z.literal("list"), data: z.array(AlertSchema) }).openapi("UsageAlertList"),
    ),
  },
);

const create = v1Route(
  { product: null, scope: "partner:write" },
  {
    method: "post",
    path: "/v1/usage/alerts",
    operationId: "createUsageAlert",
    tags: ["Usage"],
    summary: "Add a usage alert",
    description:
      "At most 20 alerts. The same product and threshold again answers the existing alert. A product without included calls in the plan in force never reaches a threshold.",
    request: { body: { required: true, content: { "application/json": { schema: CreateAlertRequest } } } },
    responses: okResponse("The alert", AlertSchema),
  },
);

const remove = v1Route(
  { product: null, scope: "partner:write", errors: ["not_found"] },
  {
    method: "delete",
    path: "/v1/usage/alerts/{id}",
    operationId: "deleteUsageAlert",
    tags: ["Usage"],
    summary: "Remove a usage alert",
    description: "Another partner's alert answers as an unknown one (404).",
    request: { params: AlertIdParam },
    responses: okResponse(
      "The alert removed",
      z
        .object({ id: z.string(), object: z.literal("usage_alert"), deleted: z.literal(true) })
        .openapi("DeletedUsageAlert"),
    ),
  },
);

export function registerAlertRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => ok(c, await listAlerts(c.get("services").db, c.get("partner").id)));
  app.openapi(create, async (c) => {
    const { product, threshold_percent } = c.req.valid("json").params;
    return ok(c, await createAlert(c.get("services").db, c.get("partner").id, product, threshold_percent));
  });
  app.openapi(remove, async (c) =>
    ok(c, await removeAlert(c.get("services").db, c.get("partner").id, c.req.valid("param").id)),
  );
}
