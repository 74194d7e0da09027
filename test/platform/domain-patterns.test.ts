import { describe, expect, it } from "vitest";
import { hostMatchesPattern, parseDomainPattern } from "../../src/platform/lib/domain-patterns";

describe("host-name patterns", () => {
  it.each([
    ["hooks.example.com", "hooks.example.com"],
    ["Hooks.Example.COM", "hooks.example.com"],
    ["*.example.com", "*.example.com"],
    ["*.hooks.example.co.uk", "*.hooks.example.co.uk"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
    ["a-b.c1.example", "a-b.c1.example"],
  ])("%s is %s", (text, canonical) => {
    expect(parseDomainPattern(text)).toBe(canonical);
  });

  it.each([
    "",
    "*",
    "*.",
    "*.com",
    "localhost",
    "example.com.",
    ".example.com",
    "a..example.com",
    "a.*.example.com",
    "*example.com",
    "**.example.com",
    "-a.example.com",
    "a-.example.com",
    "a_b.example.com",
    "https://hooks.example.com",
    "hooks.example.com:443",
    "hooks.example.com/path",
    "192.0.2.1",
    "[2001:db8::1]",
    "bücher.example",
    `${"a".repeat(64)}.example.com`,
    `${"a.".repeat(127)}com`,
  ])("%j is refused", (text) => {
    expect(() => parseDomainPattern(text)).toThrow(JSON.stringify(text));
  });

  it("an exact name matches itself only; a wildcard any host below its suffix, not the suffix", () => {
    expect(hostMatchesPattern("hooks.example.com", "hooks.example.com")).toBe(true);
    expect(hostMatchesPattern("a.hooks.example.com", "hooks.example.com")).toBe(false);
    expect(hostMatchesPattern("example.com", "hooks.example.com")).toBe(false);
    expect(hostMatchesPattern("a.example.com", "*.example.com")).toBe(true);
    expect(hostMatchesPattern("a.b.example.com", "*.example.com")).toBe(true);
    expect(hostMatchesPattern("example.com", "*.example.com")).toBe(false);
    expect(hostMatchesPattern("badexample.com", "*.example.com")).toBe(false);
    expect(hostMatchesPattern("example.com.evil.net", "*.example.com")).toBe(false);
  });
});
