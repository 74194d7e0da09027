/**
 * The sandbox's test customers (docs/consent-authorisation.md): fixed logins, passwords and TOTP
 * secrets, published so a partner's developer can walk the consent authorisation. Never a real
 * customer. `aziz` is the accounts sandbox's one customer (its customer reference), so accounts
 * read after his authorisation; `nodira` passes the password and always fails the second factor.
 */
export interface SandboxCustomer {
  login: string;
  password: string;
  customerRef: string;
  displayName: string;
  /** RFC 6238 TOTP (SHA-1, 6 digits, 30 s), base32; null: no code is ever right. */
  totpSecret: string | null;
}

/** The accounts sandbox's customer reference (src/modules/accounts/connector/sandbox-data.ts). */
export const SANDBOX_MAIN_CUSTOMER_REF = "sbx_customer_0001";

export const SANDBOX_CUSTOMERS: readonly SandboxCustomer[] = [
  {
    login: "aziz",
    password: "sandbox-aziz-2026",
    customerRef: SANDBOX_MAIN_CUSTOMER_REF,
    displayName: "Aziz Karimov",
    totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
  },
  {
    login: "nodira",
    password: "sandbox-nodira-2026",
    customerRef: "sbx_customer_0002",
    displayName: "Nodira Yusupova",
    totpSecret: null,
  },
];
