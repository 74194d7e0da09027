/**
 * Documented sandbox values: published in the OpenAPI document (`x-sandbox-values`)
 * and on /docs. Each product's work adds its own rows here.
 */
export interface SandboxValue {
  area: string;
  value: string;
  outcome: string;
}

export const SANDBOX_VALUES: SandboxValue[] = [
  {
    area: "Demo partner",
    value: "ck_test_demo / cs_test_demo_secret",
    outcome: "consumer key and secret (local sandbox)",
  },
  {
    area: "Demo partner",
    value: "demo / demo-password",
    outcome: "user and password for the password grant",
  },
  {
    area: "Payments",
    value: "pm_card_visa, pm_card_mastercard",
    outcome: "approved (captured, or authorized with capture: false)",
  },
  {
    area: "Payments",
    value: "pm_card_3ds",
    outcome:
      "requires_action with a redirect; confirm with authentication_result success / failure / canceled; expires after 30 min",
  },
  {
    area: "Payments",
    value:
      "pm_card_insufficient_funds, pm_card_do_not_honor, pm_card_stolen, pm_card_limit_exceeded, pm_card_risk_decline",
    outcome: "failed with that reason (HTTP 200, a decline is an outcome)",
  },
  {
    area: "Payments",
    value: "pm_card_bank_unavailable",
    outcome: "failed, bank_unavailable, retryable: true",
  },
  {
    area: "Payments",
    value: "pm_bank_redirect",
    outcome: "pending with a redirect URL; POST /v1/sandbox/payments/{id}/simulate succeeded | failed",
  },
  {
    area: "Payments",
    value: "pm_qr",
    outcome: "pending with qr_code and expires_at (15 min), then expired; or simulate succeeded | failed",
  },
  {
    area: "Risk",
    value: "metadata.sandbox_risk_score: 0–100, timeout, error",
    outcome:
      "the sandbox scoring service's answer to a rule with a score condition (else the amount's last two digits); timeout and error apply your fallback",
  },
  {
    area: "Payouts",
    value: "dest_tok_ok",
    outcome: "queued → sent → paid (5 s, or at once with POST /v1/sandbox/payouts/{id}/simulate)",
  },
  {
    area: "Payouts",
    value: "dest_tok_fail",
    outcome: "queued → sent → failed (account_closed); the funds return to available",
  },
  {
    area: "Webhooks",
    value: "POST /v1/webhook_endpoints/{id}/test",
    outcome: "a signed ping event to that endpoint",
  },
  { area: "Cards", value: "type: virtual", outcome: "issued at once (completed)" },
  {
    area: "Cards",
    value: "type: physical",
    outcome:
      "in_progress (GET answers 1001) for 300 s, or until POST /v1/sandbox/cards/applications/{id}/simulate",
  },
  { area: "Cards", value: "SMS code 123456", outcome: "the code every sandbox attach SMS carries" },
  { area: "Cards", value: "card_number 8600008000001008", outcome: "1008: the bank knows no such card" },
  { area: "Cards", value: "card_number 8600001000001011", outcome: "1011: already attached" },
  {
    area: "Cards",
    value: "any other Luhn-valid 13–19 digit card_number",
    outcome: "a known card; once attached it answers 1011 to everyone (use a fresh number per attach)",
  },
  { area: "Cards", value: "phone_number +998900001006", outcome: "1006: the SMS is not sent" },
  { area: "Cards", value: "the same card and phone while a code is live", outcome: "1007" },
  { area: "Cards", value: "waiting out SMS_CODE_TTL_SECONDS (300 s)", outcome: "1009" },
  { area: "Cards", value: "a wrong SMS code", outcome: "63 with 2, 1, 0 attempts left, then 64" },
  {
    area: "Lending",
    value: "applicant.document_number 30000000001002",
    outcome: "declined, 1002 (overdue loans)",
  },
  {
    area: "Lending",
    value: "applicant.document_number 30000000001003",
    outcome: "declined, 1003 (elevated risk)",
  },
  {
    area: "Lending",
    value: "applicant.document_number 30000000001004",
    outcome: "the scoring system answers nothing, 1004",
  },
  {
    area: "Lending",
    value: "applicant.document_number 30000000001005",
    outcome: "the scoring system fails, 1005",
  },
  {
    area: "Lending",
    value: "applicant.document_number 30000000000001",
    outcome: "under review: reads and accept answer 1001 for 60 s, then approved",
  },
  {
    area: "Lending",
    value: "applicant.document_number 30000000000002",
    outcome: "approved for half the amount asked",
  },
  { area: "Lending", value: "any other document_number", outcome: "approved in full at 24 % a year" },
  {
    area: "FX",
    value: "USD, EUR, GBP, RUB, KZT, JPY, KWD against UZS",
    outcome: "fixed sandbox rates (GET /v1/fx/rates); quotes live 30 s, then 65; a used quote is 66",
  },
  {
    area: "KYC",
    value: "account_number 20208000900100000001 / phone_number +998901234567",
    outcome: "holder Aziz Karimov, born 1990-05-17, document AA1234567",
  },
  {
    area: "KYC",
    value: "20208000900100000404 / +998900000404 (or any other)",
    outcome: "unknown: every checked field no_match",
  },
  {
    area: "KYC",
    value: "20208000900100001004 / +998900001004",
    outcome: "the bank's system answers nothing: 1004",
  },
  { area: "KYC", value: "20208000900100001005 / +998900001005", outcome: "the bank's system fails: 1005" },
  {
    area: "Accounts",
    value: "POST /v1/sandbox/consents/{id}/authorise | reject",
    outcome: "the customer authorises (Authorised) or refuses (Rejected) the consent",
  },
  {
    area: "Accounts",
    value: "an authorised consent",
    outcome: "customer Aziz Karimov: a UZS current account (30 transactions) and a USD savings account",
  },
  {
    area: "Payments",
    value: "next_action.url of pm_card_3ds / pm_bank_redirect",
    outcome: "a sandbox customer page: authenticate, fail or cancel (3-D Secure); approve or decline (bank)",
  },
  {
    area: "Payments (acquirer sandbox_b)",
    value: "amount ending in 9500 / 9501",
    outcome:
      "503 / declined bank_unavailable at sandbox_b: the payment falls back to the next acquirer of its route",
  },
  {
    area: "Payments (acquirer sandbox_b)",
    value: "amount ending in 9502 / 9503 / 9504",
    outcome:
      "times out after authorizing (used, never authorized twice) / before authorizing (voided, then fallback) / unknown (failed, bank_unavailable, retryable)",
  },
  {
    area: "Payments (acquirer sandbox_b)",
    value: "card BIN 555500–555599 (pm_card_mastercard)",
    outcome: "declined do_not_honor at sandbox_b, retried at the next acquirer",
  },
];
