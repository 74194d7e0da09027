import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/types";
import { registerAccountRoutes } from "./accounts/routes/accounts";
import { registerCardRoutes } from "./cards/routes";
import { registerFxRoutes } from "./fx/routes";
import { registerKycRoutes } from "./kyc/routes";
import { registerGetBalance } from "./ledger/routes/balance";
import { registerListLedgerEntries } from "./ledger/routes/entries";
import { registerLendingRoutes } from "./lending/routes";
import { registerCredentialRoutes } from "./partners/routes/credentials";
import { registerPartnerRoutes } from "./partners/routes/partner";
import { registerPaymentRoutes } from "./payments/routes";
import { registerSandboxRoutes } from "./payments/routes/simulate";
import { registerPayoutRoutes } from "./payouts/routes";
import { registerWebhookRoutes } from "./webhooks/routes";
import { registerEventRoutes } from "./webhooks/routes/events";

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
