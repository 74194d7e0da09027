import { SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { partnerCredentials, partnerUsers } from "../../../src/modules/partners/storage";
import { portalSessions } from "../../../src/modules/portal/storage";
import { sha256Hex } from "../../../src/platform/lib/ids";
import { BASE } from "../../support/http";
import { db, provisionPartner, type TestPartner } from "../../support/partners";

const SAME = { "Sec-Fetch-Site": "same-origin", Origin: BASE };
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

async function page(
  method: string,
  path: string,
  opts: { cookie?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const res = await SELF.fetch(`${BASE}${path}`, {
    method,
    redirect: "manual",
    headers: { ...(opts.form ? FORM : {}), ...(opts.cookie ? { Cookie: opts.cookie } : {}), ...opts.headers },
    body: opts.form ? new URLSearchParams(opts.form).toString() : null,
  });
  return { res, text: await res.text() };
}

const cookieOf = (res: Response) => {
  const set = res.headers.get("Set-Cookie") ?? "";
  return { header: set, pair: set.split(";")[0] ?? "" };
};
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

async function signIn(p: TestPartner, password = p.password) {
  return page("POST", "/portal/sign-in", {
    headers: SAME,
    form: { partner_id: p.id, username: p.username, password },
  });
}

async function signedIn(role: "owner" | "developer" | "viewer" = "owner") {
  const p = await provisionPartner();
  await db.update(partnerUsers).set({ role }).where(eq(partnerUsers.partnerId, p.id));
  const { res } = await signIn(p);
  const cookie = cookieOf(res).pair;
  const keys = await page("GET", "/portal/keys", { cookie });
  return { p, cookie, csrf: csrfOf(keys.text) };
}

const credentialCount = async (partnerId: string) =>
  (await db.select().from(partnerCredentials).where(eq(partnerCredentials.partnerId, partnerId))).length;

describe("portal sign-in (workerd)", () => {
  it("a page without a session sends the browser to sign in", async () => {
    const { res } = await page("GET", "/portal/keys");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/portal/sign-in");
  });

  it("signs in: a __Host- cookie (HttpOnly, Secure, SameSite=Strict), stored only as its hash; the page's strict CSP", async () => {
    const p = await provisionPartner();
    const { res } = await signIn(p);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/portal");
    const { header, pair } = cookieOf(res);
    expect(header).toMatch(/^__Host-portico_portal=/);
    for (const attribute of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"])
      expect(header).toContain(attribute);
    expect(header).not.toContain("Domain=");
    const value = pair.split("=")[1] ?? "";
    const [row] = await db
      .select()
      .from(portalSessions)
      .where(eq(portalSessions.idHash, await sha256Hex(value)));
    expect(row).toMatchObject({ partnerId: p.id, stage: "full", revokedAt: null });
    const overview = await page("GET", "/portal", { cookie: pair });
    expect(overview.res.status).toBe(200);
    expect(overview.text).toContain(p.id);
    const csp = overview.res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(overview.res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("one refusal for a wrong password, an unknown user and a malformed partner id; a body-less sign-in is refused too", async () => {
    const p = await provisionPartner();
    const wrong = await signIn(p, "nope");
    const unknown = await page("POST", "/portal/sign-in", {
      headers: SAME,
      form: { partner_id: p.id, username: "ghost", password: "x" },
    });
    const malformed = await page("POST", "/portal/sign-in", {
      headers: SAME,
      form: { partner_id: "1; DROP", username: "u", password: "x" },
    });
    const empty = await page("POST", "/portal/sign-in", { headers: SAME });
    for (const r of [wrong, unknown, malformed, empty]) {
      expect(r.res.status).toBe(401);
      expect(r.text).toContain("(code 160)");
      expect(r.res.headers.get("Set-Cookie")).toBeNull();
    }
    expect(wrong.text).not.toContain("nope");
  });

  it("locks the user after 5 failures, the right password included (code 161)", async () => {
    const p = await provisionPartner();
    for (let i = 0; i < 5; i++) expect((await signIn(p, `wrong-${i}`)).res.status).toBe(401);
    const locked = await signIn(p);
    expect(locked.res.status).toBe(429);
    expect(locked.text).toContain("(code 161)");
    expect(await db.select().from(portalSessions).where(eq(portalSessions.partnerId, p.id))).toEqual([]);
  });

  it("refuses a sign-in from another origin (login CSRF)", async () => {
    const p = await provisionPartner();
    const r = await page("POST", "/portal/sign-in", {
      headers: { "Sec-Fetch-Site": "cross-site", Origin: "https://attacker.example" },
      form: { partner_id: p.id, username: p.username, password: p.password },
    });
    expect(r.res.status).toBe(403);
    expect(r.text).toContain("(code 164)");
  });
});

describe("portal forms (workerd)", () => {
  it("creates a key through the API, the secret on the page once", async () => {
    const { p, cookie, csrf } = await signedIn("developer");
    const r = await page("POST", "/portal/keys", {
      cookie,
      headers: SAME,
      form: { csrf, idempotency_key: crypto.randomUUID(), description: "from the portal" },
    });
    expect(r.res.status).toBe(200);
    const secret = /id="new-secret"[^>]*>([^<]+)</.exec(r.text)?.[1] ?? "";
    expect(secret).toMatch(/^cs_test_/);
    const rows = await db.select().from(partnerCredentials).where(eq(partnerCredentials.partnerId, p.id));
    expect(rows.map((k) => k.description)).toContain("from the portal");
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it("the same form sent twice (its Idempotency-Key) creates one key", async () => {
    const { p, cookie, csrf } = await signedIn();
    const form = { csrf, idempotency_key: crypto.randomUUID(), description: "twice" };
    const [a, b] = await Promise.all([
      page("POST", "/portal/keys", { cookie, headers: SAME, form }),
      page("POST", "/portal/keys", { cookie, headers: SAME, form }),
    ]);
    expect([a.res.status, b.res.status].sort()).toEqual(
      a.res.status === b.res.status ? [200, 200] : [200, 409],
    );
    const rows = await db.select().from(partnerCredentials).where(eq(partnerCredentials.partnerId, p.id));
    expect(rows.filter((k) => k.description === "twice")).toHaveLength(1);
  });

  it("refuses a form without the CSRF token, a form from another origin, an oversized form: nothing changes", async () => {
    const { p, cookie, csrf } = await signedIn();
    const before = await credentialCount(p.id);
    const noToken = await page("POST", "/portal/keys", { cookie, headers: SAME, form: { description: "x" } });
    const noBody = await page("POST", "/portal/keys", { cookie, headers: SAME });
    const cross = await page("POST", "/portal/keys", {
      cookie,
      headers: { "Sec-Fetch-Site": "cross-site", Origin: "https://attacker.example" },
      form: { csrf, description: "x" },
    });
    for (const r of [noToken, noBody, cross]) {
      expect(r.res.status).toBe(403);
      expect(r.text).toContain("(code 164)");
    }
    const big = await page("POST", "/portal/keys", {
      cookie,
      headers: SAME,
      form: { csrf, description: "x".repeat(20_000) },
    });
    expect(big.res.status).toBe(413);
    expect(big.text).toContain("(code 32)");
    expect(await credentialCount(p.id)).toBe(before);
  });

  it("a viewer's write is refused by the API's scopes (code 20)", async () => {
    const { p, cookie, csrf } = await signedIn("viewer");
    const before = await credentialCount(p.id);
    const r = await page("POST", "/portal/keys", {
      cookie,
      headers: SAME,
      form: { csrf, description: "viewer" },
    });
    expect(r.res.status).toBe(403);
    expect(r.text).toContain("(code 20)");
    expect(await credentialCount(p.id)).toBe(before);
  });

  it("a foreign key id is the API's 404 on the page", async () => {
    const { cookie, csrf } = await signedIn();
    const other = await provisionPartner();
    const [theirs] = await db
      .select()
      .from(partnerCredentials)
      .where(eq(partnerCredentials.partnerId, other.id));
    const r = await page("POST", `/portal/keys/${theirs?.id}/revoke`, {
      cookie,
      headers: SAME,
      form: { csrf },
    });
    expect(r.res.status).toBe(404);
    expect(r.text).toContain("(code 30)");
    const [still] = await db
      .select()
      .from(partnerCredentials)
      .where(eq(partnerCredentials.id, theirs?.id ?? ""));
    expect(still?.status).toBe("active");
  });

  it("sign-out ends the session in D1: the cookie no longer opens a page", async () => {
    const { cookie, csrf } = await signedIn();
    const out = await page("POST", "/portal/sign-out", { cookie, headers: SAME, form: { csrf } });
    expect(out.res.status).toBe(303);
    const after = await page("GET", "/portal/keys", { cookie });
    expect(after.res.status).toBe(303);
    expect(after.res.headers.get("Location")).toBe("/portal/sign-in?ended=1");
  });
});

describe("portal onboarding pages outside production", () => {
  it("do not exist in the sandbox: 404, code 31, like any unknown path", async () => {
    for (const [method, path] of [
      ["GET", "/portal/register"],
      ["POST", "/portal/register"],
      ["GET", "/portal/verify?token=x"],
      ["GET", "/portal/apply"],
      ["GET", "/portal/apply/sign-in"],
      ["POST", "/portal/apply/application"],
    ] as const) {
      const { res, text } = await page(method, path, { headers: SAME });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(JSON.parse(text).error).toMatchObject({ code: 31, reason: "route_not_found" });
    }
  });
});
