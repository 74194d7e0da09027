import type { Module } from "../../platform/http/module";
import { registerRevokeCredential } from "./routes/credentials/delete";
import { registerListCredentials } from "./routes/credentials/get_all";
import { registerCreateCredential } from "./routes/credentials/post";
import { registerRotateCredential } from "./routes/credentials/rotate";
import { registerGetPartner } from "./routes/partner/get";

/** Partners: the partner's profile and its credentials (the authorization server is the oauth module). */
export const partnersModule: Module = {
  name: "partners",
  register(app) {
    registerGetPartner(app);
    registerListCredentials(app);
    registerCreateCredential(app);
    registerRevokeCredential(app);
    registerRotateCredential(app);
  },
};
