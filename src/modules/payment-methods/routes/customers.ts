import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import {
  changeCustomer,
  createCustomer,
  getCustomer,
  listPartnerCustomers,
  removeCustomer,
} from "../customers";
import { customerDeps, ownerOf } from "./deps";
import {
  CreateCustomerRequest,
  CustomerIdParam,
  CustomerPageQuery,
  CustomerSchema,
  UpdateCustomerRequest,
} from "./schema";

const read = { product: "payments", scope: "payments:read", personalData: true } as const;
const write = { product: "payments", scope: "payments:write", personalData: true } as const;
const tags = ["Customers"];

const create = v1Route(write, {
  method: "post",
  path: "/v1/customers",
  operationId: "createCustomer",
  tags,
  summary: "Create a customer",
  description:
    "Someone who pays you again and again, to save cards for. Send only what you need: `name` and `email` are optional, and `metadata` is the place for your own customer id. Its `customer.created` event carries the id only.",
  request: { body: { required: true, content: { "application/json": { schema: CreateCustomerRequest } } } },
  responses: okResponse("The customer", CustomerSchema),
});

const list = v1Route(read, {
  method: "get",
  path: "/v1/customers",
  operationId: "listCustomers",
  tags,
  summary: "List customers",
  description: "Your customers, newest first; page with `starting_after` (the last id of the previous page).",
  request: { query: CustomerPageQuery },
  responses: { 200: pageResponse(CustomerSchema, "A page of customers") },
});

const get = v1Route(read, {
  method: "get",
  path: "/v1/customers/{id}",
  operationId: "getCustomer",
  tags,
  summary: "Retrieve a customer",
  description: "One of your customers; another partner's id answers as an unknown one (404, code 30).",
  request: { params: CustomerIdParam },
  responses: okResponse("The customer", CustomerSchema),
});

const update = v1Route(write, {
  method: "patch",
  path: "/v1/customers/{id}",
  operationId: "updateCustomer",
  tags,
  summary: "Update a customer",
  description: "Changes the fields sent (`null` clears `name` or `email`); `metadata` is replaced whole.",
  request: {
    params: CustomerIdParam,
    body: { required: true, content: { "application/json": { schema: UpdateCustomerRequest } } },
  },
  responses: okResponse("The customer", CustomerSchema),
});

const remove = v1Route(write, {
  method: "delete",
  path: "/v1/customers/{id}",
  operationId: "deleteCustomer",
  tags,
  summary: "Delete a customer",
  description:
    "Deletes the customer with its name and email, and detaches every saved card (`payment_method.detached` each, then `customer.deleted`). Past payments keep the customer's id.",
  request: { params: CustomerIdParam },
  responses: okResponse(
    "Deleted",
    z.object({ id: z.string(), object: z.literal("customer"), deleted: z.literal(true) }),
  ),
});

export function registerCustomerRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(create, async (c) => {
    const { params } = c.req.valid("json");
    const customer = await createCustomer(customerDeps(c), ownerOf(c), params, new Date());
    c.get("log").info("customer created", { customer_id: customer.id });
    return ok(c, customer);
  });
  app.openapi(list, async (c) => {
    const q = c.req.valid("query");
    const opts = {
      limit: q.limit,
      ...(q.starting_after !== undefined ? { startingAfter: q.starting_after } : {}),
    };
    return ok(c, await listPartnerCustomers(c.get("services").db, ownerOf(c), opts));
  });
  app.openapi(get, async (c) =>
    ok(c, await getCustomer(c.get("services").db, ownerOf(c), c.req.valid("param").id)),
  );
  app.openapi(update, async (c) => {
    const { params } = c.req.valid("json");
    const change = {
      ...(params.name !== undefined ? { name: params.name } : {}),
      ...(params.email !== undefined ? { email: params.email } : {}),
      ...(params.metadata !== undefined ? { metadata: params.metadata } : {}),
    };
    const customer = await changeCustomer(
      c.get("services").db,
      ownerOf(c),
      c.req.valid("param").id,
      change,
      new Date(),
    );
    c.get("log").info("customer updated", { customer_id: customer.id });
    return ok(c, customer);
  });
  app.openapi(remove, async (c) => {
    const deleted = await removeCustomer(customerDeps(c), ownerOf(c), c.req.valid("param").id, new Date());
    c.get("log").info("customer deleted", { customer_id: deleted.id });
    return ok(c, deleted);
  });
}
