import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { accountsConnectorFor } from "./connector";
import type { Account, AccountsConnector, Balance, TransactionPage } from "./connector/types";
import type { UsableConsent } from "./consents";

/** The accounts of the customer who authorised the consent. */
export async function listAccounts(
  config: Config,
  consent: UsableConsent,
): Promise<{ data: Account[]; has_more: boolean }> {
  return { data: await accountsConnectorFor(config).listAccounts(consent.customerRef), has_more: false };
}

/** An account the consent's customer holds; any other id is unknown (404), whoever holds it. */
async function ownAccount(connector: AccountsConnector, consent: UsableConsent, accountId: string) {
  const accounts = await connector.listAccounts(consent.customerRef);
  if (!accounts.some((a) => a.id === accountId))
    throw new ApiError("not_found", { resource: `account ${accountId}` });
}

export async function accountBalance(
  config: Config,
  consent: UsableConsent,
  accountId: string,
): Promise<Balance> {
  const connector = accountsConnectorFor(config);
  await ownAccount(connector, consent, accountId);
  return connector.balance(consent.customerRef, accountId);
}

/** A page of the account's transactions, newest first. */
export async function accountTransactions(
  config: Config,
  consent: UsableConsent,
  accountId: string,
  page: { limit: number; startingAfter?: string },
): Promise<TransactionPage> {
  const connector = accountsConnectorFor(config);
  await ownAccount(connector, consent, accountId);
  return connector.transactions(consent.customerRef, accountId, page);
}
