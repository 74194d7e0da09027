import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { leiValid } from "../../src/modules/onboarding/application-model";
import { derivedHmacKey } from "../../src/platform/lib/derived-key";
import { admin, adminCall } from "../support/admin";
import { runJob } from "../support/cron";
import { call } from "../support/http";
import { until } from "../support/webhooks";
import {
  CHECKLIST,
  historyActions,
  PDF,
  PNG,
  publishCurrentTerms,
  registrant,
  signIn,
  storedApplication,
  submitted,
  upload,
} from "./applying";
import { received, TURNSTILE_PASS, tokenOfLink, turnstileAnswers, verificationEmail } from "./support";

beforeAll(async () => {
  await turnstileAnswers(TURNSTILE_PASS);
  await publishCurrentTerms();
});

// Production's private bucket (wrangler.toml), as the Worker sees it.
const documents = env.DOCUMENTS as R2Bucket;

const applicationCount = async (registrationId: string) =>
  (
    await env.DB.prepare("SELECT COUNT(*) AS n FROM applications WHERE registration_id = ?")
      .bind(registrationId)
      .first<{ n: number }>()
  )?.n;

async function approved(who: Awaited<ReturnType<typeof registrant>>) {
  const id = await submitted(who);
  const [maker, checker] = [await admin("approver"), await admin("approver")];
  for (const a of [maker, checker]) {
    const r = await adminCall("POST", `/admin/v1/applications/${id}/approve`, {
      token: a.token,
      json: { params: { reason: "verified" } },
    });
    if (r.res.status >= 300) throw new Error(`approve: ${r.res.status} ${JSON.stringify(r.body)}`);
  }
  return id;
}

describe("the registrant's session", () => {
  it("refuses a wrong password and an unknown email alike, and locks the email after five failures", async () => {
    const who = await registrant({ acceptTerms: false });
    const wrong = await signIn(who.params.contact_email, "not the password 1");
    expect(wrong.res.status).toBe(401);
    expect(wrong.body).toMatchObject({ result: null, error: { code: 132, reason: "sign_in_failed" } });
    const unknown = await signIn(`nobody-${crypto.randomUUID()}@acme.example`, "whatever 1234");
    expect(unknown.body.error).toEqual({ ...wrong.body.error });
    for (let i = 0; i < 4; i++) await signIn(who.params.contact_email, `wrong ${i} password`);
    const locked = await signIn(who.params.contact_email, who.params.password);
    expect(locked.res.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 133, reason: "sign_in_locked" });
    expect(Number(locked.res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(JSON.stringify(locked.body)).not.toContain(who.params.password);
  });

  it("refuses bodies that are missing, malformed or of the wrong types", async () => {
    const none = await call("POST", "/onboarding/session", { headers: { "CF-Connecting-IP": "192.0.2.61" } });
    expect(none.res.status).toBe(400);
    expect(none.body.error.code).toBe(4);
    const bad = await call("POST", "/onboarding/session", {
      body: "{not json",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "192.0.2.62" },
    });
    expect(bad.body.error.code).toBe(2);
    const types = await call("POST", "/onboarding/session", {
      json: { params: { email: 7, password: ["x"] } },
      headers: { "CF-Connecting-IP": "192.0.2.63" },
    });
    expect(types.res.status).toBe(400);
    expect([3, 4]).toContain(types.body.error.code);
    const method = await call("GET", "/onboarding/session");
    expect(method.res.status).toBe(405);
  });

  it("refuses calls without a valid session: none, garbage, expired, another audience, a partner's token", async () => {
    const who = await registrant({ acceptTerms: false });
    const key = await derivedHmacKey(env.WEBHOOK_SECRETS_KEY as string, "portico/onboarding/session/v1", [
      "sign",
      "verify",
    ]);
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(env.ISSUER)
      .setAudience("portico-onboarding")
      .setSubject(who.registrationId)
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(key);
    const otherAudience = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(env.ISSUER)
      .setAudience("portico-api")
      .setSubject(who.registrationId)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(key);
    for (const token of [undefined, "garbage", expired, otherAudience, `${who.session}x`]) {
      const res = await call("GET", "/onboarding/applications", token === undefined ? {} : { token });
      expect(res.res.status, String(token)).toBe(401);
      expect(res.body.error).toMatchObject({ code: 131, reason: "onboarding_session_invalid" });
    }
    // Authentication comes before the body: an unauthenticated bad body is 401, not 400.
    const bad = await call("POST", "/onboarding/applications", {
      body: "{",
      headers: { "Content-Type": "application/json" },
    });
    expect(bad.res.status).toBe(401);
    expect(await applicationCount(who.registrationId)).toBe(0);
  });
});

