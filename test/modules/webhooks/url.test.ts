import { describe, expect, it } from "vitest";
import { checkWebhookUrl, type UrlPolicy } from "../../../src/modules/webhooks/url";

const production: UrlPolicy = {
  requireHttps: true,
  allowLoopback: false,
  allowedPorts: [],
  allowedHosts: [],
};
const sandbox: UrlPolicy = { requireHttps: false, allowLoopback: false, allowedPorts: [], allowedHosts: [] };
const localDev: UrlPolicy = { requireHttps: false, allowLoopback: true, allowedPorts: [], allowedHosts: [] };

function reasonFor(raw: string, policy: UrlPolicy): string {
  const verdict = checkWebhookUrl(raw, policy);
  if (verdict.ok) throw new Error(`${raw} was accepted as ${verdict.url.href}`);
  return verdict.reason;
}

function acceptedHref(raw: string, policy: UrlPolicy): string {
  const verdict = checkWebhookUrl(raw, policy);
  if (!verdict.ok) throw new Error(`${raw} was refused: ${verdict.reason}`);
  return verdict.url.href;
}

// [url, a fragment the reason must contain]
const hostile: [string, string][] = [
  // Not URLs, too long, wrong scheme, credentials, ports
  ["not a url", "spaces"],
  ["hooks.partner.example.com/portico", "not valid"],
  ["https://", "not valid"],
  ["https://[::1", "not valid"],
  ["https://[fe80::1%25eth0]/", "not valid"],
  ["https://1.2.3.4.5/", "not valid"],
  [`https://hooks.example.com/${"a".repeat(2030)}`, "longer than 2048"],
  ["https://hooks.example.com/a\nb", "control"],
  ["http://hooks.example.com/", "must use https"],
  ["ftp://hooks.example.com/", "must use https"],
  ["file:///etc/passwd", "must use https"],
  ["javascript:alert(1)", "must use https"],
  ["gopher://hooks.example.com:70/", "must use https"],
  ["https://user:pass@hooks.example.com/", "user name or password"],
  ["https://user@hooks.example.com/", "user name or password"],
  ["https://:secret@hooks.example.com/", "user name or password"],
  ["https://hooks.example.com:8443/", "port 8443"],
  ["https://hooks.example.com:80/", "port 80"],
  ["https://hooks.example.com:22/", "port 22"],
  // IPv4 literals in every forbidden range
  ["https://127.0.0.1/", "loopback"],
  ["https://127.255.255.254/", "loopback"],
  ["https://0.0.0.0/", "unspecified"],
  ["https://0/", "unspecified"],
  ["https://10.0.0.1/", "private"],
  ["https://172.16.0.1/", "private"],
  ["https://172.31.255.255/", "private"],
  ["https://192.168.1.1/", "private"],
  ["https://169.254.169.254/latest/meta-data/", "link-local"],
  ["https://100.64.0.1/", "carrier-grade NAT"],
  ["https://100.127.255.255/", "carrier-grade NAT"],
  ["https://192.0.0.8/", "IETF protocol"],
  ["https://192.0.2.1/", "documentation"],
  ["https://198.18.0.1/", "benchmarking"],
  ["https://198.19.255.255/", "benchmarking"],
  ["https://198.51.100.7/", "documentation"],
  ["https://203.0.113.9/", "documentation"],
  ["https://224.0.0.1/", "multicast"],
  ["https://239.255.255.250/", "multicast"],
  ["https://240.0.0.1/", "reserved"],
  ["https://255.255.255.255/", "broadcast"],
  // Odd IPv4 spellings (the URL parser turns each into dotted-quad)
  ["https://2130706433/", "loopback"],
  ["https://0x7f000001/", "loopback"],
  ["https://0177.0.0.1/", "loopback"],
  ["https://127.1/", "loopback"],
  ["https://0x7f.1/", "loopback"],
  ["https://127.0.0.1./", "loopback"],
  ["https://%30x7f.1/", "loopback"],
  ["https://１２７.0.0.1/", "loopback"],
  ["https://0xa9.0xfe.0xa9.0xfe/", "link-local"],
  ["https://3232235777/", "private"],
  ["https://012.0.0.1/", "private"],
  // IPv6 literals
  ["https://[::]/", "unspecified"],
  ["https://[::1]/", "loopback"],
  ["https://[0:0:0:0:0:0:0:1]/", "loopback"],
  ["https://[fc00::1]/", "unique local"],
  ["https://[fd12:3456:789a::1]/", "unique local"],
  ["https://[fe80::1]/", "link-local"],
  ["https://[febf::1]/", "link-local"],
  ["https://[ff02::1]/", "multicast"],
  ["https://[::ffff:127.0.0.1]/", "loopback"],
  ["https://[::ffff:169.254.169.254]/", "link-local"],
  ["https://[::ffff:7f00:1]/", "loopback"],
  ["https://[::ffff:8.8.8.8]/", "IPv4-mapped"],
  ["https://[::127.0.0.1]/", "loopback"],
  ["https://[::8.8.8.8]/", "IPv4-compatible"],
  ["https://[64:ff9b::10.0.0.1]/", "private"],
  ["https://[64:ff9b::169.254.169.254]/", "link-local"],
  ["https://[2001:db8::1]/", "documentation"],
  ["https://[2002:7f00:1::1]/", "6to4"],
  // Local names
  ["https://localhost/", "local network name"],
  ["https://localhost./", "local network name"],
  ["https://LOCALHOST/", "local network name"],
  ["https://api.localhost/", "local network name"],
  ["https://printer.local/", "local network name"],
  ["https://vault.internal/", "local network name"],
  ["https://metadata.google.internal/computeMetadata/v1/", "local network name"],
  ["https://router.home.arpa/", "local network name"],
  ["https://metadata/", "fully qualified"],
  ["https://intranet-hooks/", "fully qualified"],
  ["https://hooks./", "fully qualified"],
  ["https://hooks.example..com/", "not valid"],
  ["https://hooks.example.com../", "not valid"],
];

