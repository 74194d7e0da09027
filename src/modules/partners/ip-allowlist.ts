import {
  type CidrBlock,
  cidrContains,
  formatCidr,
  type IpAddress,
  parseAddress,
  parseCidr,
  truncatedAddress,
} from "../../platform/lib/cidr";

/** At most this many blocks per contract: the partner's own egress ranges, not a directory. */
export const MAX_IP_ALLOWLIST = 50;

/** Where the caller's address comes from: Cloudflare sets it on every request it forwards. */
export const CLIENT_ADDRESS_HEADER = "CF-Connecting-IP";

/**
 * A contract's IP allow-list, checked: IPv4 and IPv6 CIDR blocks (a bare address is its own
 * /32 or /128), no host bits set, at most 50, no block twice. Answers the canonical texts
 * (`192.0.2.0/24`, `2001:db8::/32`; an IPv4-mapped block as IPv4). Anything else throws,
 * naming the value. Empty: any address.
 */
export function parseIpAllowlist(values: readonly string[]): string[] {
  if (values.length > MAX_IP_ALLOWLIST)
    throw new Error(`at most ${MAX_IP_ALLOWLIST} IP blocks per contract, got ${values.length}`);
  const seen = new Set<string>();
  for (const value of values) {
    const canonical = formatCidr(parseCidr(value));
    if (seen.has(canonical)) throw new Error(`IP block listed twice: ${canonical}`);
    seen.add(canonical);
  }
  return [...seen];
}

// A profile's list is parsed once per cached profile, not once per request.
const compiled = new WeakMap<readonly string[], readonly CidrBlock[]>();

function blocksOf(list: readonly string[]): readonly CidrBlock[] {
  let blocks = compiled.get(list);
  if (!blocks) {
    blocks = list.map(parseCidr);
    compiled.set(list, blocks);
  }
  return blocks;
}

export type AddressVerdict =
  | { allowed: true }
  | {
      allowed: false /** The caller's network (/24, /48), for a log line; never the full address. */;
      network: string;
    };

/**
 * Whether a contract's allow-list lets `header` (the `CF-Connecting-IP` value) call: an empty
 * list lets anyone; a set list only an address inside one of its blocks, so a request without
 * the header, or with one that is not an address, is refused.
 */
export function checkAddress(list: readonly string[], header: string | undefined): AddressVerdict {
  if (list.length === 0) return { allowed: true };
  const address: IpAddress | null = header === undefined ? null : parseAddress(header);
  if (address === null)
    return { allowed: false, network: header === undefined ? "(none)" : "(not an address)" };
  if (blocksOf(list).some((block) => cidrContains(block, address))) return { allowed: true };
  return { allowed: false, network: truncatedAddress(address) };
}
