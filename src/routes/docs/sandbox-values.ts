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
];
