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
];
