import { z } from "zod";
import { ApiError } from "../../../platform/errors";
import { CURRENCIES } from "../../../platform/lib/money";
import type { HttpUpstream } from "../../../platform/upstream";
import type { RatesSource, RateTable } from "./types";

const Decimal = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,8})?$/)
  .refine((s) => /[1-9]/.test(s), "must be positive");

/** A decimal string as an integer of 10⁻⁸ units, to compare two rates exactly. */
const scaled = (d: string) => {
  const [int = "0", frac = ""] = d.split(".");
  return BigInt(int + frac.padEnd(8, "0"));
};

/** The treasury's answer to `GET rates` (relative path: configure the base URL with a trailing slash). */
const Answer = z.object({
  base: z.enum(CURRENCIES),
  as_of: z.iso.datetime({ offset: true }),
  rates: z
    .array(
      z
        .object({ currency: z.enum(CURRENCIES), buy: Decimal, sell: Decimal })
        // A bank that buys dearer than it sells would pay for round trips: refuse such a table.
        .refine((r) => scaled(r.buy) <= scaled(r.sell), "buy above sell"),
    )
    .min(1)
    .max(200),
});

/** The bank's treasury over HTTP (system `fx`). */
export class HttpRates implements RatesSource {
  readonly name = "fx";

  constructor(private readonly upstream: HttpUpstream) {}

  async rates(): Promise<RateTable> {
    const parsed = Answer.safeParse(await this.upstream.call("GET", "rates"));
    // An answer we cannot read is a failed answer (1005); its content is never echoed.
    if (!parsed.success) throw new ApiError("upstream_failed", { status: 200, msg: "unexpected answer" });
    const { base, as_of, rates } = parsed.data;
    return { base, asOf: as_of, rates: rates.filter((r) => r.currency !== base) };
  }
}
