/**
 * IPv4 and IPv6 addresses and CIDR blocks: strict parsing, canonical text and matching. Pure.
 *
 * An address is a family and a number (32 or 128 bits). An IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`) is the IPv4 address it carries, for addresses and for blocks of /96 or
 * narrower inside `::ffff:0:0/96` alike, so either spelling matches the other. Every other IPv6
 * block is IPv6 only: `::/0` does not match IPv4 addresses.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

export interface CidrBlock {
  family: IpFamily;
  /** The network's first address: no host bits set. */
  base: bigint;
  prefix: number;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };
/** `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`: nothing longer is an address. */
const MAX_ADDRESS_CHARS = 45;
const MAPPED_PREFIX = 0xffffn;

/** Canonical dotted-quad only: four decimal octets, no leading zeros (`010` is not ten, nor eight). */
export function parseIPv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

/**
 * RFC 4291 §2.2 text: eight groups of 1–4 hex digits, at most one `::`, optionally ending in a
 * dotted IPv4 address. No brackets, zone (`%eth0`) or prefix.
 */
export function parseIPv6(text: string): bigint | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const compressed = halves.length === 2;
  const head = ipv6Groups(halves[0] ?? "", !compressed);
  const tail = compressed ? ipv6Groups(halves[1] ?? "", true) : [];
  if (head === null || tail === null) return null;
  const zeros = 8 - head.length - tail.length;
  if (compressed ? zeros < 1 : zeros !== 0) return null;
  const all = [...head, ...Array<number>(zeros).fill(0), ...tail];
  return all.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** The 16-bit groups of one side of "::"; a dotted IPv4 ending (when allowed) counts as two groups. */
function ipv6Groups(text: string, mayEndInIPv4: boolean): number[] | null {
  if (text === "") return [];
  const groups: number[] = [];
  const parts = text.split(":");
  for (const [i, part] of parts.entries()) {
    const v4 = mayEndInIPv4 && i === parts.length - 1 && part.includes(".") ? parseIPv4(part) : null;
    if (v4 !== null) groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    else if (/^[0-9a-f]{1,4}$/i.test(part)) groups.push(Number.parseInt(part, 16));
    else return null;
  }
  return groups;
}

/** An IPv6 number as the IPv4 address it maps, or as itself. */
function unmapped(value: bigint): IpAddress {
  return value >> 32n === MAPPED_PREFIX ? { family: 4, value: value & 0xffff_ffffn } : { family: 6, value };
}

/** An address as text (`CF-Connecting-IP`), IPv4-mapped IPv6 read as IPv4; null when it is not one. */
export function parseAddress(text: string): IpAddress | null {
  if (text.length === 0 || text.length > MAX_ADDRESS_CHARS) return null;
  const v4 = parseIPv4(text);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseIPv6(text);
  return v6 === null ? null : unmapped(v6);
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
export function formatAddress(address: IpAddress): string {
  if (address.family === 4) {
    const v = address.value;
    return [24n, 16n, 8n, 0n].map((shift) => String((v >> shift) & 0xffn)).join(".");
  }
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number((address.value >> BigInt(112 - 16 * i)) & 0xffffn),
  );
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - i > best.length) best = { at: i, length: end - i };
    i = end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(":");
  return `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.length).join(":")}`;
}

/**
 * A CIDR block, strictly: `address/prefix` (or a bare address: that one host), the prefix a
 * decimal 0–32 or 0–128 without leading zeros, no host bits set. Throws, saying what is wrong.
 */
export function parseCidr(text: string): CidrBlock {
  const quoted = JSON.stringify(text);
  const slash = text.indexOf("/");
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const v4 = parseIPv4(addressText);
  const v6 = v4 === null && addressText.length <= MAX_ADDRESS_CHARS ? parseIPv6(addressText) : null;
  if (v4 === null && v6 === null) throw new Error(`not an IPv4 or IPv6 address: ${quoted}`);
  const family: IpFamily = v4 === null ? 6 : 4;
  const value = v4 ?? (v6 as bigint);
  const bits = BITS[family];
  let prefix = bits;
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > bits)
      throw new Error(`the prefix must be 0–${bits}: ${quoted}`);
    prefix = Number(prefixText);
  }
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((value & hostMask) !== 0n) {
    const network = formatCidr({ family, base: value & ~hostMask, prefix });
    throw new Error(`host bits set in ${quoted}: the block is ${network}`);
  }
  if (family === 6 && prefix >= 96 && value >> 32n === MAPPED_PREFIX)
    return { family: 4, base: value & 0xffff_ffffn, prefix: prefix - 96 };
  return { family, base: value, prefix };
}

/** The block's canonical text: `192.0.2.0/24`, `2001:db8::/32`. */
export function formatCidr(block: CidrBlock): string {
  return `${formatAddress({ family: block.family, value: block.base })}/${block.prefix}`;
}

export function cidrContains(block: CidrBlock, address: IpAddress): boolean {
  if (block.family !== address.family) return false;
  return (address.value ^ block.base) >> BigInt(BITS[block.family] - block.prefix) === 0n;
}

/** The address's network (/24 for IPv4, /48 for IPv6), as text: enough to diagnose, too little to identify. */
export function truncatedAddress(address: IpAddress): string {
  const keep = address.family === 4 ? 24 : 48;
  const drop = BigInt(BITS[address.family] - keep);
  return formatCidr({ family: address.family, base: (address.value >> drop) << drop, prefix: keep });
}
