import { and, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { PRODUCTS } from "../../platform/catalog";
import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { buildPartner } from "../partners/provisioning";
import {
  insertPartner,
  partnerContracts,
  partnerCredentials,
  partners,
  partnerUsers,
} from "../partners/storage";
import type {
  SandboxPartnerCredentials,
  SandboxPartnerRemoval,
  SandboxPartnerRequest,
  SandboxRemovalOutcome,
} from "./model";

const Request = z.object({
  partnerId: z.uuid(),
  registrationId: z.uuid(),
  companyName: z.string().min(1).max(200),
  email: z.email().max(254),
  password: z.string().min(12).max(128),
});

export class NotTheSandbox extends Error {
  override name = "NotTheSandbox";
}

/**
 * Runs in the sandbox Worker, called by production over the service binding: a sandbox partner
 * with every product on the sandbox tier, the contact email as its user (the password hashed
 * here), and a consumer key whose secret is answered once. Refuses to run anywhere but the
 * sandbox, so production credentials can never be made by it.
 */
export async function createSandboxPartner(
  db: Db,
  config: Config,
  input: SandboxPartnerRequest,
): Promise<SandboxPartnerCredentials> {
  if (config.ENVIRONMENT !== "sandbox")
    throw new NotTheSandbox("sandbox provisioning runs in the sandbox only");
  const request = Request.parse(input);
  const { rows, secrets } = await buildPartner({
    id: request.partnerId,
    name: request.companyName,
    environment: "sandbox",
    tier: "sandbox",
    products: [...PRODUCTS],
    username: request.email,
    password: request.password,
  });
  rows.credential.description = `registration ${request.registrationId}`;
  await insertPartner(db, rows);
  return {
    partnerId: secrets.partnerId,
    consumerKey: secrets.consumerKey,
    consumerSecret: secrets.consumerSecret,
    username: request.email,
    products: [...PRODUCTS],
  };
}

const Removal = z.object({ partnerId: z.uuid(), registrationId: z.uuid() });

/**
 * The tables a partner's use leaves a row in: its calls (`api_version_usage`, the audit log, the
 * request log), its events, its money and its products' objects, its webhook endpoints and a failed
 * password. A partner with a row in any of them has been used and is never removed.
 */
const ACTIVITY_TABLES = [
  "api_version_usage",
  "audit_log",
  "request_log",
  "events",
  "password_failures",
  "webhook_endpoints",
  "payments",
  "payouts",
  "consents",
  "cards",
  "card_applications",
  "loan_applications",
  "kyc_verifications",
  "fx_quotes",
] as const;

const unused = (partnerId: string): SQL =>
  sql.join(
    ACTIVITY_TABLES.map((t) => sql`NOT EXISTS (SELECT 1 FROM ${sql.raw(t)} WHERE partner_id = ${partnerId})`),
    sql` AND `,
  );

/**
 * Runs in the sandbox Worker, called by production's cron (`registrations.recover`) for a
 * registration whose Worker died after asking for its sandbox partner: removes that partner, and
 * only that one. It must be a sandbox partner whose every credential is the one made for this
 * registration (description `registration <id>`), and it must never have been used: no row of it
 * in any of ACTIVITY_TABLES. The deletes run in one transaction, each gated on that again, so a
 * first call racing the removal keeps the partner. Refuses to run anywhere but the sandbox.
 */
export async function removeSandboxPartner(
  db: Db,
  config: Config,
  input: SandboxPartnerRemoval,
): Promise<SandboxRemovalOutcome> {
  if (config.ENVIRONMENT !== "sandbox")
    throw new NotTheSandbox("sandbox provisioning runs in the sandbox only");
  const { partnerId, registrationId } = Removal.parse(input);
  const [partner] = await db.select().from(partners).where(eq(partners.id, partnerId)).limit(1);
  if (!partner) return "absent";
  const credentials = await db
    .select({ description: partnerCredentials.description })
    .from(partnerCredentials)
    .where(eq(partnerCredentials.partnerId, partnerId));
  const description = `registration ${registrationId}`;
  if (
    partner.environment !== "sandbox" ||
    credentials.length === 0 ||
    credentials.some((c) => c.description !== description)
  )
    return "not_this_registration";
  const gate = and(
    unused(partnerId),
    sql`NOT EXISTS (SELECT 1 FROM partner_credentials WHERE partner_id = ${partnerId} AND (description IS NULL OR description <> ${description}))`,
  );
  const [, , , removed] = await db.batch([
    db.delete(partnerUsers).where(and(eq(partnerUsers.partnerId, partnerId), gate)),
    db.delete(partnerCredentials).where(and(eq(partnerCredentials.partnerId, partnerId), gate)),
    db.delete(partnerContracts).where(and(eq(partnerContracts.partnerId, partnerId), gate)),
    db
      .delete(partners)
      .where(and(eq(partners.id, partnerId), eq(partners.environment, "sandbox"), gate))
      .returning({ id: partners.id }),
  ]);
  return removed.length > 0 ? "removed" : "in_use";
}
