import type { CronContext, CronResult } from "../../platform/cron";
import { eachItem } from "../../platform/cron";
import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { uuidv7 } from "../../platform/lib/ids";
import { findChangeRequest } from "../admin/storage";
import { createCredential, listPartnerCredentials } from "../partners/credentials";
import { buildPartner } from "../partners/provisioning";
import { partnerOnceWrites } from "../partners/storage";
import { MAX_LIVE_CREDENTIALS, webhookHosts } from "./application-model";
import {
  type ApplicationRow,
  applicationsOf,
  approvedWithoutPartner,
  findApplication,
  insertHistory,
  markLivePartnerCreated,
} from "./application-storage";
import type { RegistrationRow } from "./storage";
import { findRegistration } from "./storage";

/**
 * The live partner an approved application becomes (docs/onboarding.md): written in production's
 * D1 with the registration's reserved id, the approved products only, the `standard` tier, the IP
 * allow-list and webhook domains of the checklist, pinned to the current API version. Its first
 * portal user, an owner, is the contact email with the registration's password (the production
 * portal then asks for the second factor's enrolment). It has no
 * credential until the partner makes one (`POST /onboarding/credentials`): its secrets are shown
 * to the partner alone, never to the platform team that approved it.
 */
export async function provisionLivePartner(db: Db, config: Config, applicationId: string, at = new Date()) {
  if (config.ENVIRONMENT !== "production") throw new ApiError("service_unavailable");
  const app = await findApplication(db, applicationId);
  if (app?.status !== "approved") return false;
  if (app.livePartnerCreatedAt) return false;
  const registration = await findRegistration(db, app.registrationId);
  if (!registration) return false;
  const { rows } = await buildPartner({
    id: app.partnerId,
    name: app.checklist.legal_entity?.name ?? registration.companyName,
    environment: "production",
    tier: "standard",
    products: app.products,
    ipAllowlist: app.checklist.ip_allowlist ?? [],
    webhookDomains: webhookHosts(app.checklist.webhook_urls ?? []),
  });
  const now = at.toISOString();
  const request = app.changeRequestId ? await findChangeRequest(db, app.changeRequestId) : undefined;
  // The history lines' ids are the application's: two provisioners (the approval, the cron) write one each.
  await db.batch([
    insertHistory(db, {
      id: `${app.id}.approved`,
      applicationId: app.id,
      actorKind: "admin",
      actor: request?.checker ?? "unknown",
      action: "approved",
      fromStatus: "submitted",
      toStatus: "approved",
      comment: request?.decisionReason ?? null,
      createdAt: app.decidedAt ?? now,
    }),
    ...partnerOnceWrites(db, {
      partner: rows.partner,
      contract: rows.contract,
      // The portal's first owner: the contact email with the registration's own password hash.
      user: {
        id: uuidv7(),
        partnerId: app.partnerId,
        username: registration.contactEmail,
        passwordHash: registration.passwordHash,
        role: "owner",
      },
    }),
    markLivePartnerCreated(db, app.id, now),
    insertHistory(db, {
      id: `${app.id}.live`,
      applicationId: app.id,
      actorKind: "system",
      actor: "portico",
      action: "live_partner_created",
      fromStatus: "approved",
      toStatus: "approved",
      comment: `production partner ${app.partnerId} with ${app.products.join(", ")}`,
      createdAt: now,
    }),
  ]);
  return true;
}

/** The cron's recovery: an approval whose Worker died before the live partner was written. */
export async function recoverLivePartners(ctx: CronContext, limit: number): Promise<CronResult> {
  if (ctx.config.ENVIRONMENT !== "production") return { due: 0 };
  const before = new Date(ctx.now - 60_000).toISOString();
  const due = await approvedWithoutPartner(ctx.db, before, limit);
  const { done, failed } = await eachItem(
    due,
    (app) => provisionLivePartner(ctx.db, ctx.config, app.id, new Date(ctx.now)),
    (app, error) => ctx.log.warn("live partner not provisioned", { application_id: app.id, error }),
  );
  return { due: due.length, provisioned: done, failed };
}

/** The registration's approved application whose live partner exists; 409, code 145, otherwise. */
async function liveApplication(db: Db, registration: RegistrationRow): Promise<ApplicationRow> {
  const apps = await applicationsOf(db, registration.id);
  const approved = apps.find((a) => a.status === "approved" && a.livePartnerCreatedAt);
  if (!approved)
    throw new ApiError("not_live_yet", {
      status: apps[0]
        ? apps[0].status === "approved"
          ? "approved, its partner being created"
          : apps[0].status
        : "not made",
    });
  return approved;
}

/**
 * A live consumer key for the registration's production partner, its secret in this answer only
 * (stored as a salted hash). At most five active (409, 146): the partner rotates with
 * `/v1/partner/credentials` once live.
 */
export async function issueLiveCredential(db: Db, config: Config, registration: RegistrationRow) {
  const app = await liveApplication(db, registration);
  const active = (await listPartnerCredentials(db, app.partnerId)).filter((c) => c.status === "active");
  if (active.length >= MAX_LIVE_CREDENTIALS)
    throw new ApiError("live_credential_limit", { limit: MAX_LIVE_CREDENTIALS });
  const created = await createCredential(db, config, app.partnerId, "onboarding");
  return { ...created, partner_id: app.partnerId, environment: "production" as const };
}

export async function liveCredentials(db: Db, registration: RegistrationRow) {
  const app = await liveApplication(db, registration);
  return {
    data: (await listPartnerCredentials(db, app.partnerId)).map((c) => ({ ...c, partner_id: app.partnerId })),
    has_more: false,
  };
}
