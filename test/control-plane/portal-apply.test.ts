// The portal's onboarding pages in workerd (production): every step is the /onboarding API's own
// call, with the registrant's session kept sealed in D1; refusals change nothing.
import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/platform/lib/ids";
import { BASE } from "../support/http";
import { CHECKLIST, PDF, publishCurrentTerms, registrant } from "./applying";
import { freshIpv6, registration, TURNSTILE_FAIL, TURNSTILE_PASS, turnstileAnswers } from "./support";

const SAME = { "Sec-Fetch-Site": "same-origin", Origin: BASE };

async function page(
  method: string,
  path: string,
  opts: { cookie?: string; form?: Record<string, string> | FormData; headers?: Record<string, string> } = {},
) {
  const urlencoded = opts.form && !(opts.form instanceof FormData);
  const res = await SELF.fetch(`${BASE}${path}`, {
    method,
    redirect: "manual",
    headers: {
      ...(urlencoded ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
      ...(opts.cookie ? { Cookie: opts.cookie } : {}),
      "CF-Connecting-IP": freshIpv6(),
      ...opts.headers,
    },
    body:
      opts.form instanceof FormData
        ? opts.form
        : opts.form
          ? new URLSearchParams(opts.form).toString()
          : null,
  });
  return { res, text: await res.text() };
}

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
const count = async (sql: string, ...params: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...params)
      .first<{ n: number }>()
  )?.n ?? 0;

