import { env } from "cloudflare:workers";
import { demoPartner } from "../../scripts/lib/demo";
import { PLATFORM, postEntry } from "../../src/modules/ledger/ledger";
import { createCredential } from "../../src/modules/partners/credentials";
import { buildPartner, type NewPartner } from "../../src/modules/partners/provisioning";
import { findCredential, insertPartner, setPartnerStatus } from "../../src/modules/partners/storage";
import { PRODUCTS } from "../../src/platform/catalog";
import { createDb } from "../../src/platform/db/client";
import { loadConfig } from "../../src/platform/env";
import type { Currency } from "../../src/platform/lib/money";

export const db = createDb(env.DB);

export interface TestPartner {
  id: string;
  consumerKey: string;
  consumerSecret: string;
  username: string;
  password: string;
}

let counter = 0;

/** A fresh partner in the local D1, every product licensed unless told otherwise. */
export async function provisionPartner(overrides: Partial<NewPartner> = {}): Promise<TestPartner> {
  counter += 1;
  const { rows, secrets } = await buildPartner({
    name: `Test Partner ${counter}`,
    // The environment of the Worker under test (the control-plane project runs production).
    environment: env.ENVIRONMENT === "production" ? "production" : "sandbox",
    tier: "enterprise",
    products: [...PRODUCTS],
    username: `user${counter}`,
    password: `pw-${crypto.randomUUID()}`,
    ...overrides,
  });
  await insertPartner(db, rows);
  return {
    id: secrets.partnerId,
    consumerKey: secrets.consumerKey,
    consumerSecret: secrets.consumerSecret,
    username: secrets.username ?? "",
    password: secrets.password ?? "",
  };
}

/**
 * The README's demo partner (ck_test_demo / cs_test_demo_secret, user demo / demo-password), built
 * by the same code `npm run dev` seeds it with; created once, reused while the storage lasts.
 */
export async function provisionDemoPartner(): Promise<TestPartner> {
  const { rows, secrets } = await demoPartner({});
  if (!(await findCredential(db, secrets.consumerKey))) await insertPartner(db, rows);
  return {
    id: secrets.partnerId,
    consumerKey: secrets.consumerKey,
    consumerSecret: secrets.consumerSecret,
    username: secrets.username ?? "",
    password: secrets.password ?? "",
  };
}

/** A second consumer key for a partner, made the way the API makes it. */
export async function addCredential(partnerId: string) {
  const created = await createCredential(db, loadConfig(env), partnerId, "second key");
  return { consumerKey: created.consumer_key, consumerSecret: created.consumer_secret ?? "" };
}

export const suspendPartner = (id: string) => setPartnerStatus(db, id, "suspended");

/** Money the partner can spend (pay out, convert): a settled capture credited to its available balance. */
export async function fund(partnerId: string, amount: number, currency: Currency = "UZS") {
  await postEntry(db, {
    reference: crypto.randomUUID(),
    kind: "capture",
    currency,
    partnerId,
    lines: [
      { owner: PLATFORM, code: "card_clearing", direction: "debit", amount },
      { owner: partnerId, code: "partner_available", direction: "credit", amount },
    ],
  });
}