describe("checkWebhookUrl under the production policy", () => {
  it("has a large hostile table", () => {
    expect(hostile.length).toBeGreaterThanOrEqual(45);
  });

  it.each(hostile)("refuses %s (%s)", (raw, fragment) => {
    expect(reasonFor(raw, production)).toContain(fragment);
  });

  it.each([
    ["https://hooks.partner.example.com/portico", "https://hooks.partner.example.com/portico"],
    ["https://203.0.114.5/x", "https://203.0.114.5/x"],
    ["https://8.8.8.8/", "https://8.8.8.8/"],
    ["https://172.32.0.1/", "https://172.32.0.1/"],
    ["https://100.128.0.1/", "https://100.128.0.1/"],
    ["https://[2606:4700:4700::1111]/hook", "https://[2606:4700:4700::1111]/hook"],
    ["https://[64:ff9b::8.8.8.8]/", "https://[64:ff9b::808:808]/"],
    ["HTTPS://Hooks.Example.COM:443/a?b=c", "https://hooks.example.com/a?b=c"],
    ["https://hooks.example.com/a#fragment", "https://hooks.example.com/a"],
    ["https://hooks.example.com./portico", "https://hooks.example.com./portico"],
    ["https://bücher.example/", "https://xn--bcher-kva.example/"],
    ["https://local.example.com/", "https://local.example.com/"],
    ["https://localhost.example.com/", "https://localhost.example.com/"],
  ])("accepts %s as %s", (raw, href) => {
    expect(acceptedHref(raw, production)).toBe(href);
  });

  it("accepts an extra port only when the policy lists it", () => {
    const policy = { ...production, allowedPorts: [8443] };
    expect(acceptedHref("https://hooks.example.com:8443/x", policy)).toBe("https://hooks.example.com:8443/x");
    expect(reasonFor("https://hooks.example.com:9443/x", policy)).toContain("port 9443");
    expect(reasonFor("https://10.0.0.1:8443/x", policy)).toContain("private");
  });

  it("accepts a URL of exactly 2048 characters", () => {
    const base = "https://hooks.example.com/";
    expect(acceptedHref(base + "a".repeat(2048 - base.length), production)).toHaveLength(2048);
  });

  it.each([
    "https://portico-user:hunter2-s3cret@hooks.example.com/",
    "https://portico-user:hunter2-s3cret@10.0.0.1/",
    "http://portico-user:hunter2-s3cret@hooks.example.com/",
    "https://portico-user:hunter2-s3cret@hooks.example.com:9999/",
    "https://portico-user:hunter2-s3cret@[::1]/",
  ])("never echoes the credentials of %s", (raw) => {
    for (const policy of [production, sandbox, localDev]) {
      const reason = reasonFor(raw, policy);
      expect(reason).not.toContain("hunter2-s3cret");
      expect(reason).not.toContain("portico-user");
    }
  });
});

