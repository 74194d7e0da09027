import { parseDomainPattern } from "../../platform/lib/domain-patterns";

/** At most this many patterns per contract. */
export const MAX_WEBHOOK_DOMAINS = 50;

/**
 * A contract's production webhook domains, checked: host names (`hooks.example.com`) or
 * `*.suffix` wildcards (`*.example.com`: any host below example.com, not example.com itself),
 * in lower case, at most 50, none twice. Anything else throws, naming the value. Empty: any
 * public host the URL rules allow.
 */
export function parseWebhookDomains(values: readonly string[]): string[] {
  if (values.length > MAX_WEBHOOK_DOMAINS)
    throw new Error(`at most ${MAX_WEBHOOK_DOMAINS} webhook domains per contract, got ${values.length}`);
  const seen = new Set<string>();
  for (const value of values) {
    const pattern = parseDomainPattern(value);
    if (seen.has(pattern)) throw new Error(`webhook domain listed twice: ${pattern}`);
    seen.add(pattern);
  }
  return [...seen];
}
