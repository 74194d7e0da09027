import type { Module } from "../../platform/http/module";
import { registerRegisterRoute } from "./routes/register";
import { registerTermsRoutes } from "./routes/terms";
import { registerVerifyRoute } from "./routes/verify";

/**
 * Onboarding, the control plane (production only): registration with its sandbox partner, email
 * verification, and the terms of service partners accept (docs/onboarding.md).
 */
export const onboardingModule: Module = {
  name: "onboarding",
  register(app) {
    registerRegisterRoute(app);
    registerVerifyRoute(app);
    registerTermsRoutes(app);
  },
};
