import type { Module } from "../../platform/http/module";
import { registerApplicationRoutes } from "./routes/applications";
import { registerRegisterRoute } from "./routes/register";
import { registerSessionRoutes } from "./routes/session";
import { registerTermsRoutes } from "./routes/terms";
import { registerVerifyRoute } from "./routes/verify";

/**
 * Onboarding, the control plane (production only): registration with its sandbox partner, email
 * verification, the registrant's session, the terms of service, the production application with
 * its documents, and the live credentials of an approved one (docs/onboarding.md). The review side
 * is the admin API's (src/modules/admin/routes/applications.ts).
 */
export const onboardingModule: Module = {
  name: "onboarding",
  register(app) {
    registerRegisterRoute(app);
    registerVerifyRoute(app);
    registerTermsRoutes(app);
    registerSessionRoutes(app);
    registerApplicationRoutes(app);
  },
};
