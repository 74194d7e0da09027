import type { Module } from "../platform/http/module";
import { accountsModule } from "./accounts";
import { adminModule } from "./admin";
import { billingModule } from "./billing";
import { cardsModule } from "./cards";
import { consoleModule } from "./console";
import { disputesModule } from "./disputes";
import { docsModule } from "./docs";
import { fxModule } from "./fx";
import { kycModule } from "./kyc";
import { ledgerModule } from "./ledger";
import { lendingModule } from "./lending";
import { oauthModule } from "./oauth";
import { onboardingModule } from "./onboarding";
import { partnersModule } from "./partners";
import { paymentMethodsModule } from "./payment-methods";
import { paymentsModule } from "./payments";
import { payoutsModule } from "./payouts";
import { portalModule } from "./portal";
import { riskModule } from "./risk";
import { statusModule } from "./status";
import { usageModule } from "./usage";
import { webhooksModule } from "./webhooks";

/** Every domain module, in the order its routes mount (and appear in the OpenAPI document). */
export const MODULES: readonly Module[] = [
  oauthModule,
  partnersModule,
  docsModule,
  statusModule,
  ledgerModule,
  paymentsModule,
  disputesModule,
  riskModule,
  paymentMethodsModule,
  payoutsModule,
  cardsModule,
  webhooksModule,
  kycModule,
  accountsModule,
  lendingModule,
  fxModule,
  usageModule,
  billingModule,
  adminModule,
  onboardingModule,
  portalModule,
  consoleModule,
];

/** Who is calling /admin: the admin module verifies the Cloudflare Access JWT and reads the role. */
export { authenticateAdmin } from "./admin/authenticate";
/** The partners' request log: every authenticated /v1 call recorded after its answer (docs/usage.md). */
export { meterCalls } from "./billing/metering/middleware";
/** Production only: the control plane's paths (404 in the sandbox), and the overdue-terms check (code 24). */
export { isProductionOnlyPath } from "./onboarding/model";
export { termsGate } from "./onboarding/terms-gate";
/** Who is calling: the partners module verifies the bearer token for every /v1 request. */
export { authenticate } from "./partners/authenticate";
/** Whether any partner's contract lists a browser origin: what a CORS preflight is answered on. */
export { originListedByAnyPartner } from "./partners/listed-origins";
export { recordRequests } from "./usage/record-requests";
