import { OpenAPIHono } from "@hono/zod-openapi";
import type { Module } from "../../platform/http/module";
import type { AppEnv } from "../../platform/types";
import { registerAlerts } from "./routes/alerts";
import { registerApplications } from "./routes/applications";
import { registerApprovals } from "./routes/approvals";
import { registerAudit } from "./routes/audit";
import { registerContractChange } from "./routes/contract";
import { registerCredentials } from "./routes/credentials";
import { registerDisputeAdmin } from "./routes/disputes";
import { registerIdentities } from "./routes/identities";
import { registerInvoiceAdmin } from "./routes/invoices";
import { registerKillSwitches } from "./routes/kill-switches";
import { registerMe } from "./routes/me";
import { registerMetrics } from "./routes/metrics";
import { registerOAuthClientAdmin } from "./routes/oauth-client";
import { registerAdminOpenApi } from "./routes/openapi";
import { registerPartnerReads } from "./routes/partners";
import { registerPlan } from "./routes/plan";
import { registerReconciliationAdmin } from "./routes/reconciliation";
import { registerAdminRisk } from "./routes/risk";
import { registerRoutingAdmin } from "./routes/routing";
import { registerAdminSla } from "./routes/sla";
import { registerStatusChanges } from "./routes/status";
import { registerAdminTerms } from "./routes/terms";
import { registerVersions } from "./routes/versions";
import { registerWebhookHealth } from "./routes/webhooks";

/**
 * The platform team's admin API under /admin (docs/admin.md): Cloudflare Access authentication,
 * roles in D1, partners and their contracts, maker-checker approvals, kill switches, webhook
 * health, the audit log. Its routes are served by the app but documented only in its own document.
 */
export const adminModule: Module = {
  name: "admin",
  register(app) {
    const target = { app, doc: new OpenAPIHono<AppEnv>() };
    registerAdminOpenApi(target);
    registerMe(target);
    registerPartnerReads(target);
    registerAdminSla(target);
    registerAdminRisk(target);
    registerContractChange(target);
    registerPlan(target);
    registerStatusChanges(target);
    registerCredentials(target);
    registerOAuthClientAdmin(target);
    registerApprovals(target);
    registerApplications(target);
    registerKillSwitches(target);
    registerIdentities(target);
    registerAudit(target);
    registerVersions(target);
    registerWebhookHealth(target);
    registerAdminTerms(target);
    registerInvoiceAdmin(target);
    registerDisputeAdmin(target);
    registerMetrics(target);
    registerAlerts(target);
    registerReconciliationAdmin(target);
    registerRoutingAdmin(target);
  },
};
