import type { Module } from "../../platform/http/module";
import { registerAuthorizePages } from "./pages/routes";
import { registerIntrospectRoute } from "./routes/introspect";
import { registerMetadataRoutes } from "./routes/metadata";
import { registerOAuthClientRoutes } from "./routes/oauth-client";
import { registerParRoute } from "./routes/par";
import { registerRevokeRoute } from "./routes/revoke";
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
    registerRevokeRoute(app);
    registerIntrospectRoute(app);
    registerMetadataRoutes(app);
    registerOAuthClientRoutes(app);
    registerParRoute(app);
    registerAuthorizePages(app);
  },
};
