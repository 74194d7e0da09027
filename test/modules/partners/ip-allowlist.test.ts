import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_IP_ALLOWLIST, parseIpAllowlist } from "../../../src/modules/partners/ip-allowlist";
import { profileCache } from "../../../src/modules/partners/profile";
import { buildPartner, type NewPartner } from "../../../src/modules/partners/provisioning";
import { setAllowLists } from "../../../src/modules/partners/storage";
import { PRODUCTS } from "../../../src/platform/catalog";
import { storedState } from "../../contract/state";
import { basic, call } from "../../support/http";
import { db, provisionPartner, type TestPartner } from "../../support/partners";

const LISTED_V4 = "203.0.113.77";
const LISTED_V6 = "2001:db8:1:2::99";
const UNLISTED = "198.51.100.23";
const LIST = ["203.0.113.0/24", "2001:db8:1::/48"];
const VISA = { amount: 10_000, currency: "UZS", payment_method_token: "pm_card_visa" };

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A token request from an address (none: no CF-Connecting-IP header). */
const tokenFrom = (
  p: TestPartner,
  address: string | null,
  params: Record<string, string> = { grant_type: "client_credentials" },
) =>
  call("POST", "/oauth2/token", {
    headers: {
      Authorization: basic(p.consumerKey, p.consumerSecret),
      "Content-Type": "application/x-www-form-urlencoded",
      ...(address === null ? {} : { "CF-Connecting-IP": address }),
    },
    body: new URLSearchParams(params).toString(),
  });

/** A /v1 call from an address (none: no CF-Connecting-IP header). */
const from = (address: string | null, method: string, path: string, token: string, json?: unknown) =>
  call(method, path, {
    token,
    headers: address === null ? {} : { "CF-Connecting-IP": address },
    ...(json === undefined ? {} : { json }),
  });

async function listedPartner() {
  const p = await provisionPartner({ ipAllowlist: LIST });
  const t = await tokenFrom(p, LISTED_V4);
  expect(t.res.status).toBe(200);
  return { p, token: t.body.access_token as string };
}

function expectRefused(r: Awaited<ReturnType<typeof call>>) {
  expect(r.res.status).toBe(403);
  expect(r.body).toMatchObject({
    id: expect.any(String),
    result: null,
    error: {
      code: 23,
      reason: "ip_not_allowed",
      message: "The request's address is not in the contract's IP allow-list",
      docs: "/docs#error-23",
    },
  });
}

