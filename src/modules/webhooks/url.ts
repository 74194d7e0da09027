/**
 * SSRF guard for partner webhook endpoint URLs, run when an endpoint is saved and again before every delivery.
 *
 * It judges the URL text only: it does not resolve DNS, so a public name that points at a private address
 * (or rebinds to one) is not caught here.
 *
 * The WHATWG URL parser already canonicalises legacy IPv4 spellings (`2130706433`, `0x7f.1`, `0177.0.0.1`,
 * `127.1`, a trailing dot) to dotted-quad in `url.hostname`, and IPv6 to compressed lower-case hex (embedded
 * IPv4 included). The checks below parse those canonical forms and refuse anything numeric they cannot parse.
 */

import { parseIPv4, parseIPv6 } from "../../platform/lib/cidr";
import { hostMatchesPattern } from "../../platform/lib/domain-patterns";

export interface UrlPolicy {
  /** Production: only https. Sandbox/dev may allow http. */
  requireHttps: boolean;
  /** Local development only: allow loopback hosts (localhost, 127.0.0.0/8, ::1) — nothing else private. */
  allowLoopback: boolean;
  /** Ports allowed besides the scheme's default (443 for https, 80 for http). */
  allowedPorts: readonly number[];
  /**
   * Production: the contract's webhook domains (canonical host names or `*.suffix` patterns); a
   * host none matches is refused. Empty: any host the rules above allow.
   */
  allowedHosts: readonly string[];
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const MAX_URL_LENGTH = 2048;

/** Names that only mean something inside a network (RFC 6761, RFC 8375, common private TLDs). */
const LOCAL_NAME_SUFFIXES = [
  "localhost",
  "local",
  "localdomain",
  "internal",
  "home.arpa",
  "lan",
  "intranet",
  "corp",
];

interface Cidr {
  bits: 32 | 128;
  base: bigint;
  prefix: number;
  /** Completes "the host is …". */
  what: string;
}

function cidr(text: string, what: string): Cidr {
  const [address = "", prefix = ""] = text.split("/");
  const v4 = parseIPv4(address);
  const base = v4 ?? parseIPv6(address);
  if (base === null) throw new Error(`bad CIDR ${text}`);
  return { bits: v4 === null ? 128 : 32, base, prefix: Number(prefix), what };
}

function contains(range: Cidr, address: bigint): boolean {
  return (address ^ range.base) >> BigInt(range.bits - range.prefix) === 0n;
}

const PRIVATE = "a private address";
const DOCUMENTATION = "a documentation address";

/** First match wins, so narrow ranges come before the wide ones that hold them. */
const IPV4_BLOCKED: readonly Cidr[] = [
  cidr("0.0.0.0/8", "an unspecified address"),
  cidr("127.0.0.0/8", "a loopback address"),
  cidr("10.0.0.0/8", PRIVATE),
  cidr("172.16.0.0/12", PRIVATE),
  cidr("192.168.0.0/16", PRIVATE),
  cidr("169.254.0.0/16", "a link-local address"),
  cidr("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
  cidr("192.0.0.0/24", "an IETF protocol address"),
  cidr("192.0.2.0/24", DOCUMENTATION),
  cidr("198.51.100.0/24", DOCUMENTATION),
  cidr("203.0.113.0/24", DOCUMENTATION),
  cidr("192.88.99.0/24", "a 6to4 relay address"),
  cidr("198.18.0.0/15", "a benchmarking address"),
  cidr("224.0.0.0/4", "a multicast address"),
  cidr("255.255.255.255/32", "the broadcast address"),
  cidr("240.0.0.0/4", "a reserved address"),
];

const IPV4_MAPPED = cidr("::ffff:0:0/96", "an IPv4-mapped IPv6 address");
const IPV4_COMPATIBLE = cidr("::/96", "an IPv4-compatible IPv6 address");
const NAT64 = cidr("64:ff9b::/96", "a NAT64 address");

const IPV6_BLOCKED: readonly Cidr[] = [
  cidr("::/128", "an unspecified address"),
  cidr("::1/128", "a loopback address"),
  IPV4_MAPPED,
  IPV4_COMPATIBLE,
  cidr("64:ff9b:1::/48", "a local-use NAT64 address"),
  cidr("100::/64", "a discard-only address"),
  cidr("2001:db8::/32", DOCUMENTATION),
  cidr("2001::/32", "a Teredo address"),
  cidr("2002::/16", "a 6to4 address"),
  cidr("fc00::/7", "a private (unique local) address"),
  cidr("fe80::/10", "a link-local address"),
  cidr("fec0::/10", "a site-local address"),
  cidr("ff00::/8", "a multicast address"),
];

function ipv4Refusal(address: bigint): string | undefined {
  return IPV4_BLOCKED.find((range) => contains(range, address))?.what;
}

function ipv6Refusal(address: bigint): string | undefined {
  const embedded = address & 0xffff_ffffn;
  if (contains(NAT64, address)) {
    const inner = ipv4Refusal(embedded);
    return inner && `${inner} inside a NAT64 address`;
  }
  const range = IPV6_BLOCKED.find((r) => contains(r, address));
  if (range === IPV4_MAPPED || range === IPV4_COMPATIBLE) {
    // Refused whatever the embedded address is; name it when it is itself forbidden.
    const inner = ipv4Refusal(embedded);
    return inner ? `${inner} inside ${range.what}` : range.what;
  }
  return range?.what;
}

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (host === "[::1]") return true;
  const v4 = parseIPv4(host);
  return v4 !== null && v4 >> 24n === 127n;
}

/** Why the host may not receive webhooks, or undefined when it may. `host` is url.hostname without one trailing dot. */
function hostRefusal(host: string): string | undefined {
  if (host.startsWith("[")) {
    const v6 = host.endsWith("]") ? parseIPv6(host.slice(1, -1)) : null;
    if (v6 === null) return "the host is not a valid IPv6 address";
    const what = ipv6Refusal(v6);
    return what && `the host is ${what}`;
  }
  if (host === "" || host.split(".").includes("")) return "the host name is not valid";
  const v4 = parseIPv4(host);
  if (v4 !== null) {
    const what = ipv4Refusal(v4);
    return what && `the host is ${what}`;
  }
  const lastLabel = host.slice(host.lastIndexOf(".") + 1);
  if (/^(\d+|0x[0-9a-f]*)$/i.test(lastLabel)) return "the host is not a valid IP address";
  if (LOCAL_NAME_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))) {
    return "the host is a local network name";
  }
  if (!host.includes(".")) return "the host must be a fully qualified domain name";
  return undefined;
}

