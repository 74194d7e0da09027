import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok } from "../../../../platform/envelope";
import { pageResponse } from "../../../../platform/http/pagination";
import type { AppEnv } from "../../../../platform/types";
import { listAccounts } from "../../accounts";
import { ConsentHeader, consentRoute } from "./define";
import { AccountSchema } from "./schema";

const route = consentRoute("accounts", {
  method: "get",
  path: "/v1/accounts",
  operationId: "listAccounts",
  tags: ["Accounts"],
  summary: "List the customer's accounts",
  description:
    "The accounts of the customer who authorised the consent named by `Consent-Id`, which must cover `accounts`. All of them in one page (`has_more` is false).",
  request: { headers: ConsentHeader },
  responses: { 200: pageResponse(AccountSchema, "The customer's accounts") },
});

export function registerListAccounts(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    return ok(c, await listAccounts(c.get("services").config, c.get("consent")));
  });
}