describe("a new verification link", () => {
  it("replaces the old link, once a minute, and not after verification", async () => {
    const who = await registrant({ verify: false, acceptTerms: false });
    const firstMail = await verificationEmail(who.params.contact_email);
    const renewed = await who.as("POST", "/onboarding/verification");
    expect(renewed.res.status, JSON.stringify(renewed.body)).toBe(202);
    expect(renewed.body.result).toMatchObject({ object: "email_verification_request" });
    const soon = await who.as("POST", "/onboarding/verification");
    expect(soon.res.status).toBe(429);
    expect(soon.body.error.code).toBe(40);

    const oldLink = await call(
      "GET",
      `/onboarding/verify?token=${encodeURIComponent(tokenOfLink(firstMail.body.text ?? ""))}`,
    );
    expect(oldLink.res.status).toBe(409);
    expect(oldLink.body.error.code).toBe(124);
    // The mailbox got a second email with a different link; it verifies.
    const mails = await until(async () => {
      const all = (await received("notify")).filter(
        (r) => JSON.parse(r.body).to === who.params.contact_email,
      );
      return all.length >= 2 ? all : undefined;
    });
    const newest = tokenOfLink(JSON.parse(mails.at(-1)?.body ?? "{}").text ?? "");
    const ok = await call("GET", `/onboarding/verify?token=${encodeURIComponent(newest)}`);
    expect(ok.res.status).toBe(200);
    const after = await who.as("POST", "/onboarding/verification");
    expect(after.res.status).toBe(409);
    expect(after.body.error.code).toBe(147);
  });
});