function hasSpaceOrControl(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}

export function checkWebhookUrl(raw: string, policy: UrlPolicy): UrlVerdict {
  const refuse = (reason: string): UrlVerdict => ({ ok: false, reason });
  if (raw.length > MAX_URL_LENGTH) return refuse(`the URL is longer than ${MAX_URL_LENGTH} characters`);
  if (hasSpaceOrControl(raw)) return refuse("the URL contains spaces or control characters");

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("the URL is not valid");
  }
  if (url.href.length > MAX_URL_LENGTH) return refuse(`the URL is longer than ${MAX_URL_LENGTH} characters`);

  const httpAllowed = !policy.requireHttps;
  if (url.protocol !== "https:" && !(httpAllowed && url.protocol === "http:")) {
    return refuse(httpAllowed ? "the URL must use https or http" : "the URL must use https");
  }
  if (url.username !== "" || url.password !== "") {
    return refuse("the URL must not contain a user name or password");
  }
  // Fragments are never sent over the wire: drop them so the saved URL is exactly what is delivered to.
  url.hash = "";

  const host = url.hostname.endsWith(".") ? url.hostname.slice(0, -1) : url.hostname;
  const unlisted =
    policy.allowedHosts.length > 0 && !policy.allowedHosts.some((p) => hostMatchesPattern(host, p));
  const notListed = () =>
    refuse("the host is not one of the contract's webhook domains (webhook_domains in GET /v1/partner)");
  if (policy.allowLoopback && isLoopback(host)) return unlisted ? notListed() : { ok: true, url };

  const reason = hostRefusal(host);
  if (reason) return refuse(reason);
  if (url.port !== "" && !policy.allowedPorts.includes(Number(url.port))) {
    return refuse(`port ${url.port} is not allowed`);
  }
  if (unlisted) return notListed();
  return { ok: true, url };
}
