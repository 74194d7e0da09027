import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { renderedText } from "../envelope";
import { ApiError } from "../errors";
import type { AppEnv } from "../types";
import type { RequestChange } from "../versions/change";
import { CURRENT_VERSION, findVersion, isKnownVersion, VERSION_DATES } from "../versions/registry";
import {
  type Chain,
  chainFor,
  downgradeValue,
  fieldAtVersion,
  mentionsChangedObject,
  messageAtVersion,
  upgradeParams,
} from "../versions/transform";
import { type VersionUsage, versionUsage, writeUsage } from "../versions/usage";
import { announceDeprecation } from "./deprecation";
import { cacheBody } from "./json-body";

/** The request header that overrides the partner's pinned version, and the answer's echo of it. */
export const VERSION_HEADER = "Portico-Version";

/**
 * Outermost for /v1: every answer says which version it speaks, also those refused before the
 * version is settled. Before the partner is known (401): the version asked for when it is a
 * published one, else the current version; after (429, an unknown route, a refused body): the
 * version asked for, else the partner's pin. `apiVersion()` sets the version actually used.
 */
export const versionEcho = () =>
  createMiddleware<AppEnv>(async function versionEcho(c, next) {
    const asked = c.req.header(VERSION_HEADER);
    const known = asked !== undefined && isKnownVersion(asked) ? asked : undefined;
    c.header(VERSION_HEADER, known ?? CURRENT_VERSION);
    await next();
    // Refused once the partner was known but before its version was settled (a rate limit, an
    // unknown route, a body refused): the answer speaks the version it would have been served at.
    const partner = c.get("partner");
    if (c.get("apiVersion") !== undefined || !partner) return;
    const version = known ?? findVersion(partner.apiVersion)?.date ?? CURRENT_VERSION;
    c.header(VERSION_HEADER, version);
    const deprecation = findVersion(version)?.deprecation;
    if (deprecation) announceDeprecation(c, deprecation, version);
  });

/**
 * The version of the request, once the partner is known: `Portico-Version` when sent (an
 * unpublished or malformed one is refused, 400 code 80, before anything runs), else the
 * partner's pin. Its deprecation headers, its usage count, and its chain: outside the
 * idempotency layer, a request at an older version has its `params` upgraded to the current
 * version before anything reads them (the fingerprint included, so one request means the same
 * at every version), and the answer, stored for replays at the current version, is downgraded
 * on its way out to the caller's version, replays included. At the current version the chain is
 * empty and the answer leaves as it was rendered.
 */
export const apiVersion = (usage: VersionUsage = versionUsage) =>
  createMiddleware<AppEnv>(async function apiVersion(c, next) {
    const partner = c.get("partner");
    const pinned = findVersion(partner.apiVersion)?.date ?? CURRENT_VERSION;
    const asked = c.req.header(VERSION_HEADER);
    if (asked !== undefined && !isKnownVersion(asked)) {
      c.header(VERSION_HEADER, pinned);
      throw new ApiError(
        "api_version_unknown",
        { versions: VERSION_DATES.join(", ") },
        { field: VERSION_HEADER },
      );
    }
    const version = asked ?? pinned;
    c.set("apiVersion", version);
    c.header(VERSION_HEADER, version);
    const deprecation = findVersion(version)?.deprecation;
    if (deprecation) announceDeprecation(c, deprecation, version);
    countCall(c, usage, partner.id, version);

    const chain = chainFor(version);
    if (chain.empty) return next();
    const requestChanges = await upgradeRequest(c, chain);
    await next();
    await downgradeAnswer(c, chain, requestChanges);
  });

/** Counted in the isolate; what is due goes to D1 after the answer, never before it. */
function countCall(c: Context<AppEnv>, usage: VersionUsage, partnerId: string, version: string) {
  const due = usage.record(partnerId, version);
  if (!due) return;
  const { db } = c.get("services");
  const log = c.get("log");
  const write = writeUsage(db, due).catch((err: unknown) => {
    usage.restore(due);
    log.warn("version usage not written", { error: err instanceof Error ? err.name : "unknown" });
  });
  try {
    c.executionCtx.waitUntil(write);
  } catch {
    // No execution context (an app called directly): the write runs on its own.
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** The body's `params` made current, handed back to the body cache the route reads. */
async function upgradeRequest(c: Context<AppEnv>, chain: Chain): Promise<readonly RequestChange[]> {
  const changes = chain.requestChangesFor(c.req.method, c.req.path);
  if (changes.length === 0) return changes;
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return changes; // not reached: the JSON body middleware refused it already
  }
  if (!isRecord(body) || !isRecord(body.params)) return changes; // the route's schema refuses it
  cacheBody(c, JSON.stringify({ ...body, params: upgradeParams(changes, body.params) }));
  return changes;
}

/** The answer at the caller's version: objects downgraded, a refused field named as the caller named it. */
async function downgradeAnswer(c: Context<AppEnv>, chain: Chain, requestChanges: readonly RequestChange[]) {
  if (!c.res.headers.get("Content-Type")?.includes("application/json")) return;
  const renames = requestChanges.some((r) => r.renamedFields) && c.res.status >= 400;
  const text = renderedText(c.res) ?? (await c.res.clone().text());
  if (!renames && !mentionsChangedObject(chain, text)) return;
  const body = JSON.parse(text) as { result?: unknown; error?: { field?: string; message?: string } | null };
  if (body.result !== undefined && body.result !== null) body.result = downgradeValue(chain, body.result);
  if (renames && body.error) {
    if (body.error.field) body.error.field = fieldAtVersion(requestChanges, body.error.field);
    if (body.error.message) body.error.message = messageAtVersion(requestChanges, body.error.message);
  }
  c.res = new Response(JSON.stringify(body), c.res);
}