describe("the production application, the partner's side", () => {
  it("keeps one open application per registration, also under concurrent creates", async () => {
    const who = await registrant();
    const answers = await Promise.all([1, 2, 3].map(() => who.as("POST", "/onboarding/applications")));
    expect(answers.map((a) => a.res.status).sort()).toEqual([201, 409, 409]);
    const made = answers.find((a) => a.res.status === 201)?.body.result;
    expect(made).toMatchObject({ status: "draft", products: who.params.products, revision: 1 });
    const refused = answers.find((a) => a.res.status === 409)?.body.error;
    expect(refused).toMatchObject({ code: 136, reason: "application_open" });
    expect(refused.message).toContain(made.id);
    expect(await applicationCount(who.registrationId)).toBe(1);
  });

  it("answers another registration's application 404, like an unknown one, and changes nothing", async () => {
    const owner = await registrant();
    const other = await registrant();
    const draft = await owner.as("POST", "/onboarding/applications", { params: { checklist: CHECKLIST } });
    const id = draft.body.result.id;
    const before = await storedApplication(id);
    for (const [method, path, json] of [
      ["GET", `/onboarding/applications/${id}`, undefined],
      ["PATCH", `/onboarding/applications/${id}`, { params: { products: ["fx"] } }],
      ["POST", `/onboarding/applications/${id}/submit`, undefined],
      ["GET", `/onboarding/applications/${crypto.randomUUID()}`, undefined],
    ] as const) {
      const res = await other.as(method, path, json);
      expect(res.res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe(30);
    }
    const doc = await upload(other.session, id, PDF);
    expect(doc.res.status).toBe(404);
    expect(await storedApplication(id)).toEqual(before);
    const listed = await documents.list({ prefix: `applications/${id}/` });
    expect(listed.objects).toHaveLength(0);
  });

  it("validates the checklist field by field: https public webhooks, CIDRs, LEI check digits, contacts", async () => {
    const who = await registrant();
    const { body } = await who.as("POST", "/onboarding/applications");
    const id = body.result.id;
    const before = await storedApplication(id);
    for (const [checklist, field] of [
      [{ webhook_urls: ["http://hooks.acme.example/x"] }, "params.checklist.webhook_urls.0"],
      [{ webhook_urls: ["https://10.0.0.1/x"] }, "params.checklist.webhook_urls.0"],
      [{ webhook_urls: ["https://localhost/x"] }, "params.checklist.webhook_urls.0"],
      [{ ip_allowlist: ["10.0.0.1/8"] }, "params.checklist.ip_allowlist"],
      [{ ip_allowlist: [] }, "params.checklist.ip_allowlist"],
      [
        { legal_entity: { name: "Acme", registration_number: "1", lei: "5493001KJTIIGC8Y1R13" } },
        "params.checklist.legal_entity.lei",
      ],
      [
        { technical_contact: { name: "T", email: "not-an-email" } },
        "params.checklist.technical_contact.email",
      ],
      [{ licences: { cards: "X" } }, "params.checklist.licences"],
      [{ unknown_member: 1 }, "params.checklist"],
    ] as const) {
      const res = await who.as("PATCH", `/onboarding/applications/${id}`, { params: { checklist } });
      expect(res.res.status, JSON.stringify(checklist)).toBe(400);
      expect(res.body.error.code, JSON.stringify(res.body)).toBe(4);
      expect(res.body.error.field, JSON.stringify(res.body)).toContain(field);
    }
    expect(await storedApplication(id)).toEqual(before);
    const lei = "5493001KJTIIGC8Y1R12";
    expect(leiValid(lei)).toBe(true);
    const ok = await who.as("PATCH", `/onboarding/applications/${id}`, {
      params: { checklist: { legal_entity: { name: "Acme", registration_number: "1", lei } } },
    });
    expect(ok.res.status).toBe(200);
    expect(ok.body.result.checklist.legal_entity.lei).toBe(lei);
    const cleared = await who.as("PATCH", `/onboarding/applications/${id}`, {
      params: { checklist: { legal_entity: null } },
    });
    expect(cleared.body.result.checklist.legal_entity).toBeUndefined();
    expect(cleared.body.result.missing).toContain("legal_entity");
  });

  it("asks for each product's items: licences for regulated products, PCI DSS for cards, a DPO for accounts and KYC", async () => {
    const who = await registrant();
    const { body } = await who.as("POST", "/onboarding/applications", {
      params: { products: ["lending", "payouts", "accounts", "cards"] },
    });
    expect(body.result.missing).toEqual([
      "legal_entity",
      "licences.lending",
      "licences.payouts",
      "documents.pci_dss_attestation",
      "data_protection_contact",
      "webhook_urls",
      "ip_allowlist",
      "technical_contact",
      "security_contact",
    ]);
    const fx = await who.as("PATCH", `/onboarding/applications/${body.result.id}`, {
      params: { products: ["fx"], checklist: CHECKLIST },
    });
    expect(fx.body.result.missing).toEqual([]);
  });

  it("refuses submission before the email is verified (134) and before the terms are accepted (135)", async () => {
    const unverified = await registrant({ verify: false });
    const a = await unverified.as("POST", "/onboarding/applications", {
      params: { products: ["fx"], checklist: CHECKLIST },
    });
    const r1 = await unverified.as("POST", `/onboarding/applications/${a.body.result.id}/submit`);
    expect(r1.res.status).toBe(403);
    expect(r1.body.error).toMatchObject({ code: 134, reason: "email_not_verified" });
    expect((await storedApplication(a.body.result.id))?.status).toBe("draft");

    const noTerms = await registrant({ acceptTerms: false });
    const b = await noTerms.as("POST", "/onboarding/applications", {
      params: { products: ["fx"], checklist: CHECKLIST },
    });
    const r2 = await noTerms.as("POST", `/onboarding/applications/${b.body.result.id}/submit`);
    expect(r2.res.status).toBe(403);
    expect(r2.body.error).toMatchObject({ code: 135, reason: "terms_not_accepted" });
    expect((await storedApplication(b.body.result.id))?.status).toBe("draft");
  });

  it("freezes a submitted application: no change, no document, no second submission", async () => {
    const who = await registrant();
    const id = await submitted(who);
    const before = await storedApplication(id);
    const patch = await who.as("PATCH", `/onboarding/applications/${id}`, { params: { products: ["fx"] } });
    expect(patch.res.status).toBe(409);
    expect(patch.body.error).toMatchObject({ code: 60 });
    const again = await who.as("POST", `/onboarding/applications/${id}/submit`);
    expect(again.res.status).toBe(409);
    const doc = await upload(who.session, id, PDF);
    expect(doc.res.status).toBe(409);
    expect(await storedApplication(id)).toEqual(before);
  });
});

describe("application documents in R2", () => {
  it("stores a PDF privately, with its hash, and removes it", async () => {
    const who = await registrant();
    const { body } = await who.as("POST", "/onboarding/applications");
    const id = body.result.id;
    const doc = await upload(who.session, id, PDF, { filename: "AoC 2026.pdf" });
    expect(doc.res.status).toBe(201);
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", PDF))]
      .map((b) => b.toString(16).padStart(2, "0"))
      .join("");
    expect(doc.body.result).toMatchObject({
      kind: "pci_dss_attestation",
      size: PDF.byteLength,
      sha256: digest,
    });
    const stored = await documents.get(`applications/${id}/${doc.body.result.id}`);
    expect(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(PDF);
    // No public route serves it: neither the partner's API nor the docs.
    const guess = await call("GET", `/onboarding/applications/${id}/documents/${doc.body.result.id}`, {
      token: who.session,
    });
    expect(guess.res.status).toBe(405);

    const removed = await who.as("DELETE", `/onboarding/applications/${id}/documents/${doc.body.result.id}`);
    expect(removed.res.status).toBe(200);
    expect(await documents.get(`applications/${id}/${doc.body.result.id}`)).toBeNull();
    const view = await who.as("GET", `/onboarding/applications/${id}`);
    expect(view.body.result.documents).toEqual([]);
    expect(await historyActions(id)).toEqual(["created", "document_added", "document_removed"]);
  });

  it("refuses other types, bytes that lie about their type, empty and oversized bodies, bad kinds and names; stores nothing", async () => {
    const who = await registrant();
    const { body } = await who.as("POST", "/onboarding/applications");
    const id = body.result.id;
    const cases: [Awaited<ReturnType<typeof upload>>, number, number][] = [
      [await upload(who.session, id, new TextEncoder().encode("hello"), { type: "text/plain" }), 415, 138],
      [await upload(who.session, id, PNG, { type: "application/pdf" }), 415, 138],
      [await upload(who.session, id, new TextEncoder().encode("<html>"), { type: "image/png" }), 415, 138],
      [await upload(who.session, id, new Uint8Array(0)), 400, 4],
      [await upload(who.session, id, PDF, { kind: "selfie" }), 400, 4],
      [await upload(who.session, id, PDF, { filename: "../../etc/passwd" }), 400, 4],
    ];
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(PDF.subarray(0, 5));
    cases.push([await upload(who.session, id, big), 413, 32]);
    for (const [res, status, code] of cases) {
      expect(res.res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    expect((await documents.list({ prefix: `applications/${id}/` })).objects).toHaveLength(0);
    const png = await upload(who.session, id, PNG, {
      type: "image/png",
      kind: "registration_certificate",
      filename: "cert.png",
    });
    expect(png.res.status).toBe(201);
  });
});

describe("live credentials", () => {
  it("exist only after approval (145), at most five active (146)", async () => {
    const who = await registrant();
    const early = await who.as("POST", "/onboarding/credentials");
    expect(early.res.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 145, reason: "not_live_yet" });
    await approved(who);
    const keys = [];
    for (let i = 0; i < 5; i++) keys.push(await who.as("POST", "/onboarding/credentials"));
    expect(keys.every((k) => k.res.status === 201)).toBe(true);
    expect(new Set(keys.map((k) => k.body.result.consumer_key)).size).toBe(5);
    const sixth = await who.as("POST", "/onboarding/credentials");
    expect(sixth.res.status).toBe(409);
    expect(sixth.body.error.code).toBe(146);
    const list = await who.as("GET", "/onboarding/credentials");
    expect(list.body.result.data).toHaveLength(5);
    for (const k of keys) expect(JSON.stringify(list.body)).not.toContain(k.body.result.consumer_secret);
    // Stored hashed: no secret in production's database.
    const rows = await env.DB.prepare("SELECT secret_hash FROM partner_credentials WHERE partner_id = ?")
      .bind(keys[0]?.body.result.partner_id)
      .all<{ secret_hash: string }>();
    for (const k of keys) expect(JSON.stringify(rows.results)).not.toContain(k.body.result.consumer_secret);
  });
});

describe("the platform team's review", () => {
  it("reject is final and lets the registration apply again; the partner reads the reason", async () => {
    const who = await registrant();
    const id = await submitted(who);
    const approver = await admin("approver");
    const rejected = await adminCall("POST", `/admin/v1/applications/${id}/reject`, {
      token: approver.token,
      json: { params: { reason: "The licence reference does not match the register" } },
    });
    expect(rejected.res.status).toBe(200);
    const seen = await who.as("GET", `/onboarding/applications/${id}`);
    expect(seen.body.result.status).toBe("rejected");
    expect(seen.body.result.history.at(-1).comment).toBe("The licence reference does not match the register");
    const approve = await adminCall("POST", `/admin/v1/applications/${id}/approve`, {
      token: (await admin("approver")).token,
      json: { params: { reason: "changed my mind" } },
    });
    expect(approve.res.status).toBe(409);
    const next = await who.as("POST", "/onboarding/applications");
    expect(next.res.status).toBe(201);
  });

  it("answers unknown applications and documents 404, and refuses bad bodies", async () => {
    const operator = await admin("operator");
    const unknown = await adminCall("GET", `/admin/v1/applications/${crypto.randomUUID()}`, {
      token: operator.token,
    });
    expect(unknown.res.status).toBe(404);
    const who = await registrant();
    const id = await submitted(who);
    const doc = await adminCall("GET", `/admin/v1/applications/${id}/documents/${crypto.randomUUID()}`, {
      token: operator.token,
    });
    expect(doc.res.status).toBe(404);
    const noReason = await adminCall("POST", `/admin/v1/applications/${id}/request-changes`, {
      token: operator.token,
      json: { params: {} },
    });
    expect(noReason.res.status).toBe(400);
    expect(noReason.body.error.field).toBe("params.reason");
    const badStatus = await adminCall("GET", "/admin/v1/applications?status=pending", {
      token: operator.token,
    });
    expect(badStatus.res.status).toBe(400);
    expect((await storedApplication(id))?.status).toBe("submitted");
  });

  it("the cron writes the live partner of an approval whose Worker died before it", async () => {
    const who = await registrant();
    const id = await submitted(who);
    // The approval's batch committed, and nothing after it ran.
    await env.DB.prepare(
      "UPDATE applications SET status = 'approved', decided_at = ?, revision = revision + 1 WHERE id = ?",
    )
      .bind(new Date(Date.now() - 120_000).toISOString(), id)
      .run();
    const app = await storedApplication(id);
    expect(
      await env.DB.prepare("SELECT id FROM partners WHERE id = ?").bind(app?.partner_id).first(),
    ).toBeNull();
    expect((await who.as("POST", "/onboarding/credentials")).body.error.code).toBe(145);
    await runJob("applications.live_partners");
    const partner = await env.DB.prepare("SELECT environment, status FROM partners WHERE id = ?")
      .bind(app?.partner_id)
      .first();
    expect(partner).toEqual({ environment: "production", status: "active" });
    const actions = await historyActions(id);
    expect(actions.filter((a) => a === "approved")).toHaveLength(1);
    expect(actions.at(-1)).toBe("live_partner_created");
    await runJob("applications.live_partners");
    expect((await historyActions(id)).filter((a) => a === "live_partner_created")).toHaveLength(1);
    expect((await who.as("POST", "/onboarding/credentials")).res.status).toBe(201);
  });
});
