import type { Module } from "../../platform/http/module";
import { registerGetVerification } from "./routes/get";
import { registerListVerifications } from "./routes/get_all";
import { registerVerifyHolder } from "./routes/post";

/** KYC: verifying an account holder's identity against the bank's records. */
export const kycModule: Module = {
  name: "kyc",
  register(app) {
    registerVerifyHolder(app);
    registerGetVerification(app);
    registerListVerifications(app);
  },
};
