import type { Context } from "hono";
import type { AppEnv } from "../../platform/types";
import { CLIENT_ADDRESS_HEADER } from "../partners/ip-allowlist";
import type { CardDetails } from "./model";

/**
 * A card as the payment path's checks (risk rules, routing rules) see it: never its number.
 * The connector that knows the card (the sandbox's fixed tokens, the card vault) fills it in.
 */
export interface CardSignals extends CardDetails {
  /** The issuing bank's country (ISO 3166-1 alpha-2, from the BIN), when known. */
  country: string | null;
  /** The same card always has the same fingerprint, which cannot be turned back into its number. */
  fingerprint: string;
}

/** Where the payment request came from: `CF-Connecting-IP` and the edge's `request.cf`. */
export interface ClientSignals {
  ip: string | null;
  /** ISO 3166-1 alpha-2 of the address, as the edge located it. */
  country: string | null;
  asn: number | null;
}

/** What is known of a payment before it is authorized: its method, its customer and its caller. */
export interface PaymentSignals {
  method: "card" | "bank_redirect" | "qr";
  card: CardSignals | null;
  /** The customer (`cus_…`) the payment method belongs to, if it is a saved one. */
  customer: string | null;
  client: ClientSignals;
}

/** The caller's address and the edge's view of it; absent outside Cloudflare (and in most tests). */
export function clientSignalsOf(c: Context<AppEnv>): ClientSignals {
  const cf = c.req.raw.cf as { country?: unknown; asn?: unknown } | undefined;
  return {
    ip: c.req.header(CLIENT_ADDRESS_HEADER)?.trim() || null,
    country: typeof cf?.country === "string" ? cf.country : null,
    asn: typeof cf?.asn === "number" ? cf.asn : null,
  };
}
