import type { Module } from "../../platform/http/module";
import { registerGetBalance } from "./routes/balance";
import { registerListLedgerEntries } from "./routes/entries";

/** The double-entry ledger: the partner's balance and its journal entries. */
export const ledgerModule: Module = {
  name: "ledger",
  register(app) {
    registerGetBalance(app);
    registerListLedgerEntries(app);
  },
};
