import { describe, expect, it } from "vitest";
import { changedMembers, nextContract, sensitiveParts } from "../../../src/modules/admin/contract";
import { withoutSecrets } from "../../../src/modules/admin/redact";
import type { ContractRow } from "../../../src/modules/partners/storage";
import { scopesFor } from "../../../src/platform/catalog";

const current: ContractRow = {
  partnerId: "p",
  products: ["payments", "cards"],
  scopes: scopesFor(["payments", "cards"]),
  tier: "standard",
  rateLimitPerSecond: null,
  dailyQuota: 10_000,
  dataAccess: ["name"],
  feeBps: 100,
  feeFixedMinor: 0,
  disputeFeeMinor: 0,
  corsOrigins: ["https://app.example.com"],
  ipAllowlist: ["192.0.2.0/24"],
  webhookDomains: [],
  apiVersion: "2026-12-01",
  securityProfile: "standard",
  passwordGrant: true,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

const parts = (patch: Parameters<typeof nextContract>[1]) =>
  sensitiveParts(current, nextContract(current, patch));

describe("which contract changes need two approvers", () => {
  it("an allow-list widens when it lets more in; a version change applies at once", () => {
    // Conservative: any block not listed before counts as widening, even one inside a listed block.
    expect(parts({ ip_allowlist: ["192.0.2.0/25"] })).toEqual(["ip_allowlist"]);
    expect(parts({ ip_allowlist: ["192.0.2.0/24"] })).toEqual([]);
    expect(parts({ ip_allowlist: ["192.0.2.0/24", "198.51.100.0/24"] })).toEqual(["ip_allowlist"]);
    expect(parts({ ip_allowlist: [] })).toEqual(["ip_allowlist"]);
    expect(parts({ webhook_domains: ["hooks.example.com"] })).toEqual([]);
    expect(parts({ api_version: "2026-06-01" })).toEqual([]);
    expect(() => nextContract(current, { ip_allowlist: ["10.0.0.1/33"] })).toThrow();
    expect(() => nextContract(current, { api_version: "1999-01-01" })).toThrow();
  });

  it("narrowing changes apply at once", () => {
    expect(parts({ products: ["payments"] })).toEqual([]);
    expect(parts({ tier: "sandbox" })).toEqual([]);
    expect(parts({ rate_limit_per_second: 50 })).toEqual([]);
    expect(parts({ daily_quota: 5000 })).toEqual([]);
    expect(parts({ data_access: [] })).toEqual([]);
    expect(parts({ cors_origins: [] })).toEqual([]);
    expect(parts({ scopes: ["partner:read", "payments:read"] })).toEqual([]);
  });

  it("widening anything, or any fee change, needs a checker", () => {
    expect(parts({ products: ["payments", "cards", "fx"] })).toEqual(["products", "scopes"]);
    expect(parts({ tier: "enterprise" })).toEqual(["tier", "rate_limit_per_second"]);
    expect(parts({ rate_limit_per_second: 500 })).toEqual(["rate_limit_per_second"]);
    expect(parts({ daily_quota: null })).toEqual(["daily_quota"]);
    expect(parts({ daily_quota: 20_000 })).toEqual(["daily_quota"]);
    expect(parts({ data_access: ["name", "phone"] })).toEqual(["data_access"]);
    expect(parts({ cors_origins: ["https://app.example.com", "https://new.example.com"] })).toEqual([
      "cors_origins",
    ]);
    expect(parts({ fee_bps: 90 })).toEqual(["fees"]);
    expect(parts({ fee_fixed_minor: 100 })).toEqual(["fees"]);
    // A mix is sensitive as a whole.
    expect(parts({ products: ["payments"], fee_bps: 120 })).toEqual(["fees"]);
  });

  it("removing a product drops its scopes; only what changes is carried", () => {
    const next = nextContract(current, { products: ["payments"] });
    expect(next.scopes).toEqual(scopesFor(["payments"]));
    expect(changedMembers(current, next)).toEqual({
      products: ["payments"],
      scopes: scopesFor(["payments"]),
    });
    expect(changedMembers(current, nextContract(current, { tier: "standard" }))).toEqual({});
  });

  it("refuses what the catalogue does not know", () => {
    expect(() => nextContract(current, { scopes: ["fx:read"] })).toThrow(/not granted/);
    expect(() => nextContract(current, { data_access: ["shoe_size"] })).toThrow(/unknown category/);
    expect(() => nextContract(current, { cors_origins: ["https://a.example.com/path"] })).toThrow();
  });
});

describe("audit diffs", () => {
  it("never hold a secret, a hash or a token, at any depth", () => {
    expect(
      withoutSecrets({
        consumer_key: "ck_test_1",
        consumer_secret: "cs_test_x",
        nested: [{ secretHash: "h", access_token: "t", password: "p", name: "kept" }],
      }),
    ).toEqual({
      consumer_key: "ck_test_1",
      consumer_secret: "[REDACTED]",
      nested: [
        { secretHash: "[REDACTED]", access_token: "[REDACTED]", password: "[REDACTED]", name: "kept" },
      ],
    });
  });
});
