import type { Module } from "../../platform/http/module";
import { registerEndpointActions } from "./routes/actions";
import { registerEndpointRoutes } from "./routes/endpoints";
import { registerEventRoutes } from "./routes/events";

/** Webhooks: endpoints, signed deliveries with retries, and the event log they deliver from. */
export const webhooksModule: Module = {
  name: "webhooks",
  register(app) {
    registerEndpointRoutes(app);
    registerEndpointActions(app);
    registerEventRoutes(app);
  },
};
