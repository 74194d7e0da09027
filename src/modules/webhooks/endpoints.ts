import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { storeEvent } from "../../platform/events/events";
import { uuidv7 } from "../../platform/lib/ids";
import { sealSecret } from "../../platform/lib/secret-box";
import { isKnownVersion, VERSION_DATES } from "../../platform/versions/registry";
import { endpointView, enqueueDeliveries, urlPolicy, type WebhookDeps } from "./delivery";
import { newAsymmetricKeyPair, newSymmetricSecret } from "./signing";
import {
  type EndpointRow,
  endpointsOf,
  ensureDeliveries,
  findEndpoint,
  insertEndpoint,
  reopenFailedDeliveries,
  updateEndpoint,
} from "./storage";
import { checkWebhookUrl } from "./url";

/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

export type Signing = "hmac_sha256" | "ed25519";

function secretsKey(config: Config): string {
  if (!config.WEBHOOK_SECRETS_KEY) {
    // Fails closed: without the sealing key no secret can be kept, so no endpoint is made.
    throw new ApiError("service_unavailable");
  }
  return config.WEBHOOK_SECRETS_KEY;
}

/**
 * The URL as saved: refused (code 4, field `params.url`) unless the environment's rules allow it,
 * and in production the contract's webhook domains (when it lists any).
 */
function checkedUrl(config: Config, url: string, webhookDomains: readonly string[]): string {
  const verdict = checkWebhookUrl(url, urlPolicy(config, webhookDomains));
  if (!verdict.ok) {
    const field = "params.url";
    throw new ApiError("validation", { field, msg: `URL not allowed: ${verdict.reason}` }, { field });
  }
  return verdict.url.toString();
}

/** A version asked for on an endpoint: a published one, else 400 code 80 naming the field. */
function publishedVersion(version: string): string {
  if (!isKnownVersion(version)) {
    throw new ApiError(
      "api_version_unknown",
      { versions: VERSION_DATES.join(", ") },
      { field: "params.api_version" },
    );
  }
  return version;
}

/** A new signing secret (shown once) and what is kept of it. */
async function newSecret(signing: Signing, key: string, endpointId: string) {
  // Sealed for this endpoint only: a sealed secret copied to another row does not open.
  if (signing === "ed25519") {
    const pair = await newAsymmetricKeyPair();
    return {
      secret: pair.secret,
      sealed: await sealSecret(pair.secret, key, endpointId),
      publicKey: pair.publicKey,
    };
  }
  const secret = newSymmetricSecret();
  return { secret, sealed: await sealSecret(secret, key, endpointId), publicKey: null };
}

async function ownEndpoint(db: Db, partnerId: string, id: string): Promise<EndpointRow> {
  const row = await findEndpoint(db, partnerId, id);
  if (!row) throw new ApiError("not_found", { resource: `webhook endpoint ${id}` });
  return row;
}

/** The calling partner as the endpoint rules see it: its id and its contract's webhook domains. */
export interface EndpointOwner {
  id: string;
  webhookDomains: readonly string[];
  /** The partner's pinned API version: a new endpoint's default. */
  apiVersion: string;
}

export async function createEndpoint(
  deps: WebhookDeps,
  owner: EndpointOwner,
  params: {
    url: string;
    events: string[];
    description?: string | undefined;
    signing: Signing;
    api_version?: string | undefined;
  },
) {
  const partnerId = owner.id;
  const apiVersion = publishedVersion(params.api_version ?? owner.apiVersion);
  const key = secretsKey(deps.config);
  const url = checkedUrl(deps.config, params.url, owner.webhookDomains);
  const id = uuidv7();
  const made = await newSecret(params.signing, key, id);
  const now = new Date().toISOString();
  const row: EndpointRow = {
    id,
    partnerId,
    url,
    description: params.description ?? null,
    events: [...new Set(params.events)],
    status: "enabled",
    disabledReason: null,
    signing: params.signing,
    secretSealed: made.sealed,
    publicKey: made.publicKey,
    previousSecretSealed: null,
    previousPublicKey: null,
    previousExpiresAt: null,
    failingSince: null,
    apiVersion,
    createdAt: now,
    updatedAt: now,
  };
  await insertEndpoint(deps.db, row);
  return { ...endpointView(row), secret: made.secret as string | null };
}

