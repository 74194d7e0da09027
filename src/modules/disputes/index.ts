import type { Module } from "../../platform/http/module";
import { registerDocuments } from "./routes/documents";
import { registerEvidence } from "./routes/evidence";
import { registerNotifications } from "./routes/notifications";
import { registerReadDisputes } from "./routes/read";
import { registerSandboxDisputes } from "./routes/sandbox";

/** Disputes (chargebacks): opening, evidence and its documents, the outcome, the postings (docs/disputes.md). */
export const disputesModule: Module = {
  name: "disputes",
  register(app) {
    registerReadDisputes(app);
    registerEvidence(app);
    registerDocuments(app);
    registerSandboxDisputes(app);
    registerNotifications(app);
  },
};