describe("the contract's IP allow-list", () => {
  it("is checked and canonical when the contract is written", async () => {
    expect(parseIpAllowlist(["203.0.113.7", "2001:DB8::/32", "::ffff:10.0.0.0/104"])).toEqual([
      "203.0.113.7/32",
      "2001:db8::/32",
      "10.0.0.0/8",
    ]);
    expect(() => parseIpAllowlist(["203.0.113.1/24"])).toThrow("host bits set");
    expect(() => parseIpAllowlist(["10.0.0.0/8", "::ffff:10.0.0.0/104"])).toThrow(
      "IP block listed twice: 10.0.0.0/8",
    );
    expect(() => parseIpAllowlist(["example.com"])).toThrow('not an IPv4 or IPv6 address: "example.com"');
    const many = Array.from({ length: MAX_IP_ALLOWLIST + 1 }, (_, i) => `10.0.${i}.0/24`);
    expect(() => parseIpAllowlist(many)).toThrow(`at most ${MAX_IP_ALLOWLIST}`);
    const base: NewPartner = { name: "x", environment: "sandbox", tier: "standard", products: [...PRODUCTS] };
    await expect(buildPartner({ ...base, ipAllowlist: ["10.0.0.1/8"] })).rejects.toThrow();
    expect((await buildPartner(base)).rows.contract.ipAllowlist).toEqual([]);
  });

  it("is shown in GET /v1/partner, with the webhook domains", async () => {
    const p = await provisionPartner({
      ipAllowlist: ["2001:db8:1:0:0:0:0:0/48"],
      webhookDomains: ["*.Acme.example"],
    });
    const t = await tokenFrom(p, LISTED_V6);
    const r = await from(LISTED_V6, "GET", "/v1/partner", t.body.access_token);
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({
      ip_allowlist: ["2001:db8:1::/48"],
      webhook_domains: ["*.acme.example"],
    });
    const empty = await provisionPartner();
    const te = await tokenFrom(empty, null);
    const re = await from(null, "GET", "/v1/partner", te.body.access_token);
    expect(re.body.result).toMatchObject({ ip_allowlist: [], webhook_domains: [] });
  });

  it("lets a listed address call /v1, IPv4, IPv6 and IPv4-mapped IPv6 alike", async () => {
    const { token } = await listedPartner();
    for (const address of [LISTED_V4, "203.0.113.0", "203.0.113.255", LISTED_V6, `::ffff:${LISTED_V4}`]) {
      const r = await from(address, "GET", "/v1/partner", token);
      expect(r.res.status, address).toBe(200);
    }
  });

  it("refuses /v1 from an unlisted address, or without one, with 403 code 23, and changes nothing", async () => {
    const { p, token } = await listedPartner();
    const before = await storedState(p.id);
    for (const address of [
      UNLISTED,
      "203.0.114.1",
      "2001:db8:2::1",
      "::ffff:198.51.100.23",
      "garbage",
      "",
      null,
    ]) {
      expectRefused(await from(address, "GET", "/v1/partner", token));
      const pay = await from(address, "POST", "/v1/payments", token, { params: VISA });
      expectRefused(pay);
      expect(pay.res.headers.get("RateLimit-Limit"), "refused before the rate limit").toBeNull();
    }
    expect(await storedState(p.id)).toEqual(before);
    // The same payment from a listed address is made: only the address was wrong.
    const made = await from(LISTED_V4, "POST", "/v1/payments", token, { params: VISA });
    expect(made.res.status).toBe(200);
    expect(made.body.result.status).toBe("captured");
  });

  it("refuses a token from an unlisted address, or without one, only once the client authenticated", async () => {
    const p = await provisionPartner({ ipAllowlist: LIST });
    for (const address of [UNLISTED, null, "not-an-ip"]) {
      const r = await tokenFrom(p, address);
      expect(r.res.status).toBe(403);
      expect(r.body).toEqual({
        error: "unauthorized_client",
        error_description: "The request's address is not in the contract's IP allow-list",
        code: 23,
      });
      expect(r.res.headers.get("Cache-Control")).toBe("no-store");
    }
    // A wrong secret from an unlisted address says what a wrong secret says anywhere: nothing more.
    const wrong = await tokenFrom({ ...p, consumerSecret: "cs_test_wrong" }, UNLISTED);
    const wrongListed = await tokenFrom({ ...p, consumerSecret: "cs_test_wrong" }, LISTED_V4);
    expect(wrong.res.status).toBe(401);
    expect(wrong.body).toEqual(wrongListed.body);
    expect(wrong.body.error).toBe("invalid_client");
    const unknown = await tokenFrom({ ...p, consumerKey: "ck_test_nobody" }, UNLISTED);
    expect(unknown.body).toEqual(wrong.body);
    expect((await tokenFrom(p, LISTED_V6)).res.status).toBe(200);
  });

  it("refuses the password grant from an unlisted address before the password is tried or counted", async () => {
    const p = await provisionPartner({ ipAllowlist: LIST });
    const grant = { grant_type: "password", username: p.username, password: "wrong" };
    for (let i = 0; i < 8; i++) expect((await tokenFrom(p, UNLISTED, grant)).res.status).toBe(403);
    const counted = await env.DB.prepare("SELECT count(*) AS n FROM password_failures WHERE partner_id = ?")
      .bind(p.id)
      .first<{ n: number }>();
    expect(counted?.n).toBe(0);
    const right = await tokenFrom(p, LISTED_V4, { ...grant, password: p.password });
    expect(right.res.status).toBe(200);
  });

  it("an empty list lets every address call, and a request without the header", async () => {
    const p = await provisionPartner();
    for (const address of [UNLISTED, LISTED_V6, "garbage", null]) {
      const t = await tokenFrom(p, address);
      expect(t.res.status, String(address)).toBe(200);
      expect((await from(address, "GET", "/v1/partner", t.body.access_token)).res.status).toBe(200);
    }
  });

  it("logs the refused caller's /24 or /48 network at most: never the address or the list", async () => {
    const { p, token } = await listedPartner();
    const lines: string[] = [];
    for (const level of ["log", "warn", "error", "info"] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(" "));
      });
    expectRefused(await from(UNLISTED, "GET", "/v1/partner", token));
    expect((await tokenFrom(p, "2001:db8:99:1::5")).res.status).toBe(403);
    const text = lines.join("\n");
    expect(text).toContain("198.51.100.0/24");
    expect(text).toContain("2001:db8:99::/48");
    expect(text).not.toContain(UNLISTED);
    expect(text).not.toContain("2001:db8:99:1::5");
    expect(text).not.toContain("203.0.113.0/24");
  });

  it("a change bites within the profile cache TTL: cached until then, applied after", async () => {
    const ttl = Number(env.PROFILE_CACHE_TTL_SECONDS);
    const start = Date.parse("2026-11-22T12:00:00.000Z");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(start));
    const p = await provisionPartner();
    const t = await tokenFrom(p, UNLISTED);
    const token = t.body.access_token as string;
    expect((await from(UNLISTED, "GET", "/v1/partner", token)).res.status).toBe(200);

    await setAllowLists(db, p.id, { ipAllowlist: parseIpAllowlist(LIST) });
    vi.setSystemTime(new Date(start + (ttl - 1) * 1000));
    expect((await from(UNLISTED, "GET", "/v1/partner", token)).res.status).toBe(200);
    expect((await tokenFrom(p, UNLISTED)).res.status).toBe(200);

    vi.setSystemTime(new Date(start + (ttl + 1) * 1000));
    expectRefused(await from(UNLISTED, "GET", "/v1/partner", token));
    expect((await tokenFrom(p, UNLISTED)).res.status).toBe(403);
    expect((await from(LISTED_V4, "GET", "/v1/partner", token)).res.status).toBe(200);

    // Emptied again: any address, once the cache lets go (here at once).
    await setAllowLists(db, p.id, { ipAllowlist: [] });
    profileCache.invalidate(p.id);
    expect((await from(UNLISTED, "GET", "/v1/partner", token)).res.status).toBe(200);
  });
});
