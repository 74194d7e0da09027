// @portico/sdk: the typed client of Portico's partner API (docs/sdk.md).
export { Portico, type PorticoOptions } from "./client.js";
export {
  AuthenticationError,
  ConflictError,
  type ErrorDetails,
  type ErrorKind,
  IdempotencyError,
  NetworkError,
  NotFoundError,
  PermissionError,
  PorticoError,
  RateLimitError,
  ServerError,
  ValidationError,
} from "./errors.js";
export { isRetryable, type RetryInfo, type RetryOptions } from "./retry.js";
export type { FetchLike } from "./transport.js";
export type {
  Answer,
  BodyOf,
  CallOptions,
  components,
  ItemOf,
  ListPath,
  Method,
  Operation,
  PageOf,
  PaginateOptions,
  ParamsOf,
  PathsWith,
  paths,
  RequestOptions,
  ResultOf,
  V1Path,
  WebhookEvent,
} from "./types.js";
export {
  type VerifyOptions,
  verifyWebhook,
  type WebhookFailure,
  type WebhookHeaders,
  WebhookVerificationError,
} from "./webhooks.js";
