import type { Module } from "../../platform/http/module";
import { registerFxConversions } from "./routes/conversions";
import { registerListConversions } from "./routes/conversions_get_all";
import { registerFxQuotes } from "./routes/quotes";
import { registerFxRates } from "./routes/rates";

/** FX: rates, firm quotes and conversions between the partner's currency balances. */
export const fxModule: Module = {
  name: "fx",
  register(app) {
    registerFxRates(app);
    registerFxQuotes(app);
    registerFxConversions(app);
    registerListConversions(app);
  },
};
