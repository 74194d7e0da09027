// The errors a call throws (docs/errors.md): one class per family, all PorticoError. Branch on `code`
// (the catalogue's number) or on `kind`; never on `message`.

/** The families of errors; `kind` on every PorticoError. */
export type ErrorKind =
  | "authentication"
  | "permission"
  | "validation"
  | "not_found"
  | "idempotency"
  | "conflict"
  | "rate_limit"
  | "server"
  | "network"
  | "api";

/** The envelope's `error` member, as the API sent it. */
export interface ErrorDetails {
  code: number;
  message: string;
  reason: string;
  docs?: string;
  field?: string;
  retryable?: boolean;
  [member: string]: unknown;
}

export interface PorticoErrorInit {
  status: number;
  code: number;
  reason: string;
  message: string;
  requestId?: string | undefined;
  field?: string | undefined;
  retryable?: boolean | undefined;
  retryAfterSeconds?: number | undefined;
  details?: ErrorDetails | Record<string, unknown> | undefined;
  headers?: Headers | undefined;
  cause?: unknown;
}

/** A refused call: the API's error, or no answer at all (NetworkError, status 0). */
export class PorticoError extends Error {
  override name = "PorticoError";
  readonly kind: ErrorKind = "api";
  /** HTTP status; 0 when no answer arrived. */
  readonly status: number;
  /** The catalogue's code (docs/errors.md). 0 when the answer had none: a token-endpoint OAuth error, no answer, or a body that is not Portico's. */
  readonly code: number;
  /** The catalogue's stable name for `code` (`amount_exceeds`); for a token-endpoint error, its OAuth `error` (`invalid_client`). */
  readonly reason: string;
  /** `X-Request-Id` of the answer: quote it to support. */
  readonly requestId: string | undefined;
  /** The offending input, as a path (`params.amount`, `Idempotency-Key`). */
  readonly field: string | undefined;
  /** `retryable` as the API said it; undefined when it did not say. */
  readonly retryable: boolean | undefined;
  /** `Retry-After` in seconds, when the answer carried one. */
  readonly retryAfterSeconds: number | undefined;
  /** The error object as sent: the envelope's `error`, or the token endpoint's `{ error, error_description }`. */
  readonly details: ErrorDetails | Record<string, unknown> | undefined;
  readonly headers: Headers | undefined;

  constructor(init: PorticoErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.reason = init.reason;
    this.requestId = init.requestId;
    this.field = init.field;
    this.retryable = init.retryable;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.details = init.details;
    this.headers = init.headers;
  }
}

/** 401 (codes 10–13), and every refusal of the token endpoint (`invalid_client`, `invalid_scope`…). */
export class AuthenticationError extends PorticoError {
  override name = "AuthenticationError";
  override readonly kind = "authentication";
}

/** 403: suspended partner (14), scope (20), licence (21), address (23), terms (24), consent (70–72). */
export class PermissionError extends PorticoError {
  override name = "PermissionError";
  override readonly kind = "permission";
}

/** 400, 413, 415: the request must change (codes 2–4, 32–34, 80…); `field` names the input. */
export class ValidationError extends PorticoError {
  override name = "ValidationError";
  override readonly kind = "validation";
}

/** 404: no such object or it is another partner's (30, 1000, 1008), or no such path (31). */
export class NotFoundError extends PorticoError {
  override name = "NotFoundError";
  override readonly kind = "not_found";
}

/** The Idempotency-Key: missing or malformed (50), reused for another request (51), still running (52, retried first). */
export class IdempotencyError extends PorticoError {
  override name = "IdempotencyError";
  override readonly kind = "idempotency";
}

/** 409 and 410 other than idempotency: the object's state forbids it (60–66, 1001, 1007, 1009, 1011…). */
export class ConflictError extends PorticoError {
  override name = "ConflictError";
  override readonly kind = "conflict";
}

/** 429: per-second limit (40) or daily quota (41); retried after `Retry-After` first. */
export class RateLimitError extends PorticoError {
  override name = "RateLimitError";
  override readonly kind = "rate_limit";
}

/** 5xx (1, 22, 42, 90, 91, 1004–1006…): never stored under the key, retried first. */
export class ServerError extends PorticoError {
  override name = "ServerError";
  override readonly kind = "server";
}

/** No answer: the connection failed or the attempt timed out (status 0). Retried first. */
export class NetworkError extends PorticoError {
  override name = "NetworkError";
  override readonly kind = "network";
}

const IDEMPOTENCY_CODES = new Set([50, 51, 52]);

type ErrorClass = new (init: PorticoErrorInit) => PorticoError;

function classFor(status: number, code: number): ErrorClass {
  if (IDEMPOTENCY_CODES.has(code)) return IdempotencyError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionError;
  if (status === 404) return NotFoundError;
  if (status === 409 || status === 410) return ConflictError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  if (status === 400 || status === 413 || status === 415) return ValidationError;
  return PorticoError;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `Retry-After` in seconds: a number of seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get("Retry-After")?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The error a refused `/v1` answer stands for, from its status, headers and parsed body. */
export function errorFromAnswer(response: Response, body: unknown): PorticoError {
  const base = {
    status: response.status,
    requestId: response.headers.get("X-Request-Id") ?? undefined,
    retryAfterSeconds: retryAfterSeconds(response.headers),
    headers: response.headers,
  };
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (error && typeof error.code === "number") {
    const Class = classFor(response.status, error.code);
    return new Class({
      ...base,
      code: error.code,
      reason: typeof error.reason === "string" ? error.reason : "unknown",
      message: typeof error.message === "string" ? error.message : `HTTP ${response.status}`,
      field: typeof error.field === "string" ? error.field : undefined,
      retryable: typeof error.retryable === "boolean" ? error.retryable : undefined,
      details: error as ErrorDetails,
    });
  }
  // Not the envelope: a proxy's page, an empty answer, or something else in front of the gateway.
  const Class = classFor(response.status, 0);
  return new Class({ ...base, code: 0, reason: "unexpected_answer", message: `HTTP ${response.status}` });
}

/** The error a refused token request stands for (RFC 6749 §5.2; docs/authentication.md, Token errors). */
export function errorFromTokenAnswer(response: Response, body: unknown): PorticoError {
  const base = {
    status: response.status,
    requestId: response.headers.get("X-Request-Id") ?? undefined,
    retryAfterSeconds: retryAfterSeconds(response.headers),
    headers: response.headers,
  };
  if (response.status === 429 || response.status >= 500) return errorFromAnswer(response, body);
  const oauth = isRecord(body) && typeof body.error === "string" ? body : undefined;
  const description = typeof oauth?.error_description === "string" ? oauth.error_description : undefined;
  return new AuthenticationError({
    ...base,
    code: typeof oauth?.code === "number" ? oauth.code : 0,
    reason: typeof oauth?.error === "string" ? oauth.error : "unexpected_answer",
    message: description ?? `the token endpoint answered HTTP ${response.status}`,
    details: oauth,
  });
}
