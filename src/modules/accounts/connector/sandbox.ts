import { ApiError } from "../../../platform/errors";
import { SANDBOX_ACCOUNTS, SANDBOX_CUSTOMER_REF, sandboxBalance, sandboxTransactions } from "./sandbox-data";
import type { Account, AccountsConnector, ConsentRegistration, TransactionPage } from "./types";

/**
 * The sandbox's core banking: one customer (`SANDBOX_CUSTOMER_REF`) with two accounts and
 * fixed transactions (sandbox-data.ts). Consents are authorised by the sandbox's simulate
 * call, which is what the authorisation URL names. No real customer data, ever.
 */
export class SandboxAccountsConnector implements AccountsConnector {
  constructor(private readonly baseUrl: string) {}

  async registerConsent(consent: ConsentRegistration) {
    const url = new URL(`/v1/sandbox/consents/${consent.consentId}/authorise`, this.baseUrl);
    return { authorisationUrl: url.toString() };
  }

  async listAccounts(customerRef: string): Promise<Account[]> {
    return customerRef === SANDBOX_CUSTOMER_REF ? [...SANDBOX_ACCOUNTS] : [];
  }

  async balance(customerRef: string, accountId: string) {
    return sandboxBalance(await this.account(customerRef, accountId));
  }

  async transactions(
    customerRef: string,
    accountId: string,
    page: { limit: number; startingAfter?: string },
  ): Promise<TransactionPage> {
    await this.account(customerRef, accountId);
    const after = page.startingAfter;
    const rest = sandboxTransactions(accountId).filter((t) => after === undefined || t.id < after);
    return { data: rest.slice(0, page.limit), has_more: rest.length > page.limit };
  }

  private async account(customerRef: string, accountId: string) {
    const account = (await this.listAccounts(customerRef)).find((a) => a.id === accountId);
    if (!account) throw new ApiError("not_found", { resource: `account ${accountId}` });
    return account;
  }
}
