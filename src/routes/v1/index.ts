import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../types";
import { registerAccountRoutes } from "./accounts";
import { registerGetBalance } from "./balance/get";
import { registerCardRoutes } from "./cards";
import { registerCredentialRoutes } from "./credentials";
import { registerEventRoutes } from "./events";
import { registerFxRoutes } from "./fx";
import { registerKycRoutes } from "./kyc";
import { registerListLedgerEntries } from "./ledger/get_all";
import { registerLendingRoutes } from "./lending";
import { registerPartnerRoutes } from "./partner";
import { registerPaymentRoutes } from "./payments";
import { registerPayoutRoutes } from "./payouts";
import { registerSandboxRoutes } from "./sandbox/simulate";
import { registerWebhookRoutes } from "./webhooks";

/** Every /v1 resource mounts here. */
export function registerV1Routes(app: OpenAPIHono<AppEnv>) {
  registerPartnerRoutes(app);
  registerCredentialRoutes(app);
  registerGetBalance(app);
  registerListLedgerEntries(app);
  registerPaymentRoutes(app);
  registerPayoutRoutes(app);
  registerCardRoutes(app);
  registerSandboxRoutes(app);
  registerWebhookRoutes(app);
  registerEventRoutes(app);
  registerKycRoutes(app);
  registerAccountRoutes(app);
  registerLendingRoutes(app);
  registerFxRoutes(app);
}
