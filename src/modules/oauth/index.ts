import type { Module } from "../../platform/http/module";
import { registerAuthorizePages } from "./pages/routes";
import { registerMetadataRoutes } from "./routes/metadata";
import { registerParRoute } from "./routes/par";
import { registerTokenRoute } from "./routes/token";

/**
 * The authorization server (docs/authentication.md, docs/fapi.md): the token endpoint and its
 * grants, client authentication, sender-constrained tokens, the customer's consent authorisation
 * (PAR, /authorize), revocation, introspection and the metadata.
 */
export const oauthModule: Module = {
  name: "oauth",
  register(app) {
    registerTokenRoute(app);
    registerMetadataRoutes(app);
    registerParRoute(app);
    registerAuthorizePages(app);
  },
};
