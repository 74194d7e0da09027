import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok } from "../../../../platform/envelope";
import { pageOptions, pageQuery, pageResponse } from "../../../../platform/http/pagination";
import type { AppEnv } from "../../../../platform/types";
import { accountTransactions } from "../../accounts";
import { ConsentHeader, consentRoute } from "./define";
import { AccountIdParam, TransactionSchema } from "./schema";

const route = consentRoute("transactions", {
  method: "get",
  path: "/v1/accounts/{id}/transactions",
  operationId: "listAccountTransactions",
  tags: ["Accounts"],
  summary: "List an account's transactions",
  description:
    "Transactions of one of the consenting customer's accounts, newest first; page with `starting_after` (the last id of the previous page). The consent must cover `transactions`. Any other account id is 404.",
  request: { params: AccountIdParam, query: z.object(pageQuery), headers: ConsentHeader },
  responses: { 200: pageResponse(TransactionSchema, "A page of transactions") },
});

export function registerListTransactions(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const page = pageOptions(c.req.valid("query"));
    return ok(c, await accountTransactions(c.get("services").config, c.get("consent"), id, page));
  });
}
