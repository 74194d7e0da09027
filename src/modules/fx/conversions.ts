import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { sendPending } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";
import type { PartnerProfile } from "../../platform/types";
import { PLATFORM, postEntry, postGuardedEntry } from "../ledger/ledger";
import type { FxDeps } from "./fx";
import { conversionView, type FxConversion } from "./model";
import {
  claimQuote,
  completeConversion,
  conversionPage,
  type FxConversionRow,
  findConversion,
  findConversionByKey,
  findQuote,
  quoteIsUsed,
  releaseQuote,
} from "./storage";

/** Ledger entry kinds of a conversion: one entry per currency, each posted once. */
export const FX_SELL_KIND = "fx_sell";
export const FX_BUY_KIND = "fx_buy";

/** `fx_conversion.completed`: its id fixed when the conversion was claimed. */
const completedEvent = (row: FxConversionRow) => ({
  id: row.eventId,
  type: "fx_conversion.completed" as const,
  partnerId: row.partnerId,
  livemode: row.livemode,
  createdAt: row.completedAt ?? row.createdAt,
  object: { ...conversionView(row) },
});

/**
 * Moves the money of a claimed conversion, exactly once. The sell side leaves the partner's
 * available balance only if it holds the amount at that moment (a guarded posting, atomic
 * in D1); refused, the claim is dropped and the quote is live again for a later try. Then
 * the buy side, and `fx_conversion.completed`.
 */
async function settle(deps: FxDeps, claimed: FxConversionRow): Promise<FxConversionRow> {
  let row = claimed;
  if (row.status === "pending") {
    const sell = await postGuardedEntry(
      deps.db,
      {
        reference: row.id,
        kind: FX_SELL_KIND,
        currency: row.sellCurrency,
        partnerId: row.partnerId,
        description: `FX conversion: ${row.sellCurrency} sold`,
        lines: [
          { owner: row.partnerId, code: "partner_available", direction: "debit", amount: row.sellAmount },
          { owner: PLATFORM, code: "fx_position", direction: "credit", amount: row.sellAmount },
        ],
      },
      { owner: row.partnerId, code: "partner_available", atLeast: row.sellAmount },
    );
    if (!sell.ok) {
      await releaseQuote(deps.db, row.id);
      throw new ApiError("insufficient_balance", {
        amount: row.sellAmount,
        currency: row.sellCurrency,
        available: sell.available,
      });
    }
    await postEntry(deps.db, {
      reference: row.id,
      kind: FX_BUY_KIND,
      currency: row.buyCurrency,
      partnerId: row.partnerId,
      description: `FX conversion: ${row.buyCurrency} bought`,
      lines: [
        { owner: PLATFORM, code: "fx_position", direction: "debit", amount: row.buyAmount },
        { owner: row.partnerId, code: "partner_available", direction: "credit", amount: row.buyAmount },
      ],
    });
    const at = new Date().toISOString();
    row = await completeConversion(
      deps.db,
      row,
      at,
      completedEvent({ ...row, status: "completed", completedAt: at }),
    );
  }
  // Committed with the completion; sent now unless already sent, else by the outbox's drainer.
  if (row.status === "completed") await sendPending(deps.db, deps.queue, [row.eventId]);
  return row;
}

/**
 * Converts at a live quote: its amounts leave and enter the partner's available balances.
 * A quote converts once (66 after that, also when many conversions race for it) and only
 * before it expires (65); never beyond the available balance in the sell currency (62).
 * A retry under the same Idempotency-Key finishes what a crash interrupted.
 */
export async function convert(
  deps: FxDeps,
  partner: PartnerProfile,
  idempotencyKey: string,
  quoteId: string,
): Promise<FxConversion> {
  const resumed = await findConversionByKey(deps.db, partner.id, idempotencyKey);
  if (resumed) return conversionView(await settle(deps, resumed));

  const quote = await findQuote(deps.db, partner.id, quoteId);
  if (!quote)
    throw new ApiError("not_found", { resource: `fx_quote ${quoteId}` }, { field: "params.quote_id" });
  const refusal = async () =>
    (await quoteIsUsed(deps.db, quote.id))
      ? new ApiError("quote_used")
      : new ApiError("quote_expired", { expires_at: quote.expiresAt });

  const now = new Date().toISOString();
  if (quote.expiresAt <= now || (await quoteIsUsed(deps.db, quote.id))) throw await refusal();
  const id = uuidv7();
  const claimed = await claimQuote(
    deps.db,
    { id, partnerId: partner.id, idempotencyKey, quoteId: quote.id, eventId: uuidv7() },
    now,
  );
  if (!claimed) throw await refusal();
  const row = await findConversion(deps.db, partner.id, id);
  if (!row) throw new Error(`fx conversion ${id} vanished after its claim`);
  return conversionView(await settle(deps, row));
}

/** One of the partner's conversions; another partner's id answers as an unknown one. */
export async function getConversion(deps: FxDeps, partnerId: string, id: string): Promise<FxConversion> {
  const row = await findConversion(deps.db, partnerId, id);
  if (!row) throw new ApiError("not_found", { resource: `fx_conversion ${id}` });
  return conversionView(row);
}

/** The partner's conversions, newest first. */
export async function listConversions(
  db: Db,
  partnerId: string,
  opts: { startingAfter?: string; limit: number },
): Promise<{ data: FxConversion[]; has_more: boolean }> {
  const rows = await conversionPage(db, partnerId, opts);
  return { data: rows.slice(0, opts.limit).map(conversionView), has_more: rows.length > opts.limit };
}
