import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import { CLIENT_ADDRESS_HEADER } from "../../partners/ip-allowlist";
import type { ClientSignals } from "../model";

/** The caller's address and the edge's view of it; absent outside Cloudflare (and in most tests). */
export function clientSignalsOf(c: Context<AppEnv>): ClientSignals {
  const cf = c.req.raw.cf as { country?: unknown; asn?: unknown } | undefined;
  return {
    ip: c.req.header(CLIENT_ADDRESS_HEADER)?.trim() || null,
    country: typeof cf?.country === "string" ? cf.country : null,
    asn: typeof cf?.asn === "number" ? cf.asn : null,
  };
}
