import { buildPartner, type ProvisionedPartner } from "../../src/modules/partners/provisioning";
import { PRODUCTS } from "../../src/platform/catalog";

export const DEMO_PARTNER_ID = "01900000-0000-7000-8000-00000000de70";

/** The local demo partner of README.md, quick start: every product, sandbox tier, credentials from .dev.vars. */
export function demoPartner(vars: Record<string, string>): Promise<ProvisionedPartner> {
  return buildPartner({
    id: DEMO_PARTNER_ID,
    name: "Demo Partner",
    environment: "sandbox",
    tier: "sandbox",
    products: [...PRODUCTS],
    feeBps: 150,
    consumerKey: vars.DEMO_CONSUMER_KEY ?? "ck_test_demo",
    consumerSecret: vars.DEMO_CONSUMER_SECRET ?? "cs_test_demo_secret",
    username: vars.DEMO_USERNAME ?? "demo",
    password: vars.DEMO_PASSWORD ?? "demo-password",
  });
}
