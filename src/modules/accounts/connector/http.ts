import { z } from "zod";
import { ApiError } from "../../../platform/errors";
import { CURRENCIES } from "../../../platform/lib/money";
import type { HttpUpstream } from "../../../platform/upstream";
import type { Account, AccountsConnector, ConsentRegistration, TransactionPage } from "./types";

const UpstreamAccount = z.object({
  id: z.uuid(),
  account_type: z.enum(["current", "savings"]),
  currency: z.enum(CURRENCIES),
  nickname: z.string(),
  holder_name: z.string(),
  account_number_last4: z.string().regex(/^\d{4}$/),
  status: z.enum(["active", "blocked"]),
  opened_on: z.iso.date(),
});

const UpstreamBalance = z.object({
  currency: z.enum(CURRENCIES),
  booked: z.number().int(),
  available: z.number().int(),
  as_of: z.iso.datetime({ offset: true }),
});

const UpstreamTransaction = z.object({
  id: z.uuid(),
  amount: z.number().int().nonnegative(),
  currency: z.enum(CURRENCIES),
  direction: z.enum(["credit", "debit"]),
  status: z.enum(["booked", "pending"]),
  description: z.string(),
  transacted_at: z.iso.datetime({ offset: true }),
});

/** An answer that is not what the contract says is a failed answer (1005), never half-read. */
function parse<T extends z.ZodType>(schema: T, answer: unknown): z.infer<T> {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new ApiError("upstream_failed", { status: 200, msg: "unexpected answer" });
  return parsed.data;
}

// Relative to the configured base URL (which ends with "/"), like every connector's paths.
const customerPath = (customerRef: string) => `customers/${encodeURIComponent(customerRef)}/accounts`;

/**
 * Core banking over HTTP (system `accounts`), on the shared upstream client (timeouts,
 * retries, breaker; 1004/1005/91). The bank's contract, relative to its base URL:
 *  - `POST consents {consent_id, scopes, expires_at}` → `{authorisation_url}`
 *  - `GET customers/{ref}/accounts` → `{accounts: [...]}`
 *  - `GET customers/{ref}/accounts/{id}/balance` → `{currency, booked, available, as_of}`
 *  - `GET customers/{ref}/accounts/{id}/transactions?limit&starting_after` → `{transactions, has_more}`
 */
export class HttpAccountsConnector implements AccountsConnector {
  constructor(private readonly upstream: HttpUpstream) {}

  async registerConsent(consent: ConsentRegistration) {
    const answer = await this.upstream.call("POST", "consents", {
      consent_id: consent.consentId,
      scopes: consent.scopes,
      expires_at: consent.expiresAt,
    });
    const { authorisation_url } = parse(z.object({ authorisation_url: z.url() }), answer);
    return { authorisationUrl: authorisation_url };
  }

  async listAccounts(customerRef: string): Promise<Account[]> {
    const answer = await this.upstream.call("GET", customerPath(customerRef));
    const { accounts } = parse(z.object({ accounts: z.array(UpstreamAccount) }), answer);
    return accounts.map((a) => ({ ...a, object: "account" as const }));
  }

  async balance(customerRef: string, accountId: string) {
    const path = `${customerPath(customerRef)}/${encodeURIComponent(accountId)}/balance`;
    const balance = parse(UpstreamBalance, await this.upstream.call("GET", path));
    return { object: "balance" as const, account_id: accountId, ...balance };
  }

  async transactions(
    customerRef: string,
    accountId: string,
    page: { limit: number; startingAfter?: string },
  ): Promise<TransactionPage> {
    const query = new URLSearchParams({ limit: String(page.limit) });
    if (page.startingAfter !== undefined) query.set("starting_after", page.startingAfter);
    const path = `${customerPath(customerRef)}/${encodeURIComponent(accountId)}/transactions?${query}`;
    const answer = parse(
      z.object({ transactions: z.array(UpstreamTransaction), has_more: z.boolean() }),
      await this.upstream.call("GET", path),
    );
    return {
      data: answer.transactions.map((t) => ({ ...t, object: "transaction" as const, account_id: accountId })),
      has_more: answer.has_more,
    };
  }
}
