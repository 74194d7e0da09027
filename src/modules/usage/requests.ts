import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { redactText } from "../../platform/lib/logger";
import { findRequest, type RequestFilter, type RequestRow, requestsOf } from "./storage";

/** A row of the log as the API shows it (docs/usage.md). */
function requestView(
  row: Omit<RequestRow, "requestBody" | "requestBodyTruncated" | "responseBody" | "responseBodyTruncated">,
  livemode: boolean,
) {
  return {
    id: row.id,
    object: "request_log_entry" as const,
    request_id: row.requestId,
    time: row.time,
    method: row.method,
    route: row.route,
    path: row.path,
    product: row.product,
    status: row.status,
    error_code: row.errorCode,
    latency_ms: row.latencyMs,
    idempotency_key: row.idempotencyKey,
    api_version: row.apiVersion,
    client_id: row.clientId,
    livemode,
  };
}

export type RequestQuery = Omit<RequestFilter, "hideLogReads">;

/** A route filter in the document's form (`/v1/payments/{id}`) means the template the log keeps. */
export const routeTemplateOf = (route: string) => route.replace(/\{([^}/]+)\}/g, ":$1");

/**
 * The partner's requests, newest first. The log's own reads (product `usage`) are left out unless
 * the filter asks for them: by product, by route, or by request id.
 */
export async function listRequests(db: Db, partnerId: string, livemode: boolean, q: RequestQuery) {
  const filter: RequestFilter = {
    ...q,
    ...(q.route !== undefined ? { route: routeTemplateOf(q.route) } : {}),
    // Stored ids and keys had card-number-like runs replaced: compared the same way.
    ...(q.requestId !== undefined ? { requestId: redactText(q.requestId) } : {}),
    ...(q.idempotencyKey !== undefined ? { idempotencyKey: redactText(q.idempotencyKey) } : {}),
    hideLogReads: q.product === undefined && q.route === undefined && q.requestId === undefined,
  };
  const rows = await requestsOf(db, partnerId, filter);
  return {
    data: rows.slice(0, q.limit).map((r) => requestView(r, livemode)),
    has_more: rows.length > q.limit,
  };
}

/** One of the partner's requests, with what was kept of its bodies (the sandbox's; production keeps none). */
export async function getRequest(db: Db, partnerId: string, livemode: boolean, id: string) {
  const row = await findRequest(db, partnerId, id);
  if (!row) throw new ApiError("not_found", { resource: `request ${id}` });
  return {
    ...requestView(row, livemode),
    request_body: row.requestBody,
    request_body_truncated: row.requestBodyTruncated,
    response_body: row.responseBody,
    response_body_truncated: row.responseBodyTruncated,
  };
}
