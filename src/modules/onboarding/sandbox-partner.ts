import { z } from "zod";
import { PRODUCTS } from "../../platform/catalog";
import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { buildPartner } from "../partners/provisioning";
import { insertPartner } from "../partners/storage";
import type { SandboxPartnerCredentials, SandboxPartnerRequest } from "./model";

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
