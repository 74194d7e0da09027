import { type InvoiceLine, line } from "./invoice-line";
import { count, toSafeNumber } from "./price";

export interface Credit {
  description: string;
  /** Positive, in minor units. */
  amount_minor: number;
}

/**
 * Credits as negative lines, applied in order while the subtotal (`room`) lasts: a credit the
 * subtotal cannot take in full takes what is left, and its remainder is answered as unapplied.
 */
export function creditLines(credits: readonly Credit[], room: bigint) {
  const lines: InvoiceLine[] = [];
  const unapplied: Credit[] = [];
  let left = room;
  for (const credit of credits) {
    const want = count(credit.amount_minor, "a credit");
    if (want === 0n || credit.description.trim() === "")
      throw new RangeError("a credit is positive and described");
    let take = left;
    if (want < left) take = want;
    left -= take;
    if (take > 0n) lines.push(line("credit", credit.description, 1, { minor: -toSafeNumber(take), per: 1 }));
    if (take < want)
      unapplied.push({ description: credit.description, amount_minor: toSafeNumber(want - take) });
  }
  return { lines, unapplied };
}