describe("checkWebhookUrl with http allowed (sandbox)", () => {
  it.each(["http://hooks.example.com/", "http://hooks.example.com:80/x", "https://hooks.example.com/"])(
    "accepts %s",
    (raw) => {
      expect(checkWebhookUrl(raw, sandbox).ok).toBe(true);
    },
  );

  it.each([
    ["http://2130706433/", "loopback"],
    ["http://0x7f000001/", "loopback"],
    ["http://0177.0.0.1/", "loopback"],
    ["http://127.1/", "loopback"],
    ["http://0x7f.1/", "loopback"],
    ["http://localhost/", "local network name"],
    ["http://hooks.example.com:443/", "port 443"],
    ["ws://hooks.example.com/", "must use https or http"],
  ])("still refuses %s (%s)", (raw, fragment) => {
    expect(reasonFor(raw, sandbox)).toContain(fragment);
  });
});

describe("checkWebhookUrl with loopback allowed (local development)", () => {
  it.each([
    "http://localhost/hook",
    "http://localhost.:8787/hook",
    "http://127.0.0.1:8787/hook",
    "http://127.0.0.53/",
    "http://127.1:3000/",
    "http://[::1]:8787/hook",
    "https://localhost:8443/",
  ])("accepts %s on any port", (raw) => {
    expect(checkWebhookUrl(raw, localDev).ok).toBe(true);
  });

  it.each([
    ["http://10.0.0.1/", "private"],
    ["http://192.168.0.10:8787/", "private"],
    ["http://169.254.169.254/", "link-local"],
    ["http://0.0.0.0:8787/", "unspecified"],
    ["http://[::]:8787/", "unspecified"],
    ["http://[::ffff:127.0.0.1]/", "IPv4-mapped"],
    ["http://[fd00::1]/", "unique local"],
    ["http://api.localhost/", "local network name"],
    ["http://metadata.google.internal/", "local network name"],
    ["http://user:pw@localhost/", "user name or password"],
  ])("still refuses %s (%s)", (raw, fragment) => {
    expect(reasonFor(raw, localDev)).toContain(fragment);
  });

  it("still insists on https when the policy requires it", () => {
    expect(reasonFor("http://localhost/", { ...localDev, requireHttps: true })).toContain("must use https");
  });
});

describe("checkWebhookUrl with the contract's webhook domains (production)", () => {
  const listed: UrlPolicy = { ...production, allowedHosts: ["hooks.acme.example", "*.acme.net"] };
  const NOT_LISTED = "not one of the contract's webhook domains";

  it.each([
    "https://hooks.acme.example/in",
    "https://HOOKS.ACME.EXAMPLE/in",
    "https://hooks.acme.example./in",
    "https://a.acme.net/",
    "https://a.b.acme.net/x?y=1",
  ])("accepts %s", (raw) => {
    expect(checkWebhookUrl(raw, listed).ok).toBe(true);
  });

  it.each([
    "https://acme.net/",
    "https://x.hooks.acme.example/",
    "https://hooks.acme.example.evil.example/",
    "https://evilacme.net/",
    "https://acme.net.evil.example/",
    "https://xn--acme-9ua.net/",
  ])("refuses %s", (raw) => {
    expect(reasonFor(raw, listed)).toContain(NOT_LISTED);
  });

  it("keeps the URL rules first, and holds loopback to the list too", () => {
    expect(reasonFor("https://10.0.0.1/", listed)).toContain("private");
    expect(reasonFor("http://hooks.acme.example/", listed)).toContain("must use https");
    expect(
      reasonFor("http://localhost:8788/", { ...localDev, allowedHosts: ["hooks.acme.example"] }),
    ).toContain(NOT_LISTED);
  });
});
