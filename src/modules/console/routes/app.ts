import { Hono } from "hono";
import type { AppEnv } from "../../../platform/types";
import { pageHeaders } from "../../../platform/web/forms";
import { pageErrors } from "../../../platform/web/page-errors";
import { CONSOLE } from "../site";
import { registerApplications } from "./applications";
import { registerApprovals } from "./approvals";
import { type ConsoleEnv, requireAdmin } from "./context";
import { registerKillSwitches } from "./kill-switches";
import { registerMetrics } from "./metrics";
import { registerPartners } from "./partners";
import { registerRevenue } from "./revenue";
import { registerVersions } from "./versions";
import { registerWebhooks } from "./webhooks";

/** /console: the platform team's pages (docs/admin.md, console); every action is an admin API call with the person's own role. */
export function consoleApp() {
  const app = new Hono<ConsoleEnv>();
  app.use("*", pageHeaders);
  app.onError(pageErrors(CONSOLE));
  app.use("*", requireAdmin);
  registerPartners(app);
  registerApprovals(app);
  registerApplications(app);
  registerKillSwitches(app);
  registerWebhooks(app);
  registerVersions(app);
  registerRevenue(app);
  registerMetrics(app);
  return app as unknown as Hono<AppEnv>;
}
