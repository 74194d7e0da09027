import type { Module } from "../../platform/http/module";
import { registerGetBalances } from "./routes/accounts/balances";
import { registerListAccounts } from "./routes/accounts/get_all";
import { registerListTransactions } from "./routes/accounts/transactions";
import { registerGetConsent } from "./routes/consents/get";
import { registerListConsents } from "./routes/consents/get_all";
import { registerCreateConsent } from "./routes/consents/post";
import { registerRevokeConsent } from "./routes/consents/revoke";
import { registerConsentSandboxRoutes } from "./routes/consents/sandbox";

/** Open banking account information: consents, and the accounts, balances and transactions they open. */
export const accountsModule: Module = {
  name: "accounts",
  register(app) {
    registerCreateConsent(app);
    registerGetConsent(app);
    registerListConsents(app);
    registerRevokeConsent(app);
    registerConsentSandboxRoutes(app);
    registerListAccounts(app);
    registerGetBalances(app);
    registerListTransactions(app);
  },
};
