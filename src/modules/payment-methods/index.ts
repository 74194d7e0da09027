import type { Module } from "../../platform/http/module";
import { registerCardForm } from "./card-form";
import { registerCustomerMethodRoutes } from "./routes/customer-methods";
import { registerCustomerRoutes } from "./routes/customers";
import { registerPublishableKeyRoutes } from "./routes/publishable-keys";
import { registerTokenRoute } from "./routes/tokens";

/** Publishable keys, card tokenization through the card vault, the hosted card form, customers and saved cards. */
export const paymentMethodsModule: Module = {
  name: "payment-methods",
  register(app) {
    registerCardForm(app);
    registerPublishableKeyRoutes(app);
    registerTokenRoute(app);
    registerCustomerRoutes(app);
    registerCustomerMethodRoutes(app);
  },
};
