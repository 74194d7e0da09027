/**
 * The request log's and the usage report's vocabulary (docs/usage.md): which product a route is
 * of, what is kept of a body, how long rows stay, and the report's bounds.
 */

/** What a request is counted under: a licensable product, or the platform's own parts. */
export const LOG_PRODUCTS = [
  "accounts",
  "cards",
  "fx",
  "kyc",
  "ledger",
  "lending",
  "partner",
  "payments",
  "payouts",
  "usage",
  "webhooks",
  "other",
] as const;
export type LogProduct = (typeof LOG_PRODUCTS)[number];

/** The first path segment under /v1 (after `sandbox/`, whose buttons belong to their product). */
const PRODUCT_OF_SEGMENT: Readonly<Record<string, LogProduct>> = {
  accounts: "accounts",
  consents: "accounts",
  cards: "cards",
  fx: "fx",
  kyc: "kyc",
  balance: "ledger",
  ledger: "ledger",
  loans: "lending",
  partner: "partner",
  terms: "partner",
  payments: "payments",
  refunds: "payments",
  payouts: "payouts",
  requests: "usage",
  sla: "usage",
  usage: "usage",
  "usage.csv": "usage",
  webhook_endpoints: "webhooks",
  events: "webhooks",
};

/** The product of a /v1 route template or path: `/v1/sandbox/payouts/:id/simulate` → payouts. */
export function productOf(path: string): LogProduct {
  const segments = path.split("/").filter(Boolean);
  if (segments[0] !== "v1") return "other";
  const first = segments[1] === "sandbox" ? segments[2] : segments[1];
  return (
    (first !== undefined && Object.hasOwn(PRODUCT_OF_SEGMENT, first) && PRODUCT_OF_SEGMENT[first]) || "other"
  );
}

/** The request log's own reads are counted, never recorded with bodies, and left out of lists unless asked for. */
export const isLogRead = (product: LogProduct) => product === "usage";

/** The most of one body kept (UTF-8 bytes, after redaction); a longer one is cut and marked truncated. */
export const MAX_BODY_BYTES = 16 * 1024;
/** The most of a path kept (characters): the router refuses longer ones anyway, as unknown routes. */
export const MAX_PATH_CHARS = 1024;

/** How long rows stay (the `request_log.prune` cron job), by environment. */
export const RETENTION_DAYS = { sandbox: 30, production: 90 } as const;

/** The usage report: its default span and its longest, in UTC days. */
export const DEFAULT_USAGE_DAYS = 7;
export const MAX_USAGE_DAYS = 90;
/** The longest span read per hour (`granularity=hour`), in UTC days: 744 hours per product at most. */
export const MAX_HOURLY_USAGE_DAYS = 31;
export const GRANULARITIES = ["day", "hour"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** What the limiter itself refused (40 rate, 41 quota, 42 backend unavailable): not counted against the quota. */
export const LIMITER_REFUSALS = [40, 41, 42] as const;

/** A row of the log as it is written. */
export interface RequestRecord {
  id: string;
  partnerId: string;
  requestId: string;
  time: string;
  method: string;
  route: string | null;
  path: string;
  product: LogProduct;
  status: number;
  errorCode: number | null;
  latencyMs: number;
  idempotencyKey: string | null;
  apiVersion: string;
  clientId: string;
  requestBody: string | null;
  requestBodyTruncated: boolean;
  responseBody: string | null;
  responseBodyTruncated: boolean;
}
