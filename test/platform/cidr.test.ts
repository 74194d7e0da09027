import { describe, expect, it } from "vitest";
import {
  cidrContains,
  formatAddress,
  formatCidr,
  parseAddress,
  parseCidr,
  truncatedAddress,
} from "../../src/platform/lib/cidr";

const matches = (block: string, address: string) => {
  const parsed = parseAddress(address);
  if (!parsed) throw new Error(`not an address: ${address}`);
  return cidrContains(parseCidr(block), parsed);
};

describe("CIDR blocks: parsing", () => {
  it.each([
    ["192.0.2.0/24", "192.0.2.0/24"],
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["198.51.100.7", "198.51.100.7/32"],
    ["198.51.100.7/32", "198.51.100.7/32"],
    ["2001:db8::/32", "2001:db8::/32"],
    ["2001:DB8:0:0:0:0:0:0/32", "2001:db8::/32"],
    ["2001:0db8:0000:0000:0001:0000:0000:0000/80", "2001:db8:0:0:1::/80"],
    ["::/0", "::/0"],
    ["::1", "::1/128"],
    ["fe80::/10", "fe80::/10"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1/128"],
    ["1:0:0:2:0:0:0:3/128", "1:0:0:2::3/128"],
    ["1:0:0:2:0:0:3:4/128", "1::2:0:0:3:4/128"],
    // IPv4-mapped blocks of /96 or narrower are the IPv4 blocks they carry.
    ["::ffff:10.0.0.0/104", "10.0.0.0/8"],
    ["::ffff:192.0.2.1", "192.0.2.1/32"],
    ["::ffff:c000:0200/120", "192.0.2.0/24"],
    ["::ffff:0:0/96", "0.0.0.0/0"],
  ])("%s is %s", (text, canonical) => {
    expect(formatCidr(parseCidr(text))).toBe(canonical);
  });

  it.each([
    ["", "not an IPv4 or IPv6 address"],
    ["example.com", "not an IPv4 or IPv6 address"],
    ["192.0.2.0/", "the prefix must be 0–32"],
    ["192.0.2.0/33", "the prefix must be 0–32"],
    ["192.0.2.0/-1", "the prefix must be 0–32"],
    ["192.0.2.0/024", "the prefix must be 0–32"],
    ["192.0.2.0/24/1", "the prefix must be 0–32"],
    ["192.0.2.0/ 24", "the prefix must be 0–32"],
    ["2001:db8::/129", "the prefix must be 0–128"],
    ["192.0.2.1/24", 'host bits set in "192.0.2.1/24": the block is 192.0.2.0/24'],
    ["11.0.0.0/7", "the block is 10.0.0.0/7"],
    ["2001:db8::1/64", "the block is 2001:db8::/64"],
    ["256.0.0.0/8", "not an IPv4 or IPv6 address"],
    ["010.0.0.0/8", "not an IPv4 or IPv6 address"],
    ["10.0.0/24", "not an IPv4 or IPv6 address"],
    ["10.0.0.0.0/24", "not an IPv4 or IPv6 address"],
    [" 10.0.0.0/8", "not an IPv4 or IPv6 address"],
    ["0x0a.0.0.0/8", "not an IPv4 or IPv6 address"],
    ["1::2::3/64", "not an IPv4 or IPv6 address"],
    ["1:2:3:4:5:6:7:8:9", "not an IPv4 or IPv6 address"],
    ["1:2:3:4:5:6:7", "not an IPv4 or IPv6 address"],
    ["12345::/16", "not an IPv4 or IPv6 address"],
    ["fe80::1%eth0", "not an IPv4 or IPv6 address"],
    ["[2001:db8::]/32", "not an IPv4 or IPv6 address"],
    [":1::/64", "not an IPv4 or IPv6 address"],
    ["1:2:3:4:5:6:7:8::/64", "not an IPv4 or IPv6 address"],
    ["::10.0.0.0.1/8", "not an IPv4 or IPv6 address"],
    ["1.2.3.4::/64", "not an IPv4 or IPv6 address"],
  ])("%j is refused: %s", (text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
  });
});

describe("CIDR blocks: matching", () => {
  it("IPv4: inside and outside, at the edges of the block", () => {
    expect(matches("192.0.2.0/24", "192.0.2.0")).toBe(true);
    expect(matches("192.0.2.0/24", "192.0.2.255")).toBe(true);
    expect(matches("192.0.2.0/24", "192.0.3.0")).toBe(false);
    expect(matches("192.0.2.0/24", "192.0.1.255")).toBe(false);
    expect(matches("192.0.2.128/25", "192.0.2.127")).toBe(false);
    expect(matches("192.0.2.128/25", "192.0.2.128")).toBe(true);
    expect(matches("198.51.100.7/32", "198.51.100.7")).toBe(true);
    expect(matches("198.51.100.7/32", "198.51.100.8")).toBe(false);
    expect(matches("0.0.0.0/0", "255.255.255.255")).toBe(true);
    expect(matches("0.0.0.0/0", "0.0.0.0")).toBe(true);
  });

  it("IPv6: inside and outside, any spelling of the address", () => {
    expect(matches("2001:db8::/32", "2001:db8::1")).toBe(true);
    expect(matches("2001:db8::/32", "2001:0DB8:ffff:ffff:ffff:ffff:ffff:ffff")).toBe(true);
    expect(matches("2001:db8::/32", "2001:db9::")).toBe(false);
    expect(matches("2001:db8::/32", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff")).toBe(false);
    expect(matches("2001:db8:1::/48", "2001:db8:1:ffff::1")).toBe(true);
    expect(matches("2001:db8:1::/48", "2001:db8:2::1")).toBe(false);
    expect(matches("::1/128", "0:0:0:0:0:0:0:1")).toBe(true);
    expect(matches("::/0", "ffff::")).toBe(true);
  });

  it("an IPv4-mapped address matches the IPv4 block, and a mapped block the IPv4 address", () => {
    expect(matches("192.0.2.0/24", "::ffff:192.0.2.9")).toBe(true);
    expect(matches("192.0.2.0/24", "::ffff:c000:209")).toBe(true);
    expect(matches("192.0.2.0/24", "::ffff:192.0.3.9")).toBe(false);
    expect(matches("::ffff:192.0.2.0/120", "192.0.2.9")).toBe(true);
    expect(matches("::ffff:0:0/96", "203.0.113.1")).toBe(true);
  });

  it("the families stay apart otherwise: ::/0 is not every IPv4 address, 0.0.0.0/0 no IPv6 one", () => {
    expect(matches("::/0", "192.0.2.1")).toBe(false);
    expect(matches("::/0", "::ffff:192.0.2.1")).toBe(false);
    expect(matches("0.0.0.0/0", "2001:db8::1")).toBe(false);
    // An IPv4-compatible (deprecated) address is IPv6, not the IPv4 address it embeds.
    expect(matches("192.0.2.0/24", "::192.0.2.1")).toBe(false);
  });
});

describe("addresses", () => {
  it("reads what CF-Connecting-IP carries, and nothing else", () => {
    expect(parseAddress("203.0.113.9")).toEqual({ family: 4, value: 0xcb007109n });
    expect(parseAddress("::ffff:203.0.113.9")).toEqual({ family: 4, value: 0xcb007109n });
    expect(parseAddress("2001:db8::1")?.family).toBe(6);
    for (const bad of [
      "",
      "unknown",
      "203.0.113.9:443",
      "203.0.113.9, 10.0.0.1",
      "[2001:db8::1]",
      "203.0.113.9/32",
    ])
      expect(parseAddress(bad), bad).toBeNull();
    expect(parseAddress(`${"1:".repeat(40)}1`)).toBeNull();
  });

  it("formats RFC 5952 text and truncates to the /24 or /48 network for logs", () => {
    const v6 = parseAddress("2001:0db8:00ab:0001:0000:0000:0000:0009");
    const v4 = parseAddress("203.0.113.9");
    if (!v6 || !v4) throw new Error("unparsed");
    expect(formatAddress(v6)).toBe("2001:db8:ab:1::9");
    expect(formatAddress(v4)).toBe("203.0.113.9");
    expect(truncatedAddress(v4)).toBe("203.0.113.0/24");
    expect(truncatedAddress(v6)).toBe("2001:db8:ab::/48");
  });
});
