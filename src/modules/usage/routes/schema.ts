import { z } from "@hono/zod-openapi";
import { pageQuery } from "../../../platform/http/pagination";
import { GRANULARITIES, LOG_PRODUCTS, MAX_BODY_BYTES, MAX_HOURLY_USAGE_DAYS, MAX_USAGE_DAYS } from "../model";

const query = (name: string) => ({ param: { name, in: "query" as const } });
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export const RequestLogEntrySchema = z
  .object({
    id: z
      .string()
      .openapi({ format: "uuid", description: "The log entry's id (UUID v7: it orders by time)." }),
    object: z.literal("request_log_entry"),
    request_id: z
      .string()
      .openapi({ description: "The request's `X-Request-Id`: yours when you sent a well-formed one." }),
    time: z.string().openapi({ format: "date-time", description: "When the request arrived." }),
    method: z.string().openapi({ example: "POST" }),
    route: z.string().nullable().openapi({
      description: "The route that answered, as a template; null when none matched (404 code 31, 405).",
      example: "/v1/payments/:id/capture",
    }),
    path: z.string().openapi({ description: "The path as sent, without the query string." }),
    product: z.enum(LOG_PRODUCTS).openapi({ description: "What the route is of (docs/usage.md)." }),
    status: z.number().int().openapi({ description: "The HTTP status answered.", example: 200 }),
    error_code: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The error envelope's code when the answer was an error (/docs#errors)." }),
    latency_ms: z.number().int().openapi({ description: "From arrival to the answer, in the gateway." }),
    idempotency_key: z.string().nullable(),
    api_version: z.string().openapi({ description: "The API version the request was served at." }),
    client_id: z.string().openapi({ description: "The consumer key whose token made the call." }),
    livemode: z.boolean(),
  })
  .openapi("RequestLogEntry");

const BODY = `What the sandbox keeps of the body: its JSON with every secret, token, password, card number, CVV, one-time code and unlicensed personal field redacted, at most ${MAX_BODY_BYTES} bytes. Null in production, for a body that was not JSON, for none, and for the request log's own reads.`;

export const RequestDetailSchema = RequestLogEntrySchema.extend({
  request_body: z
    .string()
    .nullable()
    .openapi({ description: `The request's. ${BODY}` }),
  request_body_truncated: z.boolean().openapi({ description: "The request body was cut at the cap." }),
  response_body: z
    .string()
    .nullable()
    .openapi({
      description: `The answer's, as it was sent (a secret shown once is not kept). ${BODY}`,
    }),
  response_body_truncated: z.boolean().openapi({ description: "The response body was cut at the cap." }),
}).openapi("RequestLogEntryDetail");

export const ListRequestsQuery = z.object({
  status: z.coerce
    .number()
    .int()
    .min(100)
    .max(599)
    .optional()
    .openapi({ ...query("status"), description: "Exactly this HTTP status." }),
  outcome: z
    .enum(["success", "error"])
    .optional()
    .openapi({ ...query("outcome"), description: "success: status below 400; error: 400 and above." }),
  method: z.enum(METHODS).optional().openapi(query("method")),
  route: z
    .string()
    .max(200)
    .regex(/^\/v1\/[\x21-\x7e]*$/, "a /v1 route template")
    .optional()
    .openapi({
      ...query("route"),
      description: "A route template, `/v1/payments/:id` or `/v1/payments/{id}`.",
      example: "/v1/payments/{id}",
    }),
  product: z.enum(LOG_PRODUCTS).optional().openapi(query("product")),
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ ...query("from"), description: "Requests that arrived at or after this time." }),
  to: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ ...query("to"), description: "Requests that arrived before this time." }),
  request_id: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, "a request id")
    .optional()
    .openapi(query("request_id")),
  idempotency_key: z
    .string()
    .regex(/^[\x20-\x7e]{1,255}$/, "1–255 printable ASCII characters")
    .optional()
    .openapi(query("idempotency_key")),
  ...pageQuery,
});

export const RequestIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