/** A registrant signed in to the portal's onboarding pages: their cookie and the page's CSRF token. */
async function applicant() {
  const who = await registrant({ acceptTerms: false });
  const signIn = await page("POST", "/portal/apply/sign-in", {
    headers: SAME,
    form: { email: who.params.contact_email, password: who.params.password },
  });
  expect(signIn.res.status).toBe(303);
  const cookie = (signIn.res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  const status = await page("GET", "/portal/apply", { cookie });
  return { who, cookie, csrf: csrfOf(status.text), setCookie: signIn.res.headers.get("Set-Cookie") ?? "" };
}

beforeAll(async () => {
  await turnstileAnswers(TURNSTILE_PASS);
  await publishCurrentTerms();
});

describe("portal onboarding: register and verify", () => {
  it("the register page loads Turnstile's widget, its script and frame allowed on that page alone", async () => {
    const { res, text } = await page("GET", "/portal/register");
    expect(res.status).toBe(200);
    expect(text).toContain('class="cf-turnstile" data-sitekey="1x00000000000000000000AA"');
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("script-src 'self' https://challenges.cloudflare.com");
    expect(csp).toContain("frame-src https://challenges.cloudflare.com");
    expect(csp).not.toContain("unsafe-inline");
    const other = await page("GET", "/portal/apply/sign-in");
    expect(other.res.headers.get("Content-Security-Policy")).not.toContain("challenges.cloudflare.com");
  });

  it("registers through the form: the sandbox partner and its secret once; a failed bot check or a cross-site post registers nothing", async () => {
    const params = registration();
    const form = {
      company_name: params.company_name,
      country: "uz",
      contact_email: params.contact_email,
      password: params.password,
      product_cards: "on",
      use_case: params.use_case,
      "cf-turnstile-response": params.turnstile_token,
    };
    await turnstileAnswers(TURNSTILE_FAIL);
    const refused = await page("POST", "/portal/register", { headers: SAME, form });
    expect(refused.res.status).toBe(403);
    expect(refused.text).toContain("(code 121)");
    expect(refused.text).toContain(params.company_name); // the form keeps what was typed
    expect(refused.text).not.toContain(params.password);
    await turnstileAnswers(TURNSTILE_PASS);
    const crossSite = await page("POST", "/portal/register", {
      headers: { "Sec-Fetch-Site": "cross-site" },
      form,
    });
    expect(crossSite.res.status).toBe(403);
    expect(crossSite.text).toContain("(code 164)");
    expect(
      await count("SELECT count(*) AS n FROM registrations WHERE contact_email = ?", params.contact_email),
    ).toBe(0);

    const done = await page("POST", "/portal/register", { headers: SAME, form });
    expect(done.res.status).toBe(201);
    expect(done.text).toMatch(/cs_test_[A-Za-z0-9_-]+/);
    const [row] = (
      await env.DB.prepare(
        "SELECT country, products_wanted AS products FROM registrations WHERE contact_email = ?",
      )
        .bind(params.contact_email)
        .all<{ country: string; products: string }>()
    ).results;
    expect(row).toEqual({ country: "UZ", products: JSON.stringify(["cards"]) });
  });

  it("the emailed link's page: a bad token is refused with its code", async () => {
    const { res, text } = await page("GET", "/portal/verify?token=not-a-token");
    expect(res.status).toBe(400);
    expect(text).toContain("(code 122)");
  });
});

describe("portal onboarding: the registrant's session", () => {
  it("signs in: a __Host- cookie; D1 keeps its hash and the API's token sealed, never the token itself", async () => {
    const { who, cookie, setCookie } = await applicant();
    expect(setCookie).toMatch(/^__Host-portico_applicant=/);
    for (const attribute of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"])
      expect(setCookie).toContain(attribute);
    const value = cookie.split("=")[1] ?? "";
    const row = await env.DB.prepare("SELECT * FROM portal_applicant_sessions WHERE id_hash = ?")
      .bind(await sha256Hex(value))
      .first<{ registration_id: string; token_sealed: string }>();
    expect(row?.registration_id).toBe(who.registrationId);
    expect(row?.token_sealed.startsWith("v1.")).toBe(true);
    expect(row?.token_sealed).not.toContain(who.session.split(".")[1] ?? "—");
    const status = await page("GET", "/portal/apply", { cookie });
    expect(status.res.status).toBe(200);
    expect(status.text).toContain(who.params.company_name);
    expect(status.text).not.toContain("eyJ"); // no JWT on the page
  });

  it("a wrong password is refused (132) and starts no session", async () => {
    const who = await registrant({ acceptTerms: false });
    const before = await count(
      "SELECT count(*) AS n FROM portal_applicant_sessions WHERE registration_id = ?",
      who.registrationId,
    );
    const { res, text } = await page("POST", "/portal/apply/sign-in", {
      headers: SAME,
      form: { email: who.params.contact_email, password: "wrong password 1" },
    });
    expect(res.status).toBe(401);
    expect(text).toContain("(code 132)");
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(
      await count(
        "SELECT count(*) AS n FROM portal_applicant_sessions WHERE registration_id = ?",
        who.registrationId,
      ),
    ).toBe(before);
  });

  it("without a session, to the sign-in; an expired or signed-out session says so", async () => {
    const none = await page("GET", "/portal/apply/application");
    expect(none.res.status).toBe(303);
    expect(none.res.headers.get("Location")).toBe("/portal/apply/sign-in");
    const { cookie } = await applicant();
    await env.DB.prepare("UPDATE portal_applicant_sessions SET expires_at = ? WHERE id_hash = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), await sha256Hex(cookie.split("=")[1] ?? ""))
      .run();
    const expired = await page("GET", "/portal/apply", { cookie });
    expect(expired.res.headers.get("Location")).toBe("/portal/apply/sign-in?ended=1");
    const other = await applicant();
    const out = await page("POST", "/portal/apply/sign-out", {
      cookie: other.cookie,
      headers: SAME,
      form: { csrf: other.csrf },
    });
    expect(out.res.status).toBe(303);
    expect((await page("GET", "/portal/apply", { cookie: other.cookie })).res.headers.get("Location")).toBe(
      "/portal/apply/sign-in?ended=1",
    );
  });

  it("a change without the CSRF token or from another site is refused (164) and accepts nothing", async () => {
    const { who, cookie, csrf } = await applicant();
    const terms = await who.as("GET", "/onboarding/terms");
    const form = { version: terms.body.result.version, sha256: terms.body.result.sha256 };
    const noToken = await page("POST", "/portal/apply/terms", { cookie, headers: SAME, form });
    const crossSite = await page("POST", "/portal/apply/terms", {
      cookie,
      headers: { "Sec-Fetch-Site": "cross-site" },
      form: { ...form, csrf },
    });
    for (const r of [noToken, crossSite]) {
      expect(r.res.status).toBe(403);
      expect(r.text).toContain("(code 164)");
    }
    expect(
      await count(
        "SELECT count(*) AS n FROM terms_acceptances WHERE partner_id = (SELECT production_partner_id FROM registrations WHERE id = ?)",
        who.registrationId,
      ),
    ).toBe(0);
    const accepted = await page("POST", "/portal/apply/terms", {
      cookie,
      headers: SAME,
      form: { ...form, csrf },
    });
    expect(accepted.res.status).toBe(200);
    expect(
      await count(
        "SELECT count(*) AS n FROM terms_acceptances WHERE partner_id = (SELECT production_partner_id FROM registrations WHERE id = ?)",
        who.registrationId,
      ),
    ).toBe(1);
  });
});

describe("portal onboarding: the application", () => {
  it("starts, saves the checklist, uploads a document (multipart), submits: the API's state after each", async () => {
    const { who, cookie, csrf } = await applicant();
    await page("POST", "/portal/apply/terms", {
      cookie,
      headers: SAME,
      form: {
        csrf,
        ...(await who
          .as("GET", "/onboarding/terms")
          .then((t) => ({ version: t.body.result.version, sha256: t.body.result.sha256 }))),
      },
    });
    const started = await page("POST", "/portal/apply/application", {
      cookie,
      headers: SAME,
      form: { csrf, product_payments: "on", product_cards: "on" },
    });
    expect(started.res.status).toBe(200);
    const [app] = (await who.as("GET", "/onboarding/applications")).body.result.data;
    expect(app.status).toBe("draft");
    const c = CHECKLIST;
    const saved = await page("POST", `/portal/apply/application/${app.id}`, {
      cookie,
      headers: SAME,
      form: {
        csrf,
        product_payments: "on",
        product_cards: "on",
        legal_name: c.legal_entity.name,
        legal_number: c.legal_entity.registration_number,
        licence_payments: c.licences.payments,
        tech_name: c.technical_contact.name,
        tech_email: c.technical_contact.email,
        sec_name: c.security_contact.name,
        sec_email: c.security_contact.email,
        sec_phone: c.security_contact.phone,
        webhook_urls: c.webhook_urls.join("\n"),
        ip_allowlist: c.ip_allowlist.join("\r\n"),
      },
    });
    expect(saved.text).toContain("Saved.");
    const stored = (await who.as("GET", `/onboarding/applications/${app.id}`)).body.result;
    expect(stored.checklist).toMatchObject({
      legal_entity: {
        name: c.legal_entity.name,
        registration_number: c.legal_entity.registration_number,
        lei: null,
      },
      licences: c.licences,
      webhook_urls: c.webhook_urls,
      ip_allowlist: c.ip_allowlist,
      security_contact: c.security_contact,
    });
    expect(stored.missing).toEqual(["documents.pci_dss_attestation"]);

    const upload = new FormData();
    upload.set("csrf", csrf);
    upload.set("kind", "pci_dss_attestation");
    upload.set("file", new File([PDF], "aoc.pdf", { type: "application/pdf" }));
    const uploaded = await page("POST", `/portal/apply/application/${app.id}/documents`, {
      cookie,
      headers: SAME,
      form: upload,
    });
    expect(uploaded.res.status).toBe(200);
    expect(uploaded.text).toContain("aoc.pdf uploaded.");
    const withDoc = (await who.as("GET", `/onboarding/applications/${app.id}`)).body.result;
    expect(withDoc.documents).toHaveLength(1);
    expect(withDoc.documents[0]).toMatchObject({
      kind: "pci_dss_attestation",
      filename: "aoc.pdf",
      size: PDF.byteLength,
    });
    expect(withDoc.missing).toEqual([]);

    const sent = await page("POST", `/portal/apply/application/${app.id}/submit`, {
      cookie,
      headers: SAME,
      form: { csrf },
    });
    expect(sent.text).toContain("Submitted");
    expect((await who.as("GET", `/onboarding/applications/${app.id}`)).body.result.status).toBe("submitted");
  });

  it("refuses an oversized upload (413), a wrong file type (415) and another registrant's application (404), storing nothing", async () => {
    const mine = await applicant();
    const theirs = await applicant();
    await mine.who.as("POST", "/onboarding/applications", { params: { checklist: CHECKLIST } });
    await theirs.who.as("POST", "/onboarding/applications", { params: { checklist: CHECKLIST } });
    const [myApp] = (await mine.who.as("GET", "/onboarding/applications")).body.result.data;
    const [theirApp] = (await theirs.who.as("GET", "/onboarding/applications")).body.result.data;
    const form = (bytes: Uint8Array, type: string) => {
      const f = new FormData();
      f.set("csrf", mine.csrf);
      f.set("kind", "licence");
      f.set("file", new File([bytes], "licence.pdf", { type }));
      return f;
    };
    const big = await page("POST", `/portal/apply/application/${myApp.id}/documents`, {
      cookie: mine.cookie,
      headers: { ...SAME, "Content-Length": String(11 * 1024 * 1024) },
      form: form(PDF, "application/pdf"),
    });
    expect(big.res.status).toBe(413);
    const wrongType = await page("POST", `/portal/apply/application/${myApp.id}/documents`, {
      cookie: mine.cookie,
      headers: SAME,
      form: form(new TextEncoder().encode("not a pdf at all"), "application/pdf"),
    });
    expect(wrongType.res.status).toBe(415);
    expect(wrongType.text).toContain("(code 138)");
    const foreign = await page("POST", `/portal/apply/application/${theirApp.id}/documents`, {
      cookie: mine.cookie,
      headers: SAME,
      form: form(PDF, "application/pdf"),
    });
    expect(foreign.res.status).toBe(404);
    const malformed = await page("POST", "/portal/apply/application/not-an-id/submit", {
      cookie: mine.cookie,
      headers: SAME,
      form: { csrf: mine.csrf },
    });
    expect(malformed.res.status).toBe(404);
    expect(
      await count(
        "SELECT count(*) AS n FROM application_documents WHERE application_id IN (?, ?)",
        myApp.id,
        theirApp.id,
      ),
    ).toBe(0);
  });
});
