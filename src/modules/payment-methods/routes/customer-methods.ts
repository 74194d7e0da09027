import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { attachMethod, detachMethod, listCustomerMethods } from "../customers";
import { customerDeps, ownerOf } from "./deps";
import { AttachMethodRequest, CustomerIdParam, MethodIdParams, SavedPaymentMethodSchema } from "./schema";

const tags = ["Customers"];

const attach = v1Route(
  {
    product: "payments",
    scope: "payments:write",
    errors: ["payment_method_token_used", "payment_method_token_expired"],
  },
  {
    method: "post",
    path: "/v1/customers/{id}/payment_methods",
    operationId: "attachPaymentMethod",
    tags,
    summary: "Save a card to a customer",
    description:
      "Turns a single-use token (`pm_…`) into the customer's saved, reusable card (`spm_…`), with the customer's consent: when they agreed and to what. The token is used up (attaching it again to the same customer answers the same card). Pay with it: POST /v1/payments with `customer` and `payment_method_token: \"spm_…\"`. Event `payment_method.attached`.",
    request: {
      params: CustomerIdParam,
      body: { required: true, content: { "application/json": { schema: AttachMethodRequest } } },
    },
    responses: okResponse("The saved card", SavedPaymentMethodSchema),
  },
);

const list = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/customers/{id}/payment_methods",
    operationId: "listPaymentMethods",
    tags,
    summary: "List a customer's saved cards",
    description: "Every saved card of the customer, oldest first.",
    request: { params: CustomerIdParam },
    responses: okResponse(
      "The saved cards",
      z.object({ data: z.array(SavedPaymentMethodSchema), has_more: z.boolean() }),
    ),
  },
);

const detach = v1Route(
  { product: "payments", scope: "payments:write" },
  {
    method: "delete",
    path: "/v1/customers/{id}/payment_methods/{method_id}",
    operationId: "detachPaymentMethod",
    tags,
    summary: "Detach a saved card",
    description: "The card can no longer pay; past payments are unchanged. Event `payment_method.detached`.",
    request: { params: MethodIdParams },
    responses: okResponse("The card as it was", SavedPaymentMethodSchema),
  },
);

export function registerCustomerMethodRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(attach, async (c) => {
    const { params } = c.req.valid("json");
    const method = await attachMethod(
      customerDeps(c),
      ownerOf(c),
      c.req.valid("param").id,
      params,
      new Date(),
    );
    c.get("log").info("payment method attached", {
      customer_id: method.customer,
      payment_method_id: method.id,
    });
    return ok(c, method);
  });
  app.openapi(list, async (c) =>
    ok(c, await listCustomerMethods(c.get("services").db, ownerOf(c), c.req.valid("param").id)),
  );
  app.openapi(detach, async (c) => {
    const { id, method_id } = c.req.valid("param");
    const method = await detachMethod(customerDeps(c), ownerOf(c), id, method_id, new Date());
    c.get("log").info("payment method detached", { customer_id: id, payment_method_id: method.id });
    return ok(c, method);
  });
}