const Metrics = {
  calls: z.number().int(),
  errors: z.number().int().openapi({ description: "Answers with status 400 and above." }),
  errors_4xx: z.number().int(),
  errors_5xx: z.number().int(),
  error_rate: z.number().openapi({ description: "errors / calls, to four decimals; 0 without calls." }),
  p50_latency_ms: z
    .number()
    .int()
    .nullable()
    .openapi({ description: "Median latency, nearest rank; null without calls." }),
  p99_latency_ms: z.number().int().nullable().openapi({ description: "99th percentile, nearest rank." }),
};

const Billable = {
  billable: z.number().int().openapi({
    description:
      "Calls metered for billing (docs/metering.md): every answered call, success, client or server error; never a refusal (rate limit, quota, limiter unavailable, a key still in flight, no route) nor an idempotent replay. Counted off the request path: the last seconds may not be in yet.",
  }),
};

export const UsageRowSchema = z
  .object({
    date: z.string().openapi({ format: "date" }),
    hour: z
      .string()
      .optional()
      .openapi({ format: "date-time", description: "With `granularity=hour`: the UTC hour's start." }),
    product: z.enum(LOG_PRODUCTS),
    ...Metrics,
    ...Billable,
  })
  .openapi("UsageRow");

export const UsageSchema = z
  .object({
    object: z.literal("usage"),
    from: z.string().openapi({ format: "date" }),
    to: z.string().openapi({ format: "date" }),
    granularity: z
      .enum(GRANULARITIES)
      .openapi({ description: "What a `data` row covers: a UTC day or hour." }),
    product: z
      .enum(LOG_PRODUCTS)
      .nullable()
      .openapi({ description: "The one product reported; null: every product." }),
    data: z.array(UsageRowSchema).openapi({
      description: "Per UTC day (or hour) and product with calls, ascending (the CSV's rows).",
    }),
    days: z
      .array(z.object({ date: z.string().openapi({ format: "date" }), ...Metrics, ...Billable }))
      .openapi({
        description:
          "Every day of the span, every product (or the one asked for) together; a day without calls as zeros.",
      }),
    totals: z.object({ ...Metrics, ...Billable }).openapi({ description: "The whole span." }),
    limits: z
      .object({
        tier: z.enum(["sandbox", "standard", "enterprise"]),
        calls_today: z
          .number()
          .int()
          .openapi({ description: "Requests recorded today (UTC), refusals included." }),
        requests_per_second: z.object({
          limit: z.number().int().openapi({ description: "Your contract's limit." }),
          peak_today: z
            .number()
            .int()
            .openapi({ description: "The most requests recorded in one second today." }),
          rate_limited_today: z.number().int().openapi({ description: "Refused today with 429, code 40." }),
        }),
        daily_quota: z.object({
          limit: z
            .number()
            .int()
            .nullable()
            .openapi({ description: "null: your contract has no daily quota." }),
          used_today: z.number().int().openapi({
            description:
              "Today's recorded requests the limiter counted (all but its own refusals, codes 40–42).",
          }),
          remaining_today: z.number().int().nullable(),
          quota_exceeded_today: z.number().int().openapi({ description: "Refused today with 429, code 41." }),
          resets_at: z.string().openapi({ format: "date-time", description: "The next UTC midnight." }),
        }),
      })
      .openapi({ description: "Your plan's limits and what today's recorded requests show of them." }),
  })
  .openapi("Usage");

export const UsageQuery = z.object({
  from: z.iso
    .date()
    .optional()
    .openapi({ ...query("from"), description: "First UTC day (default: six days before `to`)." }),
  to: z.iso
    .date()
    .optional()
    .openapi({
      ...query("to"),
      description: `Last UTC day, included (default: today). At most ${MAX_USAGE_DAYS} days from \`from\` (${MAX_HOURLY_USAGE_DAYS} per hour).`,
    }),
  granularity: z
    .enum(GRANULARITIES)
    .default("day")
    .openapi({ ...query("granularity"), description: "A `data` row per UTC day (default) or hour." }),
  product: z
    .enum(LOG_PRODUCTS)
    .optional()
    .openapi({ ...query("product"), description: "Only this product's calls (default: every product)." }),
});
