import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The error catalogue: every code Portico answers with. 1–999 are system errors,
 * 1000–1999 business errors; codes 1–5 and 1000–1011 are the bank's (`002`), the rest
 * are Portico's own. A published code never changes meaning: add, never edit.
 */
export const ERRORS = {
  unknown: { code: 1, status: 500, message: "Unknown Error. Please contact support" },
  invalid_json: { code: 2, status: 400, message: "Request contains invalid JSON format" },
  unparseable_field: {
    code: 3,
    status: 400,
    message: "Field: {field}, value is invalid and can't be parsed. Message: {msg}",
  },
  validation: { code: 4, status: 400, message: "Validation Error. Field: {field}, message: {msg}" },
  method_not_allowed: {
    code: 5,
    status: 405,
    message: "The API doesn't support HTTP method: {method}. Supported HTTP methods: {allowed}",
  },
  // Authentication 10–19
  unauthenticated: { code: 10, status: 401, message: "Authentication is required: send a Bearer token" },
  invalid_token: { code: 11, status: 401, message: "The token is malformed or invalid." },
  token_expired: { code: 12, status: 401, message: "The access token expired" },
  environment_mismatch: {
    code: 13,
    status: 401,
    message: "The credential belongs to the {credential_env} environment; this is {env}",
  },
  partner_suspended: { code: 14, status: 403, message: "The partner account is suspended" },
  // Authorization 20–29
  insufficient_scope: { code: 20, status: 403, message: "The token lacks the required scope: {scope}" },
  product_not_licensed: {
    code: 21,
    status: 403,
    message: "The contract does not license the product: {product}",
  },
  product_disabled: {
    code: 22,
    status: 503,
    message: "The {product} product is switched off for now; try again later",
  },
  ip_not_allowed: {
    code: 23,
    status: 403,
    message: "The request's address is not in the contract's IP allow-list",
  },
  terms_acceptance_required: {
    code: 24,
    status: 403,
    message:
      "The terms of service version {version} had to be accepted by {accept_by}: read GET /v1/terms and accept it with POST /v1/terms/accept",
  },
  // Routing and transport 30–39
  not_found: { code: 30, status: 404, message: "No such resource: {resource}" },
  route_not_found: { code: 31, status: 404, message: "No route matches {method} {path}" },
  payload_too_large: { code: 32, status: 413, message: "The request body exceeds {limit} bytes" },
  unsupported_media_type: {
    code: 33,
    status: 415,
    message: "Content-Type must be application/json, got: {content_type}",
  },
  bad_request: { code: 34, status: 400, message: "The request was refused: {detail}" },
  // Limits 40–49
  rate_limited: { code: 40, status: 429, message: "Rate limit of {limit} requests per second exceeded" },
  quota_exceeded: { code: 41, status: 429, message: "Daily quota of {limit} requests exhausted" },
  limiter_unavailable: {
    code: 42,
    status: 503,
    message: "The rate limiter is unavailable; the request was refused (fail-closed)",
  },
  // Idempotency 50–59
  idempotency_key_required: {
    code: 50,
    status: 400,
    message: "Idempotency-Key header is required on POST: 1–255 printable characters",
  },
  idempotency_key_reused: {
    code: 51,
    status: 422,
    message: "Idempotency-Key was already used for a different request",
  },
  idempotency_in_flight: {
    code: 52,
    status: 409,
    message: "A request with this Idempotency-Key is still being processed; retry shortly",
  },
  // Object state 60–69
  invalid_state_transition: {
    code: 60,
    status: 409,
    message: "Cannot {operation} a {object} whose status is {status}",
  },
  amount_exceeds: {
    code: 61,
    status: 409,
    message: "The amount {amount} exceeds what the payment allows: {limit}",
  },
  insufficient_balance: {
    code: 62,
    status: 409,
    message: "The amount {amount} exceeds the available balance in {currency}: {available}",
  },
  sms_code_invalid: { code: 63, status: 422, message: "The SMS code is wrong; {remaining} attempts left" },
  sms_attempts_exhausted: {
    code: 64,
    status: 409,
    message: "Too many wrong SMS codes for this request; start a new one",
  },
  quote_expired: { code: 65, status: 409, message: "The quote expired at {expires_at}; get a new one" },
  quote_used: { code: 66, status: 409, message: "The quote was already converted" },
  // Consent (open banking) 70–79
  consent_required: {
    code: 70,
    status: 403,
    message: "This call needs a Consent-Id header naming an authorised consent",
  },
  consent_not_usable: { code: 71, status: 403, message: "The consent is {status}; it cannot be used" },
  consent_scope_missing: { code: 72, status: 403, message: "The consent does not cover {scope}" },
  // API versions 80–89
  api_version_unknown: {
    code: 80,
    status: 400,
    message: "Portico-Version must be one of the published API versions: {versions}",
  },
  // Platform 90–99
  service_unavailable: { code: 90, status: 503, message: "The service is not configured correctly" },
  upstream_unavailable: {
    code: 91,
    status: 503,
    message: "The bank's {system} system is unavailable; retry later",
  },
  // The platform team's admin API 100–119 (docs/admin.md)
  admin_unauthenticated: {
    code: 100,
    status: 401,
    message: "The admin API needs a Cloudflare Access token in the Cf-Access-Jwt-Assertion header",
  },
  admin_token_invalid: {
    code: 101,
    status: 401,
    message: "The Access token is malformed, not signed by the team's keys or not for this application",
  },
  admin_token_expired: { code: 102, status: 401, message: "The Access token expired; sign in again" },
  admin_no_role: { code: 103, status: 403, message: "This identity holds no admin role" },
  admin_role_insufficient: {
    code: 104,
    status: 403,
    message: "This needs the {role} role or a higher one",
  },
  approval_by_maker: {
    code: 105,
    status: 403,
    message: "The maker of a change request cannot approve it; a different approver must",
  },
  approval_expired: {
    code: 106,
    status: 409,
    message: "The change request expired at {expires_at} without a second approval; propose it again",
  },
  last_admin: {
    code: 107,
    status: 409,
    message: "The last active admin cannot be demoted or disabled",
  },
  // Onboarding and terms 120–139
  email_already_registered: {
    code: 120,
    status: 409,
    message: "A registration with this contact email already exists",
  },
  turnstile_failed: {
    code: 121,
    status: 403,
    message: "The browser challenge (Cloudflare Turnstile) was not passed: {detail}",
  },
  verification_link_invalid: { code: 122, status: 400, message: "The verification link is not valid" },
  verification_link_expired: {
    code: 123,
    status: 410,
    message: "The verification link expired at {expires_at}",
  },
  verification_link_used: {
    code: 124,
    status: 409,
    message: "The verification link was already used",
  },
  terms_version_mismatch: {
    code: 125,
    status: 409,
    message: "Version {version} is not the current terms of service; the current version is {current}",
  },
  terms_hash_mismatch: {
    code: 126,
    status: 422,
    message: "The sha256 does not match the text of terms version {version}",
  },
  terms_already_accepted: {
    code: 127,
    status: 409,
    message: "Terms version {version} was already accepted at {accepted_at}",
  },
  no_terms_published: { code: 128, status: 404, message: "No terms of service are published yet" },
  sandbox_provisioning_failed: {
    code: 129,
    status: 503,
    message: "The sandbox could not create the sandbox partner; nothing was registered, try again",
  },
  terms_version_exists: { code: 130, status: 409, message: "Terms version {version} already exists" },
  onboarding_session_invalid: {
    code: 131,
    status: 401,
    message:
      "Sign in first: send the session token from POST /onboarding/session as a Bearer token (missing, invalid or expired)",
  },
  sign_in_failed: { code: 132, status: 401, message: "The email or the password is wrong" },
  sign_in_locked: {
    code: 133,
    status: 429,
    message: "Too many failed sign-ins for this email; try again in {seconds} seconds",
  },
  email_not_verified: {
    code: 134,
    status: 403,
    message:
      "Verify the contact email first: open the emailed link, or ask for a new one with POST /onboarding/verification",
  },
  terms_not_accepted: {
    code: 135,
    status: 403,
    message:
      "Accept the current terms of service (version {version}) before submitting: POST /onboarding/terms/accept",
  },
  application_open: {
    code: 136,
    status: 409,
    message: "This registration has an open application already: {id}",
  },
  application_incomplete: {
    code: 137,
    status: 422,
    message: "The application is not complete; missing: {missing}",
  },
  document_type_mismatch: {
    code: 138,
    status: 415,
    message: "The document's content is not a {content_type} file",
  },
  document_limit: {
    code: 139,
    status: 409,
    message: "An application holds at most {limit} documents; remove one first",
  },
  // Onboarding, continued: 145–159 (140–144 are the operations jobs')
  not_live_yet: {
    code: 145,
    status: 409,
    message: "No live partner yet: the application is {status}",
  },
  live_credential_limit: {
    code: 146,
    status: 409,
    message:
      "At most {limit} active live credentials; revoke one with DELETE /v1/partner/credentials/{id} first",
  },
  email_already_verified: { code: 147, status: 409, message: "The contact email is verified already" },
  // The developer portal 160–169 (docs/portal.md): shown on its pages, never a JSON answer
  portal_sign_in_failed: {
    code: 160,
    status: 401,
    message: "The partner id, username or password is not right",
  },
  portal_locked: {
    code: 161,
    status: 429,
    message: "Too many failed attempts for this user; try again in {seconds} seconds",
  },
  portal_second_factor_failed: {
    code: 162,
    status: 401,
    message: "The code is not right, or was used already; enter the current code from your authenticator app",
  },
  portal_session_expired: {
    code: 163,
    status: 401,
    message: "Your session ended; sign in again",
  },
  portal_csrf: {
    code: 164,
    status: 403,
    message: "This form is out of date or did not come from the portal; reload the page and try again",
  },
  portal_role_forbidden: {
    code: 165,
    status: 403,
    message: "Your role ({role}) cannot do this; ask an owner of your team",
  },
  portal_invitation_invalid: {
    code: 166,
    status: 410,
    message: "This invitation is not valid: it expired, was used already, or never existed",
  },
  portal_password_weak: {
    code: 167,
    status: 400,
    message: "The password needs at least {min} characters",
  },
  portal_username_taken: { code: 168, status: 409, message: "Your team has a user of that name already" },
  // Metering and monetization 170–179 (docs/billing.md); 170–171 are the rate plans', 172–174 the invoices' (docs/invoices.md)
  plan_quota_exhausted: {
    code: 170,
    status: 429,
    message:
      "The plan's {included} included {product} calls for this period are used; the next period starts {period_end}",
  },
  plan_version_stale: {
    code: 171,
    status: 409,
    message:
      "The plan's version {version} is not the next one: the next version is {expected}; read the plan again",
  },
  credit_note_exceeds: {
    code: 172,
    status: 409,
    message: "A credit note of {amount} exceeds what invoice {number} still has uncredited: {remaining}",
  },
  invoice_pdf_unavailable: {
    code: 173,
    status: 503,
    message: "The invoice's PDF could not be made just now; try again shortly",
  },
  revenue_range_invalid: {
    code: 174,
    status: 400,
    message:
      "The months run from {from} to {to}: from must not be after to, and the range is at most {max} months",
  },
  // Payment methods and customers 180–189 (docs/payment-methods.md)
  publishable_key_not_allowed: {
    code: 180,
    status: 401,
    message: "A publishable key can only create card tokens (POST /v1/tokens); use an access token here",
  },
  publishable_key_required: {
    code: 181,
    status: 401,
    message: "POST /v1/tokens takes only a publishable key (pk_test_… / pk_live_…), never an access token",
  },
  card_number_invalid: {
    code: 182,
    status: 400,
    message: "The card number is not a valid card number (length or check digit)",
  },
  card_expired: { code: 183, status: 400, message: "The card's expiry date has passed" },
  card_not_supported: {
    code: 184,
    status: 400,
    message: "The card vault does not accept this card; the sandbox accepts only its documented test numbers",
  },
  payment_method_token_used: {
    code: 185,
    status: 409,
    message: "The payment method token {token} was used already: a token pays or is saved once",
  },
  payment_method_token_expired: {
    code: 186,
    status: 400,
    message: "The payment method token {token} expired; tokenize the card again",
  },
  // Risk 190–199 (docs/risk.md)
  payment_under_review: {
    code: 190,
    status: 409,
    message: "Payment {payment} is held for review {review}: it can be captured once the review is approved",
  },
  review_closed: { code: 191, status: 409, message: "Review {review} is closed already: {status}" },
  risk_limit_reached: {
    code: 192,
    status: 409,
    message: "At most {limit} {what} per partner: remove one before adding another",
  },
  // Payment orchestration 200–209 (docs/orchestration.md): the admin API's routing rules
  routing_provider_unknown: {
    code: 200,
    status: 400,
    message: "Rule {rule}: provider {provider} is not available in this environment; available: {available}",
  },
  routing_split_invalid: {
    code: 201,
    status: 400,
    message:
      "Rule {rule}: a split names each provider once with whole percentages adding up to 100; these add up to {total}",
  },
  routing_rule_invalid: { code: 202, status: 400, message: "Rule {rule}: {msg}" },
  // Disputes 210–219 (docs/disputes.md)
  payment_already_disputed: {
    code: 210,
    status: 409,
    message: "The payment {payment_id} already has a dispute: {dispute_id}",
  },
  dispute_evidence_empty: {
    code: 211,
    status: 422,
    message: "Submitting needs evidence: at least one text field or one document",
  },
  dispute_document_too_large: {
    code: 212,
    status: 413,
    message: "The document is {size} bytes; a dispute document holds at most {limit}",
  },
  dispute_document_type: {
    code: 213,
    status: 415,
    message:
      "A dispute document must be a PDF, PNG or JPEG whose content matches its type; got {content_type}",
  },
  dispute_document_limit: { code: 214, status: 409, message: "A dispute holds at most {limit} documents" },
  acquirer_signature_invalid: {
    code: 215,
    status: 401,
    message: "The Portico-Acquirer-Signature header is missing, malformed or does not match the body",
  },
  acquirer_signature_stale: {
    code: 216,
    status: 401,
    message: "The signature's timestamp is more than {tolerance} seconds from now",
  },
  acquirer_payment_unknown: {
    code: 217,
    status: 404,
    message: "No payment of {provider} has the reference {reference}",
  },
  // Reconciliation 220–229 (docs/reconciliation.md)
  settlement_report_invalid: {
    code: 220,
    status: 400,
    message: "The settlement report was refused and nothing was stored: {errors}",
  },
  settlement_report_too_large: {
    code: 221,
    status: 413,
    message: "The settlement report exceeds {limit} bytes: split it or send it through the scheduled fetch",
  },
  reconciliation_exception_resolved: {
    code: 222,
    status: 409,
    message: "The reconciliation exception {id} is resolved already",
  },
  // Operational metrics and alerts 230–239 (docs/operations.md)
  metrics_range_invalid: {
    code: 230,
    status: 400,
    message:
      "The range runs from {from} to {to}: from must be before to, and the range is at most {max} days",
  },
  alert_threshold_invalid: {
    code: 231,
    status: 400,
    message: "The alert rule's thresholds do not fit its metric and comparator: {detail}",
  },
  alert_connector_url_refused: {
    code: 232,
    status: 400,
    message: "The alert connector's URL is refused: {detail}",
  },
  alert_rules_limit: {
    code: 233,
    status: 409,
    message: "At most {max} alert rules; delete one first",
  },
  // Sender-constrained tokens 240–249 (docs/sender-constrained-tokens.md)
  dpop_proof_invalid: { code: 240, status: 401, message: "The DPoP proof is invalid: {detail}" },
  dpop_proof_replayed: {
    code: 241,
    status: 401,
    message: "The DPoP proof was used already: make a fresh proof (a new jti) for every request",
  },
  dpop_proof_required: {
    code: 242,
    status: 401,
    message: "The token is bound to a DPoP key: send it as Authorization: DPoP <token> with a DPoP proof",
  },
  dpop_key_mismatch: {
    code: 243,
    status: 401,
    message: "The DPoP proof's key is not the key the token is bound to",
  },
  client_certificate_required: {
    code: 244,
    status: 401,
    message: "The token is bound to a client certificate: present it over mutual TLS",
  },
  client_certificate_mismatch: {
    code: 245,
    status: 401,
    message: "The presented client certificate is not the one the token is bound to",
  },
  sender_constraint_required: {
    code: 246,
    status: 401,
    message:
      "The contract's FAPI profile takes only sender-constrained tokens: get one with a DPoP proof or over mutual TLS",
  },
  // Client authentication and the FAPI profile 250–259 (docs/client-authentication.md)
  oauth_client_not_registered: {
    code: 250,
    status: 404,
    message: "The partner has no registered OAuth client: PUT /v1/partner/oauth-client registers it",
  },
  oauth_client_invalid: {
    code: 251,
    status: 400,
    message: "The OAuth client registration is refused: {detail}",
  },
  fapi_requires_client_keys: {
    code: 252,
    status: 400,
    message:
      "A FAPI contract needs a registered client with public keys (jwks or jwks_uri) or a mutual-TLS certificate: {detail}",
  },
  // Consent-bound tokens 270–279 (docs/oauth-tokens.md)
  consent_token_mismatch: {
    code: 270,
    status: 403,
    message: "The access token reads with its own consent only; the Consent-Id header names another",
  },
  // The bank's business errors (002), fixed: 1000–1999
  application_not_found: { code: 1000, status: 404, message: "Application not found" },
  application_in_progress: { code: 1001, status: 409, message: "Application is in progress" },
  scoring_overdue_loans: { code: 1002, status: 422, message: "Overdue payments on active loans" },
  scoring_elevated_risk: { code: 1003, status: 422, message: "Elevated customer risk" },
  upstream_empty: { code: 1004, status: 502, message: "External service returned null response" },
  upstream_failed: {
    code: 1005,
    status: 502,
    message: "External service returned failed response. Response code: {status}, message: {msg}",
  },
  sms_not_sent: { code: 1006, status: 502, message: "Service could not send SMS to attach card" },
  sms_not_expired: {
    code: 1007,
    status: 409,
    message:
      "Previous SMS code for this request is not expired yet. Please confirm SMS code or wait till it expires",
  },
  card_not_found: { code: 1008, status: 404, message: "Card is not found by params: {params}" },
  sms_expired: { code: 1009, status: 410, message: "SMS code is already expired" },
  card_already_attached: { code: 1011, status: 409, message: "Card is already attached" },
} as const satisfies Record<string, { code: number; status: ContentfulStatusCode; message: string }>;

