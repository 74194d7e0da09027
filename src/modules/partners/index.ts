import type { Module } from "../../platform/http/module";
import { registerRevokeCredential } from "./routes/credentials/delete";
import { registerListCredentials } from "./routes/credentials/get_all";
import { registerCreateCredential } from "./routes/credentials/post";
import { registerRotateCredential } from "./routes/credentials/rotate";
import { registerGetPartner } from "./routes/partner/get";
import { registerTokenRoute } from "./routes/token";
import { registerWellKnownRoutes } from "./routes/well-known";

/** Partners: the OAuth2 token endpoint and its metadata, the partner's profile and its credentials. */
export const partnersModule: Module = {
  name: "partners",
  register(app) {
    registerTokenRoute(app);
    registerWellKnownRoutes(app);
    registerGetPartner(app);
    registerListCredentials(app);
    registerCreateCredential(app);
    registerRevokeCredential(app);
    registerRotateCredential(app);
  },
};