export async function listEndpoints(
  db: Db,
  partnerId: string,
  opts: { startingAfter?: string; limit: number },
) {
  const rows = await endpointsOf(db, partnerId, opts);
  return { data: rows.slice(0, opts.limit).map(endpointView), has_more: rows.length > opts.limit };
}

export async function getEndpoint(db: Db, partnerId: string, id: string) {
  return endpointView(await ownEndpoint(db, partnerId, id));
}

export async function patchEndpoint(
  deps: WebhookDeps,
  owner: EndpointOwner,
  id: string,
  params: {
    url?: string;
    events?: string[];
    description?: string | null;
    status?: "enabled" | "disabled";
    api_version?: string;
  },
) {
  const partnerId = owner.id;
  const apiVersion = params.api_version === undefined ? undefined : publishedVersion(params.api_version);
  await ownEndpoint(deps.db, partnerId, id);
  const set: Partial<EndpointRow> = {};
  if (apiVersion !== undefined) set.apiVersion = apiVersion;
  if (params.url !== undefined) set.url = checkedUrl(deps.config, params.url, owner.webhookDomains);
  if (params.events !== undefined) set.events = [...new Set(params.events)];
  if (params.description !== undefined) set.description = params.description;
  if (params.status === "enabled")
    Object.assign(set, { status: "enabled", disabledReason: null, failingSince: null });
  if (params.status === "disabled")
    Object.assign(set, { status: "disabled", disabledReason: "disabled by the partner" });
  const row = await updateEndpoint(deps.db, partnerId, id, set);
  if (!row) throw new ApiError("not_found", { resource: `webhook endpoint ${id}` });
  return endpointView(row);
}

export async function deleteEndpoint(db: Db, partnerId: string, id: string) {
  await ownEndpoint(db, partnerId, id);
  const row = await updateEndpoint(db, partnerId, id, { status: "deleted" });
  if (!row) throw new ApiError("not_found", { resource: `webhook endpoint ${id}` });
  return { id, object: "webhook_endpoint" as const, deleted: true as const };
}

/** A new secret, shown once; the previous one keeps signing for 24 h so receivers can switch over. */
export async function rotateSecret(deps: WebhookDeps, partnerId: string, id: string) {
  const key = secretsKey(deps.config);
  const current = await ownEndpoint(deps.db, partnerId, id);
  const made = await newSecret(current.signing, key, id);
  const row = await updateEndpoint(deps.db, partnerId, id, {
    secretSealed: made.sealed,
    publicKey: made.publicKey,
    previousSecretSealed: current.secretSealed,
    previousPublicKey: current.publicKey,
    previousExpiresAt: new Date(Date.now() + ROTATION_OVERLAP_MS).toISOString(),
  });
  if (!row) throw new ApiError("not_found", { resource: `webhook endpoint ${id}` });
  return { ...endpointView(row), secret: made.secret as string | null };
}

/** Sends a `ping` event to this endpoint only; it is recorded like any other event. */
export async function pingEndpoint(deps: WebhookDeps, partnerId: string, id: string) {
  const endpoint = await ownEndpoint(deps.db, partnerId, id);
  const event = {
    id: uuidv7(),
    type: "ping" as const,
    partnerId,
    livemode: deps.config.ENVIRONMENT === "production",
    createdAt: new Date().toISOString(),
    object: { endpoint_id: endpoint.id, message: "Portico test event" },
  };
  await storeEvent(deps.db, event);
  const deliveries = await ensureDeliveries(deps.db, [
    { id: uuidv7(), eventId: event.id, endpointId: endpoint.id, partnerId },
  ]);
  await enqueueDeliveries(deps.deliveries, deliveries);
  return { id: event.id, object: "event" as const, type: event.type, created_at: event.createdAt };
}

/** Sends again every delivery to this endpoint that failed since `since`. */
export async function recoverEndpoint(deps: WebhookDeps, partnerId: string, id: string, since: string) {
  await ownEndpoint(deps.db, partnerId, id);
  const reopened = await reopenFailedDeliveries(deps.db, id, new Date(since).toISOString());
  await enqueueDeliveries(deps.deliveries, reopened);
  return { object: "recovery" as const, endpoint_id: id, since, deliveries: reopened.length };
}