export type ErrorName = keyof typeof ERRORS;

export interface ErrorBody {
  code: number;
  message: string;
  reason: ErrorName;
  field?: string;
  retryable?: boolean;
  docs: string;
}

export class ApiError extends Error {
  override name = "ApiError";
  readonly code: number;
  readonly status: ContentfulStatusCode;
  readonly headers: Record<string, string>;

  constructor(
    readonly reason: ErrorName,
    readonly params: Record<string, string | number> = {},
    readonly extra: { field?: string; retryable?: boolean; headers?: Record<string, string> } = {},
  ) {
    const def = ERRORS[reason];
    super(render(def.message, params));
    this.code = def.code;
    this.status = def.status;
    this.headers = extra.headers ?? {};
  }

  body(): ErrorBody {
    const body: ErrorBody = {
      code: this.code,
      message: this.message,
      reason: this.reason,
      docs: docsUrl(this.code),
    };
    if (this.extra.field !== undefined) body.field = this.extra.field;
    if (this.extra.retryable !== undefined) body.retryable = this.extra.retryable;
    return body;
  }
}

export const docsUrl = (code: number) => `/docs#error-${code}`;

function render(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ""));
}

/** The catalogue as published in the OpenAPI document and /docs. */
export function catalogue() {
  return Object.entries(ERRORS).map(([reason, e]) => ({
    code: e.code,
    status: e.status,
    reason,
    message: e.message,
  }));
}
