import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../../platform/types";
import { registerConsentRoutes } from "../consents";
import { registerGetBalances } from "./balances";
import { registerListAccounts } from "./get_all";
import { registerListTransactions } from "./transactions";

/** Open banking account information: consents, and the accounts they open. */
export function registerAccountRoutes(app: OpenAPIHono<AppEnv>) {
  registerConsentRoutes(app);
  registerListAccounts(app);
  registerGetBalances(app);
  registerListTransactions(app);
}
