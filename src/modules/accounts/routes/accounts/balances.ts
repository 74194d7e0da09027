import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../../platform/envelope";
import type { AppEnv } from "../../../../platform/types";
import { accountBalance } from "../../accounts";
import { ConsentHeader, consentRoute } from "./define";
import { AccountBalanceSchema, AccountIdParam } from "./schema";

const route = consentRoute("balances", {
  method: "get",
  path: "/v1/accounts/{id}/balances",
  operationId: "getAccountBalances",
  tags: ["Accounts"],
  summary: "Retrieve an account's balances",
  description:
    "Booked and available balances of one of the consenting customer's accounts; the consent must cover `balances`. Any other account id is 404.",
  request: { params: AccountIdParam, headers: ConsentHeader },
  responses: okResponse("The balances", AccountBalanceSchema),
});

export function registerGetBalances(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    return ok(c, await accountBalance(c.get("services").config, c.get("consent"), id));
  });
}
